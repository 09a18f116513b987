#pragma once
// The client's shared rate limiter: a token bucket every call draws from, and a pause that
// holds every caller while an ApiCallLimit ban lasts. The bucket's arithmetic is pure (the
// caller passes the time); the async RateLimiter builds on it.

#include "model/stop.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>

namespace taosync::api {

namespace net = boost::asio;

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

/// Paces calls to `rate` per second with bursts of `burst`. Single-threaded: use it from
/// coroutines of one executor.
class RateLimiter {
public:
  using Clock = TokenBucket::Clock;

  RateLimiter(double rate_per_second, int burst);

  /// Waits for a token, and for any ban in force (also one that starts while waiting).
  /// A request of `stop` ends the wait with cancelled_failure.
  net::awaitable<void> acquire(const model::Stop* stop = nullptr);

  /// Holds every caller until `until` (a pause in force is only ever lengthened); the bucket
  /// restarts then with one token. Returns true if no pause was in force: a new ban begins.
  bool pause_until(Clock::time_point until);

  /// New rate and burst (SIGHUP).
  void set_rate(double rate_per_second, int burst);

private:
  TokenBucket bucket_;
  Clock::time_point paused_until_{};
  std::uint64_t pause_generation_ = 0;
};

} // namespace taosync::api
