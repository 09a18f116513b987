// Fencing: with leases in use, a write for a shop commits only while this daemon holds the
// shop's lease at the epoch it recorded. A write overtaken by a change of hands rolls back
// whole; a write without a lease is refused; with leases off nothing changes; a session left
// idle inside a transaction is ended so that it cannot keep the lease row locked.

#include "lease_test_support.hpp"

#include "model/tokens.hpp"
#include "store/owed_rows.hpp"
#include "store/pq.hpp"
#include "store/session.hpp"
#include "store/state_rows.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kFencedShop = "shop-fenced";

/// Another session holding the shop's sync_state row locked until release().
class StateRowLock {
public:
  explicit StateRowLock(const std::string& url) : conn_(url), tx_(conn_) {
    pq::run(tx_, "SELECT shop FROM taosync.sync_state WHERE shop = $1 FOR UPDATE", kFencedShop);
  }
  void release() { tx_.commit(); }

private:
  pqxx::connection conn_;
  pqxx::work tx_;
};

/// Waits (up to 10 s) until a backend of the test's database waits for a lock.
void wait_for_lock_waiter(const std::string& url) {
  pqxx::connection conn(url);
  for (int i = 0; i < 200; ++i) {
    pqxx::nontransaction tx(conn);
    if (!tx.exec("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND "
                 "wait_event_type = 'Lock'")
             .empty())
      return;
    std::this_thread::sleep_for(50ms);
  }
  FAIL("no backend waited for the row lock");
}

SyncState cursor_at(std::int64_t ms) {
  SyncState s;
  s.shop = kFencedShop;
  s.hwm = at_ms(ms);
  return s;
}

std::int64_t orders_of(const std::string& url) {
  return query_value<std::int64_t>(
      url, std::string("SELECT count(*) FROM taosync.orders WHERE shop = '") + kFencedShop + "'");
}

std::int64_t commits_at(const std::string& url, int epoch) {
  return query_value<std::int64_t>(url, "SELECT coalesce(sum(commits), -1) FROM "
                                        "taosync.shop_leases WHERE epoch = " +
                                            std::to_string(epoch));
}

/// The message of the LeaseLost `op` throws ("" if it throws none, or another exception).
template <class R> std::string lease_lost(net::awaitable<R> op) {
  try {
    await_op(std::move(op));
  } catch (const LeaseLost& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("a write overtaken by a change of hands rolls back and only the new owner commits") {
  const auto url = migrated_database();
  Store(url).write("save_state",
                   [&](auto& tx) { upsert_state(tx, cursor_at(1)); }); // the row the test locks
  Database a(url, kLeaseBackoff);
  Database b(url, kLeaseBackoff);
  a.use_leases(true);
  b.use_leases(true);

  const auto held = await_op(a.acquire(kFencedShop, kDaemonA, 1s));
  REQUIRE(held.taken);
  REQUIRE(held.lease.epoch == 1);
  a.hold(kFencedShop, Fence{kDaemonA.id, 1});

  StateRowLock lock(url);
  OpThread io;
  auto batch = batch_with_lines(kFencedShop, {make_order("1", 10), make_order("2", 20)});
  batch.cursor = cursor_at(20);
  auto a_write = io.start(a.write_batch(std::move(batch)));
  wait_for_lock_waiter(url); // a's write is inside its transaction, its orders staged

  db_sleep(url, 1.2); // a's lease expires on the database's clock
  const auto b_takes = await_op(b.acquire(kFencedShop, kDaemonB, 30s));
  REQUIRE(b_takes.taken);
  CHECK(b_takes.lease.epoch == 2);
  b.hold(kFencedShop, Fence{kDaemonB.id, 2});
  lock.release();

  std::string lost;
  try {
    a_write.get();
  } catch (const LeaseLost& e) {
    lost = e.what();
  }
  CHECK(lost.find("shop shop-fenced") != std::string::npos);
  CHECK(lost.find("epoch 1") != std::string::npos);
  CHECK(lost.find("held by daemon-b (host-b, pid 202) at epoch 2") != std::string::npos);
  CHECK(orders_of(url) == 0);
  CHECK(await_op(a.load_state(kFencedShop)).hwm == at_ms(1));

  CHECK(await_op(b.write_batch(batch_with_lines(kFencedShop, {make_order("3", 30)}))).inserted ==
        1);
  await_op(b.save_state(cursor_at(30)));
  CHECK(orders_of(url) == 1);
  CHECK(commits_at(url, 2) == 2);

  // a, still believing it holds epoch 1, is refused every time.
  CHECK(lease_lost(a.save_state(cursor_at(99))).find("epoch 1") != std::string::npos);
  CHECK(await_op(b.load_state(kFencedShop)).hwm == at_ms(30));
}

TEST_CASE("with leases in use, every write for a shop without its lease is refused") {
  const auto url = migrated_database();
  Database db(url, kLeaseBackoff);
  db.use_leases(true);
  const std::string no_lease = "this daemon holds no lease on the shop";

  CHECK(lease_lost(db.write_batch(batch_with_lines(kFencedShop, {make_order("1", 10)})))
            .find("write for shop shop-fenced refused") != std::string::npos);
  CHECK(lease_lost(db.save_state(cursor_at(5))).find(no_lease) != std::string::npos);
  CHECK(lease_lost(db.save_tokens(kFencedShop, model::Tokens{"a", "r", {}, {}}, "fp"))
            .find(no_lease) != std::string::npos);
  CHECK(lease_lost(db.postpone_owed(kFencedShop, "1", "lines missing", 1s)).find(no_lease) !=
        std::string::npos);
  CHECK(lease_lost(db.save_held(kFencedShop, std::nullopt)).find(no_lease) != std::string::npos);
  CHECK(lease_lost(db.save_refresh_fingerprint(kFencedShop, "fp", true)).find(no_lease) !=
        std::string::npos);
  CHECK(lease_lost(db.save_api_ban(kFencedShop, std::chrono::system_clock::now())).find(no_lease) !=
        std::string::npos);
  CHECK(orders_of(url) == 0);
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.sync_state") == 0);
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.shop_tokens") == 0);

  SUBCASE("a dropped fence refuses the next write") {
    REQUIRE(await_op(db.acquire(kFencedShop, kDaemonA, 30s)).taken);
    db.hold(kFencedShop, Fence{kDaemonA.id, 1});
    await_op(db.save_state(cursor_at(5)));
    db.drop(kFencedShop);
    CHECK(lease_lost(db.save_state(cursor_at(6))).find(no_lease) != std::string::npos);
    CHECK(await_op(db.load_state(kFencedShop)).hwm == at_ms(5));
    CHECK(commits_at(url, 1) == 1);
  }
}

TEST_CASE("every fenced write counts itself under the epoch held") {
  const auto url = migrated_database();
  Database db(url, kLeaseBackoff);
  db.use_leases(true);
  REQUIRE(await_op(db.acquire(kFencedShop, kDaemonA, 30s)).taken);
  db.hold(kFencedShop, Fence{kDaemonA.id, 1});

  await_op(db.write_batch(batch_with_lines(kFencedShop, {make_order("1", 10)})));
  await_op(db.save_state(cursor_at(10)));
  await_op(db.save_tokens(kFencedShop, model::Tokens{"a", "r", {}, {}}, "fp"));
  await_op(db.postpone_owed(kFencedShop, "1", "lines missing", 1s));
  await_op(db.save_held(kFencedShop, std::nullopt));
  await_op(db.save_refresh_fingerprint(kFencedShop, "fp", false));
  await_op(db.save_api_ban(kFencedShop, std::chrono::system_clock::now()));
  CHECK(commits_at(url, 1) == 7);

  // Reads are not fenced, and do not count.
  await_op(db.load_state(kFencedShop));
  await_op(db.owed_summary(kFencedShop));
  CHECK(commits_at(url, 1) == 7);
}

TEST_CASE("a lost lease is not retried by the writer") {
  ConnectionThread writer(migrated_database(), kLeaseBackoff);
  int runs = 0;
  CHECK_THROWS_AS(await_op(writer.run<void>([&runs](Store&) {
                    ++runs;
                    throw LeaseLost("write for shop s refused");
                  })),
                  LeaseLost);
  CHECK(runs == 1);
}

TEST_CASE("with leases off, writes run unfenced as with a single daemon") {
  const auto url = migrated_database();
  Database db(url, kLeaseBackoff);
  CHECK(await_op(db.write_batch(batch_with_lines(kFencedShop, {make_order("1", 10)}))).inserted ==
        1);
  await_op(db.save_state(cursor_at(10)));
  CHECK(await_op(db.load_state(kFencedShop)).hwm == at_ms(10));
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.shop_leases") == 0);
}

TEST_CASE("a session left idle inside a transaction is ended when leases are in use") {
  const auto url = migrated_database();
  {
    auto plain = open_session(connection_settings(url)); // without leases: the server's setting
    pqxx::nontransaction q(*plain);
    CHECK(pq::run1(q, "SHOW idle_in_transaction_session_timeout")[0].as<std::string>() == "0");
  }
  auto settings = connection_settings(url);
  settings.idle_in_transaction_timeout = 300ms;
  auto conn = open_session(settings);
  {
    pqxx::nontransaction tx(*conn);
    CHECK(pq::run1(tx, "SHOW idle_in_transaction_session_timeout")[0].as<std::string>() == "300ms");
  }
  pqxx::work tx(*conn);
  tx.exec("SELECT 1 FROM taosync.shop_leases FOR UPDATE");
  std::this_thread::sleep_for(800ms); // frozen, as a SIGSTOPped daemon would be
  CHECK_THROWS(tx.exec("SELECT 1"));
}

TEST_CASE("daemon options with leases end idle transactions at half the ttl") {
  const auto options = with_lease_ttl(connection_thread_options("postgresql:///x", 1s), 30s);
  CHECK(options.connection.idle_in_transaction_timeout == 15s);
  CHECK(connection_thread_options("postgresql:///x", 1s).connection.idle_in_transaction_timeout ==
        0ms);
}
