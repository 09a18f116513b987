#pragma once
// The lazop request signature (docs/design.md §1): HMAC-SHA256 over the API path and the sorted
// key/value pairs, upper-case hex.

#include <map>
#include <string>
#include <string_view>

namespace taosync::api {

/// Request parameters; std::map keeps keys in bytewise order, as the signature needs.
using Params = std::map<std::string, std::string>;

/// Returns UPPERCASE_HEX(HMAC_SHA256(secret, api_path + k1 + v1 + k2 + v2 ...)), skipping `sign`.
std::string sign(std::string_view api_path, const Params& params, std::string_view secret);

} // namespace taosync::api
