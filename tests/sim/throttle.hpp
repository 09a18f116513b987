#pragma once
// The gateway's rate limit: a token bucket; a call that finds it empty starts a ban, and every
// call during the ban is refused with ApiCallLimit.

#include <chrono>
#include <cstdint>
#include <optional>

namespace taosync::sim {

/// Token bucket with bans. Pure arithmetic on the times it is given.
class Throttle {
public:
  using Clock = std::chrono::steady_clock;

  /// rate 0 = unlimited; burst 0 = max(1, rate).
  void configure(double rate, int burst, std::chrono::seconds ban, Clock::time_point now);

  /// Admits a call (nullopt) or returns the seconds the ban still lasts (>= 1).
  std::optional<std::chrono::seconds> admit(Clock::time_point now);

private:
  double rate_ = 0;
  double burst_ = 1;
  double tokens_ = 1;
  std::chrono::seconds ban_{1};
  Clock::time_point last_{};
  Clock::time_point ban_until_{};
};

} // namespace taosync::sim
