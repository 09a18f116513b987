// The writer's deadlines: a write blocked by a lock is logged with its blocker and retried
// after lock_timeout; a slow statement fails naming statement_timeout; a one-shot writer gives
// up on an unreachable database after connect_timeout.

#include "store/connection_thread.hpp"
#include "store/db_errors.hpp"
#include "store/session.hpp"
#include "store_fixture.hpp"

#include "obs/metrics.hpp"
#include "store/pq.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;
using namespace std::chrono_literals;

namespace {

/// Runs `task` on an io_context (as the daemon's network thread would) and returns its result.
template <class R> R run_job(ConnectionThread& writer, std::function<R(Store&)> job) {
  net::io_context io;
  auto future = net::co_spawn(
      io, [&]() -> net::awaitable<R> { co_return co_await writer.run<R>(std::move(job)); },
      net::use_future);
  io.run();
  return future.get();
}

/// Captures what spdlog logs while it lives.
class LogCapture {
public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(500)) {
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink_));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const {
    std::string out;
    for (const auto& line : sink_->last_formatted())
      out += line;
    return out;
  }

private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

ConnectionThreadOptions options(const std::string& url) {
  taosync::config::DatabaseConfig db;
  db.url = url;
  ConnectionThreadOptions o = connection_thread_options(db, false);
  o.max_backoff = 400ms;
  return o;
}

} // namespace

TEST_CASE("every session gets the configured statement and lock timeouts") {
  auto s = connection_settings(migrated_database());
  s.statement_timeout = 300ms;
  s.lock_timeout = 1500ms;
  auto conn = open_session(s);
  pqxx::nontransaction tx(*conn);
  CHECK(pq::run1(tx, "SHOW lock_timeout")[0].as<std::string>() == "1500ms");
  CHECK(
      pq::run1(tx, "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")[0]
          .as<std::string>() == application_name());
  try {
    tx.exec("SELECT pg_sleep(3)");
    FAIL("pg_sleep(3) was not cut by a 300ms statement_timeout");
  } catch (const pqxx::sql_error& e) {
    CHECK(timeout_kind(e) == TimeoutKind::statement);
  }
}

TEST_CASE("a write blocked by a lock is logged with its blocker and retried after lock_timeout") {
  const auto url = migrated_database();
  auto o = options(url);
  o.connection.lock_timeout = 1s;
  o.report_blocked_after = 300ms;
  ConnectionThread writer(o);
  // The engine's second ConnectionThread shares the heartbeat: whichever the daemon sets feeds
  // both.
  ConnectionThread sibling(writer.options().named("lookup"));
  std::atomic<int> beats = 0;
  sibling.set_heartbeat([&] { ++beats; });

  pqxx::connection holder(url);
  const int holder_pid = holder.backendpid();
  auto lock_tx = std::make_unique<pqxx::work>(holder);
  pq::run0(*lock_tx, "LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE");

  LogCapture logs;
  std::atomic<int> attempts = 0;
  std::optional<obs::Metrics::DbPending> seen_pending;
  std::thread releaser([&] {
    std::this_thread::sleep_for(3s);
    seen_pending = obs::metrics().longest_db_pending();
    lock_tx->commit();
  });
  const auto batch = batch_with_lines("shop-l", {make_order("1", 10)});
  const auto result = run_job<WriteResult>(writer, [&](Store& s) {
    ++attempts;
    return s.write(batch);
  });
  releaser.join();

  CHECK(result.inserted == 1);
  CHECK(attempts >= 2); // cut by the 1s lock_timeout at least once, then retried
  CHECK(beats >= 1);    // the wait kept the watchdog fed
  const std::string log = logs.text();
  INFO(log);
  CHECK(log.find("write to taosync.orders blocked") != std::string::npos);
  CHECK(log.find("by pid " + std::to_string(holder_pid) + " (user postgres") != std::string::npos);
  CHECK(log.find("LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE") != std::string::npos);
  CHECK(log.find("cut by database.lock_timeout (1s) waiting for ") != std::string::npos);
  CHECK(log.find("Lock on taosync.orders, held by pid " + std::to_string(holder_pid)) !=
        std::string::npos);
  CHECK(log.find("retrying the write whole in") != std::string::npos);
  REQUIRE(seen_pending.has_value()); // /healthz saw the pending write and its blocker
  CHECK(seen_pending->age >= 2s);
  CHECK(seen_pending->blocker.find("pid " + std::to_string(holder_pid)) != std::string::npos);
  CHECK_FALSE(obs::metrics().longest_db_pending().has_value()); // done: nothing pending
}

TEST_CASE("a statement cut by statement_timeout fails once, naming the key") {
  ConnectionThread writer(options(migrated_database()));
  int attempts = 0;
  try {
    run_job<int>(writer, [&](Store&) -> int {
      ++attempts;
      throw pqxx::sql_error("ERROR:  canceling statement due to statement timeout\n", "SELECT 1",
                            "57014");
    });
    FAIL("no DatabaseTimeout");
  } catch (const DatabaseTimeout& e) {
    CHECK(std::string(e.what()).find("cut by database.statement_timeout (5m)") !=
          std::string::npos);
  }
  CHECK(attempts == 1);
  // A cancel request (same SQLSTATE, other message) is not a timeout: it propagates as is.
  CHECK_THROWS_AS(run_job<int>(writer,
                               [&](Store&) -> int {
                                 throw pqxx::sql_error(
                                     "ERROR:  canceling statement due to user request\n", "",
                                     "57014");
                               }),
                  pqxx::sql_error);
}

TEST_CASE("a one-shot writer gives up on an unreachable database after connect_timeout") {
  auto o = options("postgresql://u:pw-not-shown@127.0.0.1:1/nodb");
  o.give_up_after = 2s;
  ConnectionThread writer(o);
  LogCapture logs;
  const auto start = std::chrono::steady_clock::now();
  try {
    run_job<int>(writer, [](Store&) { return 1; });
    FAIL("no DatabaseUnreachable");
  } catch (const DatabaseUnreachable& e) {
    const std::string msg = e.what();
    CHECK(msg.find("database unreachable at 127.0.0.1:1/nodb after 2s "
                   "(database.connect_timeout): ") != std::string::npos);
    CHECK(msg.find("pw-not-shown") == std::string::npos);
  }
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 1900ms);
  CHECK(took < 15s);
  // The wait was logged once with the reason and the next attempt, not once per attempt.
  const std::string log = logs.text();
  INFO(log);
  CHECK(log.find("database unreachable at 127.0.0.1:1/nodb: ") != std::string::npos);
  CHECK(log.find("next attempt in") != std::string::npos);
  CHECK(log.find("still unreachable") == std::string::npos);
}
