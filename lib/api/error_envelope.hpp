#pragma once
// The platform's error envelope {"type","code","message","request_id"} and what each error
// means for the client (docs/design.md §1).

#include "api/outcome.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace taosync::api {

/// Ban assumed when an ApiCallLimit message does not say how long.
inline constexpr std::chrono::seconds kDefaultBan{1};

/// Reads N from "…this ban will last N seconds"; kDefaultBan when absent.
std::chrono::seconds parse_ban(std::string_view message);

/// Classifies a platform error: ApiCallLimit → throttled, IllegalAccessToken → auth,
/// IllegalRefreshToken → refresh_dead, ISP/SYSTEM types → transient, the rest → fatal.
ApiError classify_error(std::string_view endpoint, std::string_view type, std::string_view code,
                        std::string_view message);

/// The error an envelope carries, or nullopt when its code is "0" (or absent).
std::optional<ApiError> envelope_error(std::string_view endpoint, const boost::json::value& root);

/// A transient error for a body that is not the JSON the endpoint returns.
ApiError malformed_body(std::string_view endpoint, std::string_view detail);

} // namespace taosync::api
