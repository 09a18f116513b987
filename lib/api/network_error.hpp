#pragma once
// Network failures turned into classified ApiErrors ("timeout", "connection_reset", ...).

#include "api/outcome.hpp"

#include <boost/system/error_code.hpp>

#include <string_view>

namespace taosync::api {

/// Classifies a failed network operation (`stage`: "connect", "tls handshake", "write",
/// "read") against `origin`. Mostly transient; a refused certificate or a response over
/// api.max_response_bytes is fatal, since retrying cannot help.
ApiError network_error(const boost::system::error_code& ec, std::string_view stage,
                       std::string_view origin);

/// The error for a non-200 HTTP status: 5xx and 408 transient, 429 throttled, other fatal.
ApiError http_status_error(unsigned status, std::string_view target_path);

} // namespace taosync::api
