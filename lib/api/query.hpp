#pragma once
// The query string of a request: the same key/value pairs that were signed, URL-encoded.

#include "api/signer.hpp"

#include <string>
#include <string_view>

namespace taosync::api {

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

/// "k1=v1&k2=v2" with values (and keys) URL-encoded, in the map's order.
std::string encode_query(const Params& params);

} // namespace taosync::api
