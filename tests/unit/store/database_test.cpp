// The typed Database against a throwaway PostgreSQL: each operation round-trips, one whose
// connection is killed while it waits is retried whole, lookups are answered on their own
// connection while the writer waits inside a transaction, both connections feed one
// heartbeat, and two batch writes at once commit on one connection when the server refuses a
// second.

#include "io_helpers.hpp"
#include "store/database.hpp"
#include "store/pq.hpp"
#include "store_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kDbShop = "shop-db";
constexpr std::chrono::milliseconds kMaxBackoff{400};

/// Another session holding the shop's sync_state row locked until release() (or the end).
class RowLock {
public:
  explicit RowLock(const std::string& url) : conn_(url), tx_(conn_) {
    pq::run(tx_, "SELECT shop FROM taosync.sync_state WHERE shop = $1 FOR UPDATE", kDbShop);
  }
  void release() { tx_.commit(); }

private:
  pqxx::connection conn_;
  pqxx::work tx_;
};

/// The pid of the backend of the test's database waiting for a lock (waits up to 10 s).
int lock_waiter(const std::string& url) {
  pqxx::connection conn(url);
  for (int i = 0; i < 200; ++i) {
    pqxx::nontransaction tx(conn);
    const auto rows = tx.exec("SELECT pid FROM pg_stat_activity WHERE datname = "
                              "current_database() AND wait_event_type = 'Lock'");
    if (!rows.empty())
      return rows[0][0].as<int>();
    std::this_thread::sleep_for(50ms);
  }
  FAIL("no backend waited for the row lock");
  return 0;
}

SyncState cursor_at(std::int64_t ms) {
  SyncState s;
  s.shop = kDbShop;
  s.hwm = at_ms(ms);
  return s;
}

} // namespace

TEST_CASE("each database operation round-trips") {
  Database db(fresh_database(), kMaxBackoff);
  await_op(db.migrate());

  await_op(db.save_state(cursor_at(30)));
  CHECK(await_op(db.load_state(kDbShop)).hwm == at_ms(30));

  auto batch = batch_with_lines(kDbShop, {make_order("1", 10), make_order("2", 20)});
  CHECK(await_op(db.write_batch(std::move(batch))).inserted == 2);
  const std::vector<std::string> ids{"1", "3"};
  const auto versions = await_op(db.stored_versions(kDbShop, ids));
  REQUIRE(versions.size() == 1);
  CHECK(versions.at("1").modification_time == at_ms(10));
  CHECK(await_op(db.sample_recent_orders(kDbShop, 5)).size() == 2);
  const auto order = await_op(db.load_order(kDbShop, "2"));
  REQUIRE(order);
  CHECK(order->order.modification_time == at_ms(20));
  CHECK_FALSE(await_op(db.load_order(kDbShop, "9")));

  await_op(db.save_tokens(kDbShop, model::Tokens{"access", "refresh", {}, {}}, "fp"));
  const auto tokens = await_op(db.load_tokens(kDbShop, "fp"));
  REQUIRE(tokens);
  CHECK(tokens->refresh_token == "refresh");
  CHECK_FALSE(await_op(db.load_tokens(kDbShop, "other-fp")));

  Batch owed;
  owed.shop = kDbShop;
  owed.owed = {OwedOrder{"5001", {"50011"}, at_ms(50), "1 line(s) missing"}};
  await_op(db.write_batch(std::move(owed)));
  CHECK(await_op(db.due_owed(kDbShop, 10, false)).size() == 1);
  CHECK(await_op(db.owed_summary(kDbShop)).orders == 1);
  await_op(db.postpone_owed(kDbShop, "5001", "still missing", std::chrono::hours(1)));
  CHECK(await_op(db.due_owed(kDbShop, 10, false)).empty());
  const auto any = await_op(db.due_owed(kDbShop, 10, true));
  REQUIRE(any.size() == 1);
  CHECK(any[0].attempts == 1);

  await_op(db.save_held(kDbShop, HeldWindow{at_ms(100), at_ms(200), "page 1 holds 3", {}}));
  const auto held = await_op(db.load_held(kDbShop));
  REQUIRE(held);
  CHECK(held->reason == "page 1 holds 3");
  await_op(db.save_held(kDbShop, std::nullopt));
  CHECK_FALSE(await_op(db.load_held(kDbShop)));

  CHECK(await_op(db.load_flags(kDbShop)).refresh_fingerprint.empty());
  await_op(db.save_refresh_fingerprint(kDbShop, "refresh-fp", false));
  const auto until = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                     std::chrono::hours(1);
  await_op(db.save_api_ban(kDbShop, until));
  const ShopFlags flags = await_op(db.load_flags(kDbShop));
  CHECK(flags.refresh_fingerprint == "refresh-fp");
  CHECK(flags.api_banned_until == until);
}

TEST_CASE("an operation whose connection is killed while it waits is retried whole") {
  const auto url = migrated_database();
  OpThread io;
  Database db(url, kMaxBackoff);
  await_op(db.save_state(cursor_at(10)));
  RowLock lock(url);

  // The batch's cursor must wait for the locked row; its backend is killed meanwhile.
  auto batch = batch_with_lines(kDbShop, {make_order("7", 70)});
  batch.cursor = cursor_at(70);
  auto written = io.start(db.write_batch(std::move(batch)));
  const int waiter = lock_waiter(url);
  CHECK(query_value<bool>(url, "SELECT pg_terminate_backend(" + std::to_string(waiter) + ")"));
  lock.release();

  REQUIRE(written.wait_for(20s) == std::future_status::ready);
  CHECK(written.get().inserted == 1); // the killed attempt left nothing behind
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.orders") == 1);
  CHECK(await_op(db.load_state(kDbShop)).hwm == at_ms(70));
}

TEST_CASE("lookups are answered while the writer waits inside a transaction") {
  const auto url = migrated_database();
  OpThread io;
  Database db(url, kMaxBackoff);
  await_op(db.write_batch(batch_with_lines(kDbShop, {make_order("1", 10)})));
  await_op(db.save_state(cursor_at(10)));
  RowLock lock(url);

  auto saved = io.start(db.save_state(cursor_at(20)));
  const int waiter = lock_waiter(url);
  const std::vector<std::string> ids{"1"};
  auto looked_up = io.start(db.stored_versions(kDbShop, ids));
  REQUIRE(looked_up.wait_for(10s) == std::future_status::ready);
  CHECK(looked_up.get().at("1").modification_time == at_ms(10));
  CHECK(saved.wait_for(0s) == std::future_status::timeout); // the writer is still blocked
  CHECK(query_value<int>(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND pid <> " +
                                  std::to_string(waiter) + " AND wait_event_type = 'Lock'") == 0);

  lock.release();
  REQUIRE(saved.wait_for(20s) == std::future_status::ready);
  saved.get();
  CHECK(await_op(db.load_state(kDbShop)).hwm == at_ms(20));
}

TEST_CASE("a lookup waiting out an outage feeds the heartbeat set on the database") {
  testing::PgCluster pg;
  const auto url = pg.create_database();
  OpThread io;
  Database db(url, kMaxBackoff);
  await_op(db.migrate());
  std::atomic<int> beats = 0;
  db.set_heartbeat([&beats] { ++beats; });
  pg.stop_immediate();

  const std::vector<std::string> ids{"1"};
  auto looked_up = io.start(db.stored_versions(kDbShop, ids));
  for (int i = 0; i < 100 && beats == 0; ++i)
    std::this_thread::sleep_for(50ms);
  CHECK(beats > 0);
  db.stop();
  REQUIRE(looked_up.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS_AS(looked_up.get(), ConnectionStopped);
}

TEST_CASE("a write deletes feed rows past changes.retention, at most once an hour") {
  const auto url = migrated_database();
  Database db(connection_thread_options(url, kMaxBackoff), std::chrono::hours(24));
  const auto age_all = [&url] {
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    pq::run0(tx, "UPDATE taosync.changes SET changed_at = now() - INTERVAL '2 days'");
  };
  const auto rows = [&url] {
    return query_value<std::int64_t>(url, "SELECT count(*) FROM taosync.changes");
  };
  await_op(db.write_batch(batch_with_lines(kDbShop, {make_order("9401", 1000)})));
  CHECK(rows() == 2); // written after the prune: too young
  age_all();
  await_op(db.write_batch(batch_with_lines(kDbShop, {make_order("9402", 1000)})));
  CHECK(rows() == 4); // within the hour: no second prune

  Database fresh(connection_thread_options(url, kMaxBackoff), std::chrono::hours(24));
  await_op(fresh.write_batch(batch_with_lines(kDbShop, {make_order("9403", 1000)})));
  CHECK(query_value(url, "SELECT string_agg(DISTINCT trade_order_id, ',') FROM "
                         "taosync.changes") == "9402,9403"); // 9401's rows were aged
  age_all();
  Database keep(connection_thread_options(url, kMaxBackoff),
                std::chrono::milliseconds(0)); // 0 keeps all
  await_op(keep.write_batch(batch_with_lines(kDbShop, {make_order("9404", 1000)})));
  CHECK(rows() == 6);
}

TEST_CASE("two batch writes at once for a role allowed one connection both commit, on the first "
          "connection") {
  const auto url = migrated_database();
  {
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    pq::run0(tx,
             "CREATE ROLE one_connection LOGIN CONNECTION LIMIT 1; "
             "GRANT USAGE ON SCHEMA taosync TO one_connection; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO "
             "one_connection; GRANT USAGE ON ALL SEQUENCES IN SCHEMA taosync TO one_connection");
  }
  std::string limited = url;
  limited.replace(limited.find("postgres@"), 8, "one_connection");
  OpThread io;
  Database db(limited, kMaxBackoff);
  // The first connection is open, as in the daemon, which migrates and loads its state first.
  await_op(db.write_batch(batch_with_lines(kDbShop, {make_order("0", 10)})));
  // The second write of each pair would go to the second connection, which the server refuses:
  // it goes to the first instead of waiting for a connection that never comes.
  for (int round = 0; round < 3; ++round) {
    auto a = io.start(
        db.write_batch(batch_with_lines(kDbShop, {make_order(std::to_string(2 * round + 1), 10)})));
    auto b = io.start(
        db.write_batch(batch_with_lines(kDbShop, {make_order(std::to_string(2 * round + 2), 10)})));
    REQUIRE(a.wait_for(20s) == std::future_status::ready);
    REQUIRE(b.wait_for(20s) == std::future_status::ready);
    CHECK(a.get().inserted == 1);
    CHECK(b.get().inserted == 1);
  }
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.orders") == 7);
}
