// The fresh batch write: a batch none of whose rows is stored is COPYed straight into the real
// tables, and must leave exactly what the compared write leaves for new orders.

#include "store/fresh_write.hpp"
#include "store/pq.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

/// Orders 7001..7003 with two lines each; the second line of each is shipped, 7002 has no fees
/// and a raw record with text to escape.
Batch new_orders(const std::string& shop) {
  Batch b;
  b.shop = shop;
  for (const std::string id : {"7001", "7002", "7003"}) {
    auto o = make_order(id, 5000, id == "7003" ? "shipped" : "pending");
    o.line_ids = {id + "1", id + "2"};
    b.orders.push_back(o);
    b.lines.push_back(make_line(id, id + "1", 5000));
    b.lines.push_back(make_line(id, id + "2", 4000, "T\t\\x"));
    b.lines.back().status = "shipped";
    b.lines_for.push_back(id);
  }
  b.orders[1].actual_fee = {"", ""};
  b.orders[1].raw_json = R"({"note":"tab\tand \\ backslash 台"})";
  return b;
}

/// The rows a write leaves for orders 70xx of `shop`, each table as one text, without the
/// columns that differ by nature (ids, the times of the writing transaction, the shop).
std::vector<std::string> rows_of(const std::string& url, const std::string& shop) {
  const std::vector<std::string> queries = {
      "SELECT string_agg((to_jsonb(o) - 'synced_at' - 'shop')::text, E'\\n' ORDER BY "
      "trade_order_id) FROM taosync.orders o WHERE shop = $1 AND trade_order_id LIKE '70%'",
      "SELECT string_agg((to_jsonb(l) - 'shop')::text, E'\\n' ORDER BY trade_order_line_id) "
      "FROM taosync.order_lines l WHERE shop = $1 AND trade_order_id LIKE '70%'",
      "SELECT string_agg((to_jsonb(x) - 'shop')::text, E'\\n' ORDER BY trade_order_line_id, "
      "order_no) FROM taosync.line_shipments x WHERE shop = $1 AND trade_order_line_id LIKE "
      "'70%'",
      "SELECT string_agg((to_jsonb(x) - 'shop')::text, E'\\n' ORDER BY trade_order_line_id, "
      "position) FROM taosync.line_sku_properties x WHERE shop = $1 AND trade_order_line_id "
      "LIKE '70%'",
      "SELECT string_agg((to_jsonb(h) - 'id' - 'observed_at' - 'shop')::text, E'\\n' ORDER BY "
      "id) FROM taosync.order_status_history h WHERE shop = $1 AND trade_order_id LIKE '70%'",
      "SELECT string_agg((to_jsonb(h) - 'id' - 'observed_at' - 'shop')::text, E'\\n' ORDER BY "
      "id) FROM taosync.order_line_status_history h WHERE shop = $1 AND trade_order_id LIKE "
      "'70%'",
      "SELECT string_agg((to_jsonb(c) - 'id' - 'changed_at' - 'shop')::text, E'\\n' ORDER BY "
      "id) FROM taosync.changes c WHERE shop = $1 AND trade_order_id LIKE '70%'"};
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  std::vector<std::string> out;
  for (const auto& q : queries)
    out.push_back(pq::run1(tx, q, shop)[0].as<std::string>(""));
  return out;
}

/// Collects the taosync_order_changed payloads of one connection.
struct PayloadListener {
  explicit PayloadListener(pqxx::connection& c)
      : conn_(c), subscription_(c, "taosync_order_changed",
                                [this](const std::string& p) { payloads.push_back(p); }) {}
  /// The payloads that arrive within a second or so, with `shop` written as "SHOP", sorted.
  std::vector<std::string> take(const std::string& shop) {
    for (int i = 0; i < 10; ++i)
      conn_.await_notification(0, 100000);
    std::vector<std::string> out;
    for (auto p : payloads) {
      p.replace(p.find(shop), shop.size(), "SHOP");
      out.push_back(p);
    }
    payloads.clear();
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> payloads;

private:
  pqxx::connection& conn_;
  pq::Subscription subscription_;
};

} // namespace

TEST_CASE("a fresh batch leaves the same rows, history and feed as the compared write") {
  const auto url = migrated_database();
  Store store(url);
  pqxx::connection listen_conn(url);
  PayloadListener listener(listen_conn);
  listen_conn.get_notifs();

  const auto fresh = store.write(new_orders("shop-fresh"));
  CHECK(fresh.fresh);
  const auto fresh_notes = listener.take("shop-fresh");

  // one order of the batch stored before: the whole batch is compared with the stored rows
  Batch before;
  before.shop = "shop-compared";
  before.orders = {make_order("6999", 5000)};
  before.orders[0].line_ids = {};
  CHECK(store.write(before).fresh);
  auto batch = new_orders("shop-compared");
  batch.orders.push_back(before.orders[0]);
  listener.take("shop-compared");
  const auto compared = store.write(batch);
  CHECK_FALSE(compared.fresh);
  CHECK(fresh_notes.size() == 3);
  CHECK(listener.take("shop-compared") == fresh_notes);

  CHECK(fresh.inserted == 3);
  CHECK(fresh.lines == 6);
  CHECK(fresh.status_changes == 3);
  CHECK(fresh.line_status_changes == 6);
  CHECK(fresh.changes == 9);
  CHECK(compared.inserted == 3);
  CHECK(compared.unchanged == 1);
  const auto want = rows_of(url, "shop-compared");
  const auto got = rows_of(url, "shop-fresh");
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i] == want[i]);
  }
  CHECK(got[0].find("tab\\tand") != std::string::npos);
}

TEST_CASE("an order seen again, or a line stored under another order, makes the batch compared") {
  const auto url = migrated_database();
  Store store(url);
  CHECK(store.write(new_orders("shop-again")).fresh);

  auto newer = new_orders("shop-again");
  for (auto& o : newer.orders)
    o.modification_time = at_ms(6000);
  const auto r = store.write(newer);
  CHECK_FALSE(r.fresh);
  CHECK(r.updated == 3);

  // a new order whose line id is stored under another order: the fresh COPY fails, and the
  // batch is written again, compared
  Batch clash;
  clash.shop = "shop-again";
  clash.orders = {make_order("7100", 7000)};
  clash.orders[0].line_ids = {"70011"};
  clash.lines = {make_line("7100", "70011", 7000)};
  clash.lines_for = {"7100"};
  const auto moved = store.write(clash);
  CHECK_FALSE(moved.fresh);
  CHECK(moved.inserted == 1);
  CHECK(query_value(url, "SELECT trade_order_id FROM taosync.order_lines WHERE shop = "
                         "'shop-again' AND trade_order_line_id = '70011'") == "7100");
}
