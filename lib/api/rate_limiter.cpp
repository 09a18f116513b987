#include "api/rate_limiter.hpp"

#include "api/async_sleep.hpp"

namespace taosync::api {

RateLimiter::RateLimiter(double rate_per_second, int burst)
    : bucket_(rate_per_second, burst, Clock::now()) {}

net::awaitable<void> RateLimiter::acquire(Cancellation* cancel) {
  for (;;) {
    const auto now = Clock::now();
    if (now < paused_until_) {
      co_await sleep_for(paused_until_ - now, cancel);
      continue;
    }
    const auto generation = pause_generation_;
    const auto wait = bucket_.reserve(now);
    if (wait <= Clock::duration::zero())
      co_return;
    co_await sleep_for(wait, cancel);
    // A ban that began while we slept voids this reservation: wait it out and ask again.
    if (generation == pause_generation_)
      co_return;
  }
}

bool RateLimiter::pause_until(Clock::time_point until) {
  const bool fresh = paused_until_ <= Clock::now();
  if (until <= paused_until_)
    return false;
  paused_until_ = until;
  ++pause_generation_;
  bucket_.restart_at(until, 1.0);
  return fresh;
}

void RateLimiter::set_rate(double rate_per_second, int burst) {
  bucket_.set_rate(rate_per_second, burst, Clock::now());
}

} // namespace taosync::api
