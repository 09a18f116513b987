#pragma once
// A shop's OAuth tokens. Both strings are secrets: never log them.

#include <chrono>
#include <string>

namespace taosync::model {

/// Access and refresh token of one seller, with their expiry instants (zero = unknown).
struct Tokens {
  std::string access_token;
  std::string refresh_token;
  std::chrono::sys_seconds access_expires_at{};
  std::chrono::sys_seconds refresh_expires_at{};
};

} // namespace taosync::model
