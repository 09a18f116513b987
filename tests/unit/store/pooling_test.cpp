// The per-transaction rules of a transaction pooler (store/session.hpp, Pooling), on a direct
// connection: nothing a write needs may outlive its transaction, and the writes give the same
// results as on a session that keeps its staging and prepared statements. PgBouncer itself is
// in tests/e2e/pgbouncer_test.cpp.

#include "store/batch_write.hpp"
#include "store/pooler.hpp"
#include "store/session.hpp"
#include "store/shop_report.hpp"
#include "store/state_rows.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kPooledShop = "shop-p";

ConnectionSettings per_transaction(const std::string& url) {
  ConnectionSettings s = connection_settings(url);
  s.pooler = Pooler::transaction;
  s.lock_timeout = std::chrono::milliseconds(4567);
  s.idle_in_transaction_timeout = std::chrono::milliseconds(8910);
  return s;
}

std::string show(pqxx::transaction_base& tx, const std::string& setting) {
  return pq::run1(tx, "SELECT current_setting('" + setting + "')")[0].as<std::string>();
}

} // namespace

TEST_CASE("behind a transaction pooler a write's staging and settings end with its transaction") {
  const auto url = migrated_database();
  const auto settings = per_transaction(url);
  const Pooling pooling(settings);
  const auto conn = open_session(settings);

  // fresh, then compared (the same batch again), then newer: each creates its own staging
  const auto batch =
      batch_with_lines(kPooledShop, {make_order("7001", 5000), make_order("7002", 5000)});
  CHECK(write_batch(*conn, batch, std::nullopt, pooling).inserted == 2);
  CHECK(write_batch(*conn, batch, std::nullopt, pooling).unchanged == 2);
  const auto newer =
      write_batch(*conn, batch_with_lines(kPooledShop, {make_order("7001", 6000, "shipped")}),
                  std::nullopt, pooling);
  CHECK(newer.updated == 1);
  CHECK(newer.status_changes == 1);
  CHECK(newer.lines == 1);

  pqxx::nontransaction after(*conn);
  CHECK(pq::run1(after, "SELECT to_regclass('pg_temp.stage_sets') IS NULL")[0].as<bool>());
  CHECK(pq::run1(after, "SELECT count(*) FROM pg_prepared_statements")[0].as<int>() == 0);
  CHECK(show(after, "lock_timeout") == "0"); // the server's: nothing was set on the session
  after.commit();

  pqxx::work tx(*conn);
  pooling.begin(tx);
  CHECK(show(tx, "lock_timeout") == "4567ms");
  CHECK(show(tx, "idle_in_transaction_session_timeout") == "8910ms");
}

TEST_CASE("a Store with per-transaction rules syncs like one with a session of its own") {
  const auto url = migrated_database();
  Store store(per_transaction(url));
  CHECK(store.backend_pid() == 0); // no one server process to watch for blocking locks
  store.write(batch_with_lines(kPooledShop, {make_order("7101", 5000)}));
  SyncState state;
  state.shop = kPooledShop;
  state.hwm = at_ms(5000);
  store.write("save_state", [&](auto& tx) { upsert_state(tx, state); });
  CHECK(store.read("load_state", [&](auto& tx) { return select_state(tx, kPooledShop); }).hwm ==
        at_ms(5000));
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kPooledShop); }).orders == 1);
  CHECK(store.read("shop_reports", [&](auto& tx) { return select_shop_reports(tx, {kPooledShop}); })
            .at(0)
            .counts.lines == 1);
}

TEST_CASE("a direct connection is no pooler, and probing it finds a session of its own") {
  const auto url = fresh_database();
  const auto settings = connection_settings(url);
  const auto conn = open_session(settings);
  CHECK(check_pooler(*conn, settings, "database.url") == conn->backendpid());
  CHECK(probe_pool_mode(*conn, settings) == PoolMode::session);
  CHECK(Store(url).backend_pid() > 0); // its own session's server process, watched for locks
}

// Not part of the suite (skipped): what the per-transaction rules cost a poll-sized write that
// compares with stored rows, on a direct connection, so that a pooler's own hop is left out.
// Run: store_test --no-skip -tc="*per-transaction rules cost*"
TEST_CASE("what the per-transaction rules cost a small compared write" * doctest::skip()) {
  constexpr int kWrites = 300;
  constexpr int kOrders = 10;
  const auto url = migrated_database();
  const auto run = [&](const ConnectionSettings& settings, std::int64_t first_ms) {
    const Pooling pooling(settings);
    const auto conn = open_session(settings);
    if (!pooling.per_transaction())
      prepare_batch_write(*conn);
    std::vector<model::Order> orders;
    for (int i = 0; i < kOrders; ++i)
      orders.push_back(make_order(std::to_string(8000 + i), first_ms));
    write_batch(*conn, batch_with_lines(kPooledShop, orders), std::nullopt, pooling); // stored now
    const auto start = std::chrono::steady_clock::now();
    for (int w = 1; w <= kWrites; ++w) {
      for (auto& o : orders)
        o.modification_time = at_ms(first_ms + w); // newer: updated, lines replaced
      CHECK(write_batch(*conn, batch_with_lines(kPooledShop, orders), std::nullopt, pooling)
                .updated == kOrders);
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
               .count() /
           kWrites;
  };
  for (int round = 0; round < 3; ++round) {
    const double session = run(connection_settings(url), 1'000'000 * (2 * round + 1));
    const double per_tx = run(per_transaction(url), 1'000'000 * (2 * round + 2));
    MESSAGE("a write of " << kOrders << " stored orders: " << session << " ms with the session's "
                          << "staging and prepared statements, " << per_tx
                          << " ms per transaction (" << per_tx - session << " ms more)");
  }
}
