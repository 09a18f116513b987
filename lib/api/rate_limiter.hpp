#pragma once
// The client's shared rate limiter: a token bucket every call draws from, and a pause that
// holds every caller while an ApiCallLimit ban lasts.

#include "api/cancellation.hpp"
#include "api/token_bucket.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>

namespace taosync::api {

namespace net = boost::asio;

/// Paces calls to `rate` per second with bursts of `burst`. Single-threaded: use it from
/// coroutines of one executor.
class RateLimiter {
public:
  using Clock = TokenBucket::Clock;

  RateLimiter(double rate_per_second, int burst);

  /// Waits for a token, and for any ban in force (also one that starts while waiting).
  /// `cancel` ends the wait with cancelled_failure.
  net::awaitable<void> acquire(Cancellation* cancel = nullptr);

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
