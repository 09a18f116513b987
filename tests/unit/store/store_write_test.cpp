#include "store/order_rows.hpp"
#include "store/shop_report.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kWriteShop = "shop-a";

std::int64_t count(const std::string& url, const std::string& table) {
  return query_value<std::int64_t>(url, "SELECT count(*) FROM taosync." + table);
}

} // namespace

TEST_CASE("writing the same batch twice is idempotent") {
  const auto url = migrated_database();
  Store store(url);
  const auto batch = batch_with_lines(
      kWriteShop, {make_order("1001", 5000), make_order("1002", 5000), make_order("1003", 6000)});
  const auto first = store.write(batch);
  CHECK(first.inserted == 3);
  CHECK(first.updated == 0);
  CHECK(first.lines == 3);
  CHECK(first.status_changes == 3); // a new order is a change from nothing

  const auto second = store.write(batch);
  CHECK(second.inserted == 0);
  CHECK(second.unchanged == 3);
  CHECK(second.stale == 0);
  CHECK(second.status_changes == 0);

  CHECK(count(url, "orders") == 3);
  CHECK(count(url, "order_lines") == 3);
  CHECK(count(url, "line_shipments") == 6);
  CHECK(count(url, "line_sku_properties") == 6);
  CHECK(count(url, "order_status_history") == 3);
  const auto counts = store.read("counts", [&](auto& tx) { return select_counts(tx, kWriteShop); });
  CHECK(counts.orders == 3);
  CHECK(counts.lines == 3);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, "other-shop"); }).orders ==
        0);
}

TEST_CASE("older data never overwrites newer data") {
  const auto url = migrated_database();
  Store store(url);
  store.write(batch_with_lines(kWriteShop, {make_order("2001", 9000, "shipped")}));

  auto older = batch_with_lines(kWriteShop, {make_order("2001", 8000, "pending")});
  older.lines[0].shipments[1].tracking_number = "OLD-TRACKING";
  const auto r = store.write(older);
  CHECK(r.stale == 1);
  CHECK(r.updated == 0);
  CHECK(r.lines == 0);
  CHECK(r.status_changes == 0);
  CHECK(query_value(url, "SELECT status FROM taosync.orders WHERE trade_order_id = '2001'") ==
        "shipped");
  CHECK(query_value<std::int64_t>(url, "SELECT (extract(epoch FROM modification_time) * 1000)"
                                       "::bigint FROM taosync.orders") == 9000);
  CHECK(query_value(url, "SELECT tracking_number FROM taosync.line_shipments WHERE order_no = 2") ==
        "20KXH23050207");

  const auto newer =
      store.write(batch_with_lines(kWriteShop, {make_order("2001", 9500, "delivered")}));
  CHECK(newer.updated == 1);
  CHECK(query_value(url, "SELECT status FROM taosync.orders") == "delivered");
}

TEST_CASE("a batch holding the same order twice keeps the newest") {
  const auto url = migrated_database();
  Store store(url);
  Batch b;
  b.shop = kWriteShop;
  b.orders = {make_order("2101", 3000, "shipped"), make_order("2101", 1000, "pending")};
  CHECK(store.write(b).inserted == 1);
  CHECK(query_value(url, "SELECT status FROM taosync.orders") == "shipped");
}

TEST_CASE("lines are replaced as a set, only when their order is written") {
  const auto url = migrated_database();
  Store store(url);
  Batch v1;
  v1.shop = kWriteShop;
  v1.orders = {make_order("3001", 1000)};
  v1.lines = {make_line("3001", "30011", 1000), make_line("3001", "30012", 1000)};
  v1.lines_for = {"3001"};
  CHECK(store.write(v1).lines == 2);

  Batch v2 = v1; // newer order: line 30012 is gone, 30011 got a new tracking number
  v2.orders[0] = make_order("3001", 2000, "shipped");
  v2.lines = {make_line("3001", "30011", 2000, "NEW-TRACKING")};
  CHECK(store.write(v2).lines == 1);
  CHECK(count(url, "order_lines") == 1);
  CHECK(count(url, "line_shipments") == 2);
  CHECK(count(url, "line_sku_properties") == 2);
  CHECK(query_value(url, "SELECT tracking_number FROM taosync.line_shipments WHERE order_no = 2") ==
        "NEW-TRACKING");

  Batch stale = v1; // an older order with a different line set changes nothing
  stale.lines = {make_line("3001", "30019", 500)};
  const auto r = store.write(stale);
  CHECK(r.stale == 1);
  CHECK(r.lines == 0);
  CHECK(query_value(url, "SELECT string_agg(trade_order_line_id, ',') FROM taosync.order_lines") ==
        "30011");

  Batch order_only; // an order written without its lines leaves the lines alone
  order_only.shop = kWriteShop;
  order_only.orders = {make_order("3001", 3000, "delivered")};
  CHECK(store.write(order_only).lines == 0);
  CHECK(count(url, "order_lines") == 1);
}

TEST_CASE("a line is never replaced by an older version of itself") {
  const auto url = migrated_database();
  Store store(url);
  Batch b;
  b.shop = kWriteShop;
  b.orders = {make_order("3101", 5000)};
  b.lines = {make_line("3101", "31011", 5000, "CURRENT")};
  b.lines_for = {"3101"};
  store.write(b);
  b.orders = {make_order("3101", 6000)}; // the order moved on, but this line copy is older
  b.lines = {make_line("3101", "31011", 4000, "OLDER")};
  const auto r = store.write(b);
  CHECK(r.updated == 1);
  CHECK(r.lines == 0);
  CHECK(query_value(url, "SELECT tracking_number FROM taosync.line_shipments WHERE order_no = 2") ==
        "CURRENT");
}

TEST_CASE("a stored order reads back as it was written") {
  const auto url = migrated_database();
  Store store(url);
  const auto order = make_order("4001", 1592990587586);
  auto batch = batch_with_lines(kWriteShop, {order});
  store.write(batch);
  const auto detail =
      store.read("load_order", [&](auto& tx) { return select_order(tx, kWriteShop, "4001"); });
  REQUIRE(detail);
  auto expected = order;
  expected.raw_json = detail->order.raw_json; // jsonb renders it its own way
  CHECK(detail->order == expected);
  REQUIRE(detail->lines.size() == 1);
  auto line = batch.lines[0];
  line.raw_json = detail->lines[0].raw_json;
  CHECK(detail->lines[0] == line);
  CHECK(detail->order.actual_shipping_fee.amount == "52.50");
  CHECK_FALSE(
      store.read("load_order", [&](auto& tx) { return select_order(tx, kWriteShop, "nope"); }));
  CHECK_FALSE(
      store.read("load_order", [&](auto& tx) { return select_order(tx, "other-shop", "4001"); }));
}

TEST_CASE("stored_versions answers for stored orders only") {
  const auto url = migrated_database();
  Store store(url);
  auto second = make_order("5002", 222, "canceled");
  second.line_ids = {"50021", "5002\"2"};
  store.write(batch_with_lines(kWriteShop, {make_order("5001", 111), second}));
  const auto versions = store.read("stored_versions", [&](auto& tx) {
    return select_stored_versions(tx, kWriteShop, {"5001", "5002", "5003"});
  });
  CHECK(versions.size() == 2);
  CHECK(versions.at("5001").modification_time == at_ms(111));
  CHECK(versions.at("5001").status == "ready_to_ship");
  CHECK(versions.at("5001").line_ids == std::vector<std::string>{"50011"});
  CHECK(versions.at("5002").modification_time == at_ms(222));
  CHECK(versions.at("5002").status == "canceled");
  CHECK(versions.at("5002").line_ids == second.line_ids);
  CHECK(store
            .read("stored_versions",
                  [&](auto& tx) { return select_stored_versions(tx, kWriteShop, {}); })
            .empty());
  CHECK(store
            .read("stored_versions",
                  [&](auto& tx) { return select_stored_versions(tx, "other-shop", {"5001"}); })
            .empty());
}

TEST_CASE("a second version of an order at the same modification_time replaces the first, "
          "lines and all") {
  // A platform whose clock stepped back stamps its changes with its last time: the versions
  // cannot be told apart by time, so the later write wins, and its lines with it.
  const auto url = migrated_database();
  Store store(url);
  store.write(batch_with_lines(kWriteShop, {make_order("5101", 500, "pending")}));
  auto again = batch_with_lines(kWriteShop, {make_order("5101", 500, "canceled")});
  again.lines[0].status = "canceled";
  const auto result = store.write(again);
  CHECK(result.stale == 0);
  CHECK(query_value(url, "SELECT status FROM taosync.orders WHERE trade_order_id = '5101'") ==
        "canceled");
  CHECK(query_value(url, "SELECT status FROM taosync.order_lines WHERE trade_order_id = "
                         "'5101'") == "canceled");
  CHECK(store
            .read("stored_versions",
                  [&](auto& tx) { return select_stored_versions(tx, kWriteShop, {"5101"}); })
            .at("5101")
            .status == "canceled");
}

TEST_CASE("sample_recent_orders returns distinct stored ids") {
  const auto url = migrated_database();
  Store store(url);
  std::vector<model::Order> orders;
  for (int i = 0; i < 20; ++i)
    orders.push_back(make_order(std::to_string(6000 + i), 1000 + i));
  store.write(batch_with_lines(kWriteShop, orders));
  const auto sample = store.read("sample_recent_orders",
                                 [&](auto& tx) { return select_recent_orders(tx, kWriteShop, 5); });
  CHECK(sample.size() == 5);
  CHECK(std::set<std::string>(sample.begin(), sample.end()).size() == 5);
  CHECK(store
            .read("sample_recent_orders",
                  [&](auto& tx) { return select_recent_orders(tx, kWriteShop, 50); })
            .size() == 20);
}
