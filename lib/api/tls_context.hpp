#pragma once
// The TLS client context: peer verification against the system's CAs or `api.ca_file`.

#include <boost/asio/ssl/context.hpp>

#include <optional>
#include <string>

namespace taosync::api {

namespace ssl = boost::asio::ssl;

/// A TLS 1.2+ client context with verify_peer, trusting `ca_file` when given (PEM), else the
/// system's default verify paths. Throws std::runtime_error naming the file when it cannot
/// be loaded.
ssl::context make_tls_context(const std::optional<std::string>& ca_file);

} // namespace taosync::api
