// run_workers: n coroutines over one shared list, never more at once, every one waited for,
// and the first failure rethrown only once all have finished.

#include "sync/workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

using namespace taosync::sync;

namespace {

/// The shared list: items 0..items-1, taken in order.
struct WorkList {
  std::size_t items = 0;
  std::size_t fail_at = static_cast<std::size_t>(-1); ///< the item whose worker throws
  std::size_t next = 0;
  std::size_t in_flight = 0;
  std::size_t most_in_flight = 0;
  std::size_t done = 0;
};

// One worker: takes the next item, spends a moment on it, until the list is empty.
net::awaitable<void> take_items(WorkList& list) {
  auto ex = co_await net::this_coro::executor;
  while (list.next < list.items) {
    const std::size_t item = list.next++;
    ++list.in_flight;
    list.most_in_flight = std::max(list.most_in_flight, list.in_flight);
    net::steady_timer moment(ex, std::chrono::milliseconds(1));
    co_await moment.async_wait(net::use_awaitable);
    --list.in_flight;
    ++list.done;
    if (item == list.fail_at)
      throw std::runtime_error("item " + std::to_string(item) + " failed");
  }
}

/// Runs `count` workers over `list` to the end; returns what they ended with.
std::exception_ptr run(WorkList& list, std::size_t count) {
  net::io_context io;
  const MakeWorker make = [&list] { return take_items(list); };
  std::exception_ptr ended;
  bool finished = false;
  net::co_spawn(io, run_workers(count, make), [&](std::exception_ptr e) {
    ended = e;
    finished = true;
  });
  io.run();
  CHECK(finished);
  return ended;
}

} // namespace

TEST_CASE("run_workers takes the whole list with exactly n workers at once") {
  WorkList list{10};
  CHECK_FALSE(run(list, 3));
  CHECK(list.done == 10);
  CHECK(list.most_in_flight == 3);
}

TEST_CASE("one worker takes the list one item at a time") {
  WorkList list{4};
  CHECK_FALSE(run(list, 1));
  CHECK(list.done == 4);
  CHECK(list.most_in_flight == 1);
}

TEST_CASE("a worker's failure is rethrown once the others have finished") {
  WorkList list{10, 2};
  const auto ended = run(list, 3);
  REQUIRE(ended);
  CHECK_THROWS_WITH(std::rethrow_exception(ended), "item 2 failed");
  CHECK(list.done == 10); // the others went on to the end of the list
  CHECK(list.in_flight == 0);
}
