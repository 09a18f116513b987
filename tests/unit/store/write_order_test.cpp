// The order of a shop's batch writes when two run at once (store/write_order.hpp), with real
// threads standing in for the two write connections.

#include "store/write_order.hpp"
#include "store/writer.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

using namespace taosync::store;
using namespace std::chrono_literals;

namespace {

/// Whether `f` is still running after a while (it waits).
template <class T> bool waiting(std::future<T>& f) {
  return f.wait_for(100ms) == std::future_status::timeout;
}

} // namespace

TEST_CASE("a write COPYs once the one before has its rows in, and commits once it has ended") {
  WriteOrder order;
  const auto first = order.take("a");
  const auto second = order.take("a");
  order.attempt("a", first);
  order.attempt("a", second);

  auto rows = std::async(std::launch::async, [&] { order.wait_rows("a", second); });
  CHECK(waiting(rows));
  order.rows_in("a", first);
  rows.get();

  auto turn = std::async(std::launch::async, [&] { order.wait_turn("a", second); });
  CHECK(waiting(turn));
  order.done("a", first, true);
  CHECK_NOTHROW(turn.get());
}

TEST_CASE("the first write of a shop, and writes of other shops, do not wait") {
  WriteOrder order;
  const auto a0 = order.take("a");
  const auto a1 = order.take("a");
  const auto b0 = order.take("b");
  order.attempt("a", a0);
  CHECK_NOTHROW(order.wait_rows("a", a0));
  CHECK_NOTHROW(order.wait_turn("a", a0));
  CHECK_NOTHROW(order.wait_rows("b", b0));
  CHECK_NOTHROW(order.wait_turn("b", b0)); // shop a's write 0 is still running
  (void)a1;
}

TEST_CASE("a failed write fails the next one at its commit turn, and that one the next") {
  WriteOrder order;
  const auto t0 = order.take("a");
  const auto t1 = order.take("a");
  const auto t2 = order.take("a");
  order.attempt("a", t1);
  auto turn = std::async(std::launch::async, [&] { order.wait_turn("a", t1); });
  CHECK(waiting(turn));
  order.done("a", t0, false);
  CHECK_THROWS_WITH_AS(turn.get(), doctest::Contains("failed"), std::runtime_error);
  order.done("a", t1, false);
  CHECK_THROWS_AS(order.wait_turn("a", t2), std::runtime_error);
}

TEST_CASE("a write whose predecessor starts its transaction again after it wrote its rows "
          "gives up, so that the predecessor never waits on its rows") {
  WriteOrder order;
  const auto t0 = order.take("a");
  const auto t1 = order.take("a");
  order.attempt("a", t0);
  order.rows_in("a", t0);
  order.attempt("a", t1);
  order.wait_rows("a", t1); // t1 COPYs its rows now
  auto turn = std::async(std::launch::async, [&] { order.wait_turn("a", t1); });
  CHECK(waiting(turn));
  order.attempt("a", t0); // t0's connection was lost: its rows are gone, it COPYs again
  CHECK_THROWS_WITH_AS(turn.get(), doctest::Contains("again"), std::runtime_error);
  // The next attempt of t1 waits for t0's rows again, and commits after it.
  order.attempt("a", t1);
  auto rows = std::async(std::launch::async, [&] { order.wait_rows("a", t1); });
  CHECK(waiting(rows));
  order.rows_in("a", t0);
  rows.get();
  order.done("a", t0, true);
  CHECK_NOTHROW(order.wait_turn("a", t1));
}

TEST_CASE("a predecessor that ends after starting again lets the next write commit") {
  WriteOrder order;
  const auto t0 = order.take("a");
  const auto t1 = order.take("a");
  order.attempt("a", t0);
  order.attempt("a", t0); // retried before t1 wrote anything
  order.rows_in("a", t0);
  order.attempt("a", t1);
  order.wait_rows("a", t1);
  order.done("a", t0, true);
  CHECK_NOTHROW(order.wait_turn("a", t1));
}

TEST_CASE("stop ends every wait with WriterStopped") {
  WriteOrder order;
  const auto t0 = order.take("a");
  const auto t1 = order.take("a");
  (void)t0;
  order.attempt("a", t1);
  auto rows = std::async(std::launch::async, [&] { order.wait_rows("a", t1); });
  CHECK(waiting(rows));
  order.stop();
  CHECK_THROWS_AS(rows.get(), WriterStopped);
  CHECK_THROWS_AS(order.wait_turn("a", t1), WriterStopped);
}

TEST_CASE("a write asked for after the one before it failed does not fail with it") {
  WriteOrder order;
  const auto t0 = order.take("a");
  order.attempt("a", t0);
  order.done("a", t0, false); // a refused write; the cycle that asked for it ended
  const auto t1 = order.take("a");
  order.attempt("a", t1);
  CHECK_NOTHROW(order.wait_rows("a", t1));
  CHECK_NOTHROW(order.wait_turn("a", t1));
}
