#pragma once
// A 429 or 503 answer (or an ApiCallLimit) may say when to come back: `Retry-After: 3` or
// `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110 §10.2.3). The retry then waits at
// least that long, up to api.retry.max_retry_after. Pure.

#include "api/retry.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// The wait a Retry-After header value asks for at `now`: delay-seconds, or an HTTP-date
/// (IMF-fixdate, or the obsolete RFC 850 and asctime forms, which recipients must accept),
/// 0 for a date already past. nullopt when the value is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

/// The wait before the next attempt: `wait` (a backoff or a ban), or longer when the answer
/// asked for `retry_after`, held to the policy's max_retry_after.
std::chrono::milliseconds honour_retry_after(std::chrono::milliseconds wait,
                                             std::optional<std::chrono::seconds> retry_after,
                                             const RetryPolicy& policy);

/// What a log line that says why a call waits adds about Retry-After: "" when the answer said
/// nothing, "; Retry-After: 3s", or "; Retry-After: 900s, held to api.retry.max_retry_after
/// 300s".
std::string retry_after_note(std::optional<std::chrono::seconds> retry_after,
                             const RetryPolicy& policy);

} // namespace taosync::api
