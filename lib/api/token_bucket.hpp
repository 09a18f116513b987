#pragma once
// Token-bucket arithmetic, pure: the caller passes the time. The async RateLimiter builds on it.

#include <chrono>

namespace taosync::api {

/// A token bucket of `burst` tokens refilled at `rate` per second. A reservation may drive
/// the balance below zero; the caller then waits until its token has been earned, so
/// concurrent callers are spaced 1/rate apart in the order they asked.
class TokenBucket {
public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  /// A full bucket at `now`. A rate <= 0 means unlimited.
  TokenBucket(double rate_per_second, double burst, TimePoint now);

  /// Takes one token; returns how long to wait before using it (zero: go now).
  Clock::duration reserve(TimePoint now);

  /// New rate and burst; the balance is kept, capped at the new burst.
  void set_rate(double rate_per_second, double burst, TimePoint now);

  /// Restarts the bucket at `start` (maybe in the future) holding `tokens`, forgetting
  /// earlier reservations: used after a ban, so callers resume gently.
  void restart_at(TimePoint start, double tokens);

  /// The balance at `now` (negative while reservations are outstanding).
  double tokens(TimePoint now) const;

  /// True when the bucket never makes anyone wait.
  bool unlimited() const { return rate_ <= 0.0; }

private:
  void refill(TimePoint now);

  double rate_;
  double burst_;
  double tokens_;
  TimePoint last_;
};

} // namespace taosync::api
