#pragma once
// The lifetimes a token refresh answers (expires_in, refresh_expires_in), read and held to
// what can be believed and stored: 10^18 seconds is no timestamp PostgreSQL holds, and a
// lifetime of seconds would have the shop refresh in a loop. Pure.

#include "api/outcome.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace taosync::api {

/// Shortest token lifetime taken as answered; a shorter one is raised to it.
inline constexpr std::chrono::seconds kMinTokenLifetime{60};
/// Longest token lifetime taken as answered; a longer one is cut to it.
inline constexpr std::chrono::seconds kMaxTokenLifetime = std::chrono::days(365);

/// One lifetime of a refresh answer, within [kMinTokenLifetime, kMaxTokenLifetime].
struct TokenLifetime {
  std::chrono::seconds value{};
  std::string warning; ///< when it was clamped: the field and the value answered (no token)
};

/// `answered` seconds (as read, saturated) of the field `key`, clamped.
TokenLifetime clamp_token_lifetime(std::string_view key, long double answered);

/// The lifetime `key` of a refresh answer: a number of seconds, or a string of digits as some
/// gateways send it, clamped. Missing, null or not a number is a malformed answer (transient:
/// that refresh is retried with backoff).
Outcome<TokenLifetime> read_token_lifetime(const boost::json::object& answer, std::string_view key);

} // namespace taosync::api
