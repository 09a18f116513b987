// Inits take turns: at most N at once, first come first served, and a stop ends a wait.

#include "sync/init_slots.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace taosync;
using namespace taosync::sync;
using namespace std::chrono_literals;
namespace net = boost::asio;

namespace {

/// One init: waits for a slot, records when it started and ended, holds the slot `hold`.
net::awaitable<void> one_init(InitSlots& slots, const model::Stop& stop, std::string name,
                              std::chrono::milliseconds hold, std::vector<std::string>& log,
                              std::size_t& most_at_once) {
  auto slot = co_await slots.acquire(stop);
  if (!slot) {
    log.push_back(name + " stopped");
    co_return;
  }
  log.push_back(name + " start");
  most_at_once = std::max(most_at_once, slots.in_use());
  net::steady_timer t(co_await net::this_coro::executor, hold);
  co_await t.async_wait(net::use_awaitable);
  log.push_back(name + " end");
}

} // namespace

TEST_CASE("at most N inits at once, in the order they asked") {
  net::io_context io;
  model::Stop stop(io.get_executor());
  InitSlots slots(2);
  std::vector<std::string> log;
  std::size_t most = 0;
  for (const char* name : {"a", "b", "c", "d"})
    net::co_spawn(io, one_init(slots, stop, name, 50ms, log, most), net::detached);
  io.run();
  CHECK(most == 2);
  REQUIRE(log.size() == 8);
  CHECK(log[0] == "a start");
  CHECK(log[1] == "b start");
  // c and d start only after a and b end, c first.
  const auto at = [&](const std::string& s) {
    return std::find(log.begin(), log.end(), s) - log.begin();
  };
  CHECK(at("c start") > at("a end"));
  CHECK(at("d start") > at("b end"));
  CHECK(at("c start") < at("d start"));
  CHECK(slots.in_use() == 0);
  CHECK(slots.free_now());
}

TEST_CASE("a stop ends the wait for a slot; the slot held is returned") {
  net::io_context io;
  model::Stop stop(io.get_executor());
  InitSlots slots(1);
  std::vector<std::string> log;
  std::size_t most = 0;
  net::co_spawn(io, one_init(slots, stop, "long", 500ms, log, most), net::detached);
  net::co_spawn(io, one_init(slots, stop, "waiting", 10ms, log, most), net::detached);
  net::steady_timer t(io, 100ms);
  t.async_wait([&](auto) { stop.request(); });
  io.run();
  CHECK(log == std::vector<std::string>{"long start", "waiting stopped", "long end"});
  CHECK(slots.in_use() == 0);
}
