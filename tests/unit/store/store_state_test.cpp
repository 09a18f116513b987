#include "model/tokens.hpp"
#include "store/order_rows.hpp"
#include "store/pq.hpp"
#include "store/shop_report.hpp"
#include "store/state_rows.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kStateShop = "shop-b";

/// Collects NOTIFY payloads of one channel.
class Listener {
public:
  Listener(pqxx::connection& conn, const std::string& channel)
      : subscription_(conn, channel, [this](const std::string& p) { payloads.push_back(p); }) {}
  std::vector<std::string> payloads;

private:
  pq::Subscription subscription_;
};

SyncState full_state() {
  SyncState s;
  s.shop = kStateShop;
  s.hwm = at_ms(1592990587586);
  s.init_t0 = at_ms(1592990000000);
  s.init_cursor = at_ms(1592000000001);
  s.init_done = true;
  s.last_reconciled_day = std::chrono::sys_days(std::chrono::year{2026} / 11 / 27);
  s.last_cycle_at =
      std::chrono::system_clock::time_point(std::chrono::microseconds(1764300000123456));
  s.last_cycle_orders = 42;
  s.stopped = true;
  s.stopped_reason = "refresh token rejected: the seller must re-authorize";
  return s;
}

void check_same(const SyncState& a, const SyncState& b) {
  CHECK(a.shop == b.shop);
  CHECK(a.hwm == b.hwm);
  CHECK(a.init_t0 == b.init_t0);
  CHECK(a.init_cursor == b.init_cursor);
  CHECK(a.init_done == b.init_done);
  CHECK(a.last_reconciled_day == b.last_reconciled_day);
  CHECK(a.last_cycle_at == b.last_cycle_at);
  CHECK(a.last_cycle_orders == b.last_cycle_orders);
  CHECK(a.stopped == b.stopped);
  CHECK(a.stopped_reason == b.stopped_reason);
}

} // namespace

TEST_CASE("status changes are recorded in history and sent with NOTIFY") {
  const auto url = migrated_database();
  Store store(url);
  pqxx::connection listen_conn(url);
  Listener listener(listen_conn, "taosync_order_changed");
  listen_conn.get_notifs(); // LISTEN is sent now

  store.write(batch_with_lines(kStateShop, {make_order("7001", 1000, "pending")}));
  store.write(batch_with_lines(kStateShop, {make_order("7001", 2000, "pending")})); // no change
  const auto r = store.write(batch_with_lines(kStateShop, {make_order("7001", 3000, "shipped")}));
  CHECK(r.status_changes == 1);
  store.write(
      batch_with_lines(kStateShop, {make_order("7001", 2500, "canceled")})); // stale: ignored

  for (int i = 0; i < 50 && listener.payloads.size() < 2; ++i)
    listen_conn.await_notification(0, 100000);
  REQUIRE(listener.payloads.size() == 2);
  // the new order's line is a change from nothing too; the status change leaves the line alone
  CHECK(listener.payloads[0] == R"({"shop":"shop-b","trade_order_id":"7001","status":"pending",)"
                                R"("lines":[{"id":"70011","old":null,"new":"ready_to_ship"}]})");
  CHECK(listener.payloads[1] ==
        R"({"shop":"shop-b","trade_order_id":"7001","status":"shipped","lines":[]})");

  pqxx::nontransaction tx(listen_conn);
  const auto rows = tx.exec("SELECT coalesce(old_status, '-'), new_status, "
                            "(extract(epoch FROM modification_time) * 1000)::bigint "
                            "FROM taosync.order_status_history ORDER BY id");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0].as<std::string>() == "-");
  CHECK(rows[0][1].as<std::string>() == "pending");
  CHECK(rows[1][0].as<std::string>() == "pending");
  CHECK(rows[1][1].as<std::string>() == "shipped");
  CHECK(rows[1][2].as<std::int64_t>() == 3000);
}

TEST_CASE("rejected records are stored once and the rest of the batch lands") {
  const auto url = migrated_database();
  Store store(url);
  auto batch = batch_with_lines(kStateShop, {make_order("8001", 1000), make_order("8002", 1000)});
  batch.rejected.push_back(
      {"/orders/get", "8003", "modification_time: missing", R"({"trade_order_id":"8003"})"});
  auto bad_money = make_order("8004", 1000);
  bad_money.actual_fee.amount = "12,5";
  batch.orders.push_back(bad_money);
  auto bad_id = make_order("", 1000);
  batch.orders.push_back(bad_id);

  const auto r = store.write(batch);
  CHECK(r.inserted == 2);
  CHECK(r.rejected == 3);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kStateShop); }).orders == 2);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kStateShop); }).rejected ==
        3);
  CHECK(query_value(url, "SELECT reason FROM taosync.rejected_records WHERE record_id = '8004'")
            .find("actual_fee") != std::string::npos);
  CHECK(query_value(url, "SELECT raw FROM taosync.rejected_records WHERE record_id = '8003'") ==
        R"({"trade_order_id":"8003"})");

  store.write(batch); // the same bad records seen again by an overlapping window
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kStateShop); }).rejected ==
        3);
}

TEST_CASE("text PostgreSQL would refuse is repaired instead of failing the batch") {
  const auto url = migrated_database();
  Store store(url);
  auto order = make_order("8101", 1000);
  order.buyer_full_name = std::string("nul\0byte", 8);
  order.seller_full_name = "bad \xff utf8";
  order.raw_json = R"({"a":"x\u0000y","b":"\ud800","c":"\\u0000 stays"})";
  auto batch = batch_with_lines(kStateShop, {order});
  batch.lines[0].product_title = std::string(1 << 20, 'T'); // a 1 MiB title
  batch.rejected.push_back({"/order/items/get", "", "truncated", std::string("\xc3", 1)});
  const auto r = store.write(batch);
  CHECK(r.inserted == 1);
  CHECK(r.lines == 1);
  CHECK(query_value(url, "SELECT buyer_full_name FROM taosync.orders") == "nul\uFFFDbyte");
  CHECK(query_value(url, "SELECT raw->>'c' FROM taosync.orders") == "\\u0000 stays");
  CHECK(query_value<int>(url, "SELECT length(product_title) FROM taosync.order_lines") == 1 << 20);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kStateShop); }).rejected ==
        1);
}

TEST_CASE("the cursor commits with the batch's data, and a failed batch leaves neither") {
  const auto url = migrated_database();
  Store store(url);
  auto state = full_state();
  auto batch = batch_with_lines(kStateShop, {make_order("9001", 1000)});
  batch.cursor = state;
  store.write(batch);
  check_same(store.read("load_state", [&](auto& tx) { return select_state(tx, kStateShop); }),
             state);

  { // a trigger makes the line insert fail after the orders were upserted
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    pq::run0(tx, "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                 "IF NEW.product_title = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; "
                 "RETURN NEW; END $$");
    pq::run0(tx, "CREATE TRIGGER boom BEFORE INSERT ON taosync.order_lines "
                 "FOR EACH ROW EXECUTE FUNCTION boom()");
  }
  auto failing = batch_with_lines(kStateShop, {make_order("9002", 2000), make_order("9001", 3000)});
  failing.lines[1].product_title = "boom";
  auto moved = state;
  moved.hwm = at_ms(1600000000000);
  failing.cursor = moved;
  CHECK_THROWS_AS(store.write(failing), pqxx::sql_error);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kStateShop); }).orders == 1);
  CHECK(store
            .read("stored_versions",
                  [&](auto& tx) { return select_stored_versions(tx, kStateShop, {"9001"}); })
            .at("9001")
            .modification_time == at_ms(1000));
  check_same(store.read("load_state", [&](auto& tx) { return select_state(tx, kStateShop); }),
             state);

  failing.lines[1].product_title = "fine"; // the same connection is usable afterwards
  CHECK(store.write(failing).inserted == 1);
  CHECK(store.read("load_state", [&](auto& tx) { return select_state(tx, kStateShop); }).hwm ==
        moved.hwm);
}

TEST_CASE("sync state round trips, and an unknown shop gets a fresh state") {
  const auto url = migrated_database();
  Store store(url);
  const auto fresh =
      store.read("load_state", [&](auto& tx) { return select_state(tx, "nobody-shop"); });
  CHECK(fresh.shop == "nobody-shop");
  CHECK_FALSE(fresh.hwm);
  CHECK_FALSE(fresh.init_done);
  CHECK_FALSE(fresh.last_reconciled_day);

  store.write("save_state", [&](auto& tx) { upsert_state(tx, full_state()); });
  check_same(store.read("load_state", [&](auto& tx) { return select_state(tx, kStateShop); }),
             full_state());
  SyncState cleared;
  cleared.shop = kStateShop;
  store.write("save_state", [&](auto& tx) { upsert_state(tx, cleared); });
  check_same(store.read("load_state", [&](auto& tx) { return select_state(tx, kStateShop); }),
             cleared);
}

TEST_CASE("tokens round trip and are ignored when the configured token changed") {
  const auto url = migrated_database();
  Store store(url);
  CHECK_FALSE(
      store.read("load_tokens", [&](auto& tx) { return select_tokens(tx, kStateShop, "fp-1"); }));
  model::Tokens t;
  t.access_token = "access-2";
  t.refresh_token = "refresh-2";
  t.access_expires_at = std::chrono::sys_seconds(std::chrono::seconds(1767000000));
  t.refresh_expires_at = std::chrono::sys_seconds(std::chrono::seconds(1780000000));
  store.write("save_tokens", [&](auto& tx) { upsert_tokens(tx, kStateShop, t, "fp-1"); });
  const auto loaded =
      store.read("load_tokens", [&](auto& tx) { return select_tokens(tx, kStateShop, "fp-1"); });
  REQUIRE(loaded);
  CHECK(loaded->access_token == "access-2");
  CHECK(loaded->refresh_token == "refresh-2");
  CHECK(loaded->access_expires_at == t.access_expires_at);
  CHECK(loaded->refresh_expires_at == t.refresh_expires_at);
  CHECK_FALSE(store.read("load_tokens", [&](auto& tx) {
    return select_tokens(tx, kStateShop, "fp-other");
  })); // the seller re-authorized: config wins
  CHECK_FALSE(
      store.read("load_tokens", [&](auto& tx) { return select_tokens(tx, "other-shop", "fp-1"); }));

  t.access_token = "access-3";
  t.access_expires_at = {};
  store.write("save_tokens", [&](auto& tx) { upsert_tokens(tx, kStateShop, t, "fp-1"); });
  CHECK(store.read("load_tokens", [&](auto& tx) { return select_tokens(tx, kStateShop, "fp-1"); })
            ->access_token == "access-3");
  CHECK(store.read("load_tokens", [&](auto& tx) { return select_tokens(tx, kStateShop, "fp-1"); })
            ->access_expires_at == std::chrono::sys_seconds{});
}
