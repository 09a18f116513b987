#include "api/retry.hpp"

#include <algorithm>
#include <cmath>

namespace taosync::api {

using std::chrono::milliseconds;

RetryPolicy RetryPolicy::from(const config::ApiConfig::Retry& retry) {
  return RetryPolicy{std::max(1, retry.max_attempts), retry.initial_backoff, retry.max_backoff,
                     retry.max_retry_after};
}

milliseconds backoff_ceiling(const RetryPolicy& policy, int retry) {
  const auto cap = std::max(policy.max_backoff, milliseconds(0));
  if (retry < 1 || policy.initial_backoff <= milliseconds(0))
    return std::min(std::max(policy.initial_backoff, milliseconds(0)), cap);
  // 2^62 ms overflows nothing and is far past any cap; stop doubling there.
  const int doublings = std::min(retry - 1, 62);
  const double ceiling =
      static_cast<double>(policy.initial_backoff.count()) * std::ldexp(1.0, doublings);
  if (ceiling >= static_cast<double>(cap.count()))
    return cap;
  return milliseconds(static_cast<milliseconds::rep>(ceiling));
}

milliseconds full_jitter(milliseconds ceiling, double unit) {
  const double clamped = std::clamp(unit, 0.0, 1.0);
  return milliseconds(
      static_cast<milliseconds::rep>(std::llround(clamped * static_cast<double>(ceiling.count()))));
}

Backoff::Backoff(RetryPolicy policy, std::uint64_t seed) : policy_(policy), random_(seed) {}

milliseconds Backoff::delay(int retry) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return full_jitter(backoff_ceiling(policy_, retry), unit(random_));
}

} // namespace taosync::api
