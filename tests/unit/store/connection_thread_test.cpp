#include "store/connection_thread.hpp"
#include "store/shop_report.hpp"
#include "store/state_rows.hpp"
#include "store_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kWriterShop = "shop-w";
constexpr std::chrono::milliseconds kMaxBackoff{400};

/// Runs `task` on an io_context (as the daemon's network thread would) and returns its result.
template <class R> R run_on_io(std::function<net::awaitable<R>()> task) {
  net::io_context io;
  auto future = net::co_spawn(io, task(), net::use_future);
  io.run();
  return future.get();
}

} // namespace

TEST_CASE("the writer runs jobs on its own thread and returns their results") {
  testing::PgCluster pg;
  const auto url = pg.create_database();
  ConnectionThread writer(url, kMaxBackoff);
  std::thread::id job_thread;
  auto first = batch_with_lines(kWriterShop, {make_order("1", 10)}); // GCC 12: no braced lists in
                                                                     // coroutines
  const auto result = run_on_io<WriteResult>([&]() -> net::awaitable<WriteResult> {
    co_await writer.run<void>([](Store& s) { s.migrate(); });
    job_thread =
        co_await writer.run<std::thread::id>([](Store&) { return std::this_thread::get_id(); });
    co_return co_await writer.run<WriteResult>([&](Store& s) { return s.write(first); });
  });
  CHECK(job_thread != std::this_thread::get_id());
  CHECK(result.inserted == 1);
  // Other exceptions reach the caller unchanged, without retries.
  int attempts = 0;
  CHECK_THROWS_WITH_AS(run_on_io<int>([&]() -> net::awaitable<int> {
                         co_return co_await writer.run<int>([&](Store&) -> int {
                           ++attempts;
                           throw std::logic_error("job bug");
                         });
                       }),
                       "job bug", std::logic_error);
  CHECK(attempts == 1);
}

TEST_CASE("the writer survives a database outage and retries the interrupted batch whole") {
  testing::PgCluster pg;
  const auto url = pg.create_database();
  ConnectionThread writer(url, kMaxBackoff);
  auto first = batch_with_lines(kWriterShop, {make_order("1", 10)});
  run_on_io<void>([&]() -> net::awaitable<void> {
    co_await writer.run<void>([](Store& s) { s.migrate(); });
    co_await writer.run<WriteResult>([&](Store& s) { return s.write(first); });
  });

  pg.stop_immediate();
  std::thread restarter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    pg.start();
  });
  std::atomic<int> attempts = 0;
  auto batch = batch_with_lines(kWriterShop, {make_order("2", 20), make_order("3", 30)});
  SyncState cursor;
  cursor.shop = kWriterShop;
  cursor.hwm = at_ms(30);
  batch.cursor = cursor;
  const auto result = run_on_io<WriteResult>([&]() -> net::awaitable<WriteResult> {
    co_return co_await writer.run<WriteResult>([&](Store& s) {
      ++attempts;
      return s.write(batch);
    });
  });
  restarter.join();
  CHECK(attempts >= 2); // the first try hit the dead connection
  CHECK(result.inserted == 2);
  Store check(url);
  CHECK(check.read("counts", [&](auto& tx) { return select_counts(tx, kWriterShop); }).orders == 3);
  CHECK(check.read("load_state", [&](auto& tx) { return select_state(tx, kWriterShop); }).hwm ==
        at_ms(30));
}

TEST_CASE("stop() makes a job waiting for the database throw instead of hanging") {
  testing::PgCluster pg;
  const auto url = pg.create_database();
  ConnectionThread writer(url, kMaxBackoff);
  run_on_io<void>(
      [&]() -> net::awaitable<void> { co_await writer.run<void>([](Store& s) { s.migrate(); }); });
  pg.stop_immediate();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    writer.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(run_on_io<void>([&]() -> net::awaitable<void> {
                    co_await writer.run<void>([](Store& s) {
                      s.read("counts", [&](auto& tx) { return select_counts(tx, kWriterShop); });
                    });
                  }),
                  ConnectionStopped);
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("the writer reconnects after its backend is terminated under it") {
  testing::PgCluster pg;
  const auto url = pg.create_database();
  ConnectionThread writer(url, kMaxBackoff);
  run_on_io<void>(
      [&]() -> net::awaitable<void> { co_await writer.run<void>([](Store& s) { s.migrate(); }); });
  {
    pqxx::connection admin(pg.url());
    pqxx::nontransaction tx(admin);
    CHECK(tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE datname = 't_0' AND pid <> pg_backend_pid()")
              .size() == 1);
  }
  int attempts = 0;
  auto batch = batch_with_lines(kWriterShop, {make_order("7", 70)});
  const auto result = run_on_io<WriteResult>([&]() -> net::awaitable<WriteResult> {
    co_return co_await writer.run<WriteResult>([&](Store& s) {
      ++attempts;
      return s.write(batch);
    });
  });
  CHECK(attempts == 2);
  CHECK(result.inserted == 1);
}
