// The one stop switch: hooks run once, released ones never, late ones at once; a wait ends
// when a stop is requested, also from another thread, and not before.

#include "model/stop.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <thread>

using namespace taosync::model;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("a stop runs live hooks once, skips released ones, runs late ones at once") {
  Stop stop;
  int a = 0, b = 0, late = 0;
  auto ra = stop.on_request([&] { ++a; });
  {
    auto rb = stop.on_request([&] { ++b; });
  } // released
  CHECK_FALSE(stop.requested());
  stop.request();
  stop.request();
  CHECK(stop.requested());
  CHECK(a == 1);
  CHECK(b == 0);
  auto rl = stop.on_request([&] { ++late; });
  CHECK(late == 1);
}

TEST_CASE("a wait runs its time out unless a stop is requested, which may come from any thread") {
  net::io_context io;
  Stop stop(io.get_executor());
  Clock::duration short_wait{}, stopped_wait{}, late_wait{};
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        auto start = Clock::now();
        co_await stop.wait(50ms);
        short_wait = Clock::now() - start;
        start = Clock::now();
        co_await stop.wait(30s); // ended by the thread below
        stopped_wait = Clock::now() - start;
        start = Clock::now();
        co_await stop.wait(30s); // requested already: returns at once
        late_wait = Clock::now() - start;
      },
      net::detached);
  std::thread requester([&] {
    std::this_thread::sleep_for(300ms);
    stop.request();
  });
  io.run();
  requester.join();
  CHECK(short_wait >= 50ms);
  CHECK(stopped_wait >= 200ms);
  CHECK(stopped_wait < 10s);
  CHECK(late_wait < 1s);
}
