// The token bucket's arithmetic with an injected clock, and the async limiter pacing real
// callers and holding them all during a ban.

#include "api/rate_limiter.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <vector>

using namespace taosync::api;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const TokenBucket::TimePoint t0{std::chrono::seconds(1000)};

// Runs `callers` coroutines that each acquire once; returns when each got its token.
std::vector<Clock::duration> acquire_times(RateLimiter& limiter, int callers,
                                           const std::function<void()>& before = {}) {
  net::io_context io;
  std::vector<Clock::duration> times;
  const auto start = Clock::now();
  for (int i = 0; i < callers; ++i)
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
          co_await limiter.acquire();
          times.push_back(Clock::now() - start);
        },
        net::detached);
  if (before)
    before();
  io.run();
  return times;
}

} // namespace

TEST_CASE("a full bucket lets a burst through, then spaces callers 1/rate apart") {
  TokenBucket bucket(10.0, 3, t0);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 100ms);
  CHECK(bucket.reserve(t0) == 200ms);
  CHECK(bucket.tokens(t0) == doctest::Approx(-2.0));
}

TEST_CASE("tokens refill at the rate and never beyond the burst") {
  TokenBucket bucket(4.0, 2, t0);
  bucket.reserve(t0);
  bucket.reserve(t0);
  CHECK(bucket.tokens(t0) == doctest::Approx(0.0));
  CHECK(bucket.tokens(t0 + 250ms) == doctest::Approx(1.0));
  CHECK(bucket.tokens(t0 + 10s) == doctest::Approx(2.0));
  CHECK(bucket.reserve(t0 + 250ms) == 0ms);
  CHECK(bucket.reserve(t0 + 250ms) == 250ms);
}

TEST_CASE("a sustained caller gets exactly the rate") {
  TokenBucket bucket(20.0, 1, t0);
  auto now = t0;
  int granted = 0;
  while (now < t0 + 10s) {
    now += bucket.reserve(now);
    ++granted;
  }
  CHECK(granted == doctest::Approx(201).epsilon(0.01)); // 1 burst + 20/s * 10 s
}

TEST_CASE("a restart after a ban holds calls until the ban ends") {
  TokenBucket bucket(10.0, 10, t0);
  bucket.restart_at(t0 + 2s, 1.0);
  CHECK(bucket.reserve(t0) == 2s);         // the one token is usable at the ban's end
  CHECK(bucket.reserve(t0) == 2s + 100ms); // the next one is earned 1/rate later
  CHECK(bucket.reserve(t0 + 3s) == 0ms);   // by then the bucket refilled
}

TEST_CASE("a rate of zero is unlimited") {
  TokenBucket bucket(0.0, 1, t0);
  for (int i = 0; i < 1000; ++i)
    CHECK(bucket.reserve(t0) == 0ms);
}

TEST_CASE("a new rate keeps the balance, capped at the new burst") {
  TokenBucket bucket(10.0, 10, t0);
  bucket.set_rate(1.0, 2, t0);
  CHECK(bucket.tokens(t0) == doctest::Approx(2.0));
  bucket.reserve(t0);
  bucket.reserve(t0);
  CHECK(bucket.reserve(t0) == 1s);
}

TEST_CASE("concurrent callers beyond the burst are spaced at the rate") {
  RateLimiter limiter(50.0, 2); // 20 ms apart after 2
  const auto times = acquire_times(limiter, 6);
  REQUIRE(times.size() == 6);
  CHECK(times[1] < 15ms);
  CHECK(times[5] >= 75ms); // 4 waits of 20 ms
  CHECK(times[5] < 400ms);
}

TEST_CASE("a ban holds every caller until it ends") {
  RateLimiter limiter(1000.0, 100);
  const auto times = acquire_times(limiter, 4, [&] { limiter.pause_until(Clock::now() + 150ms); });
  REQUIRE(times.size() == 4);
  for (const auto t : times)
    CHECK(t >= 145ms);
}

TEST_CASE("a ban that starts while callers wait for tokens holds them too") {
  RateLimiter limiter(10.0, 1); // the second caller would go at 100 ms
  net::io_context io;
  Clock::duration second{};
  const auto start = Clock::now();
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        co_await limiter.acquire();
        co_await limiter.acquire();
        second = Clock::now() - start;
      },
      net::detached);
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        net::steady_timer t(io, 30ms);
        co_await t.async_wait(net::use_awaitable);
        limiter.pause_until(Clock::now() + 300ms);
      },
      net::detached);
  io.run();
  CHECK(second >= 325ms);
}
