// The async limiter paces real callers and holds them all during a ban.

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
