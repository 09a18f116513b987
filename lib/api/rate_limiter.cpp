#include "api/rate_limiter.hpp"

#include "api/async_sleep.hpp"

#include <algorithm>

namespace taosync::api {

namespace {
using Seconds = std::chrono::duration<double>;
}

TokenBucket::TokenBucket(double rate_per_second, double burst, TimePoint now)
    : rate_(rate_per_second), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

void TokenBucket::refill(TimePoint now) {
  if (now <= last_)
    return;
  tokens_ = std::min(burst_, tokens_ + Seconds(now - last_).count() * rate_);
  last_ = now;
}

TokenBucket::Clock::duration TokenBucket::reserve(TimePoint now) {
  if (unlimited())
    return Clock::duration::zero();
  refill(now);
  tokens_ -= 1.0;
  // last_ may lie in the future after restart_at(): nothing is earned before it.
  const Seconds until_start = last_ > now ? Seconds(last_ - now) : Seconds(0);
  const Seconds until_earned = tokens_ >= 0.0 ? Seconds(0) : Seconds(-tokens_ / rate_);
  return std::chrono::ceil<Clock::duration>(until_start + until_earned);
}

void TokenBucket::set_rate(double rate_per_second, double burst, TimePoint now) {
  refill(now);
  rate_ = rate_per_second;
  burst_ = std::max(burst, 1.0);
  tokens_ = std::min(tokens_, burst_);
}

void TokenBucket::restart_at(TimePoint start, double tokens) {
  tokens_ = std::min(tokens, burst_);
  last_ = start;
}

double TokenBucket::tokens(TimePoint now) const {
  if (now <= last_)
    return tokens_;
  return std::min(burst_, tokens_ + Seconds(now - last_).count() * rate_);
}

RateLimiter::RateLimiter(double rate_per_second, int burst)
    : bucket_(rate_per_second, burst, Clock::now()) {}

net::awaitable<void> RateLimiter::acquire(const model::Stop* stop) {
  for (;;) {
    const auto now = Clock::now();
    if (now < paused_until_) {
      co_await sleep_for(paused_until_ - now, stop);
      continue;
    }
    const auto generation = pause_generation_;
    const auto wait = bucket_.reserve(now);
    if (wait <= Clock::duration::zero())
      co_return;
    co_await sleep_for(wait, stop);
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
