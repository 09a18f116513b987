// The walking skeleton end to end: `taosyncd once` against taosync-sim leaves the database
// equal to /_sim/truth, with the seed's order exactly as the API documents it. Also proves the
// comparison tool is not vacuous: tampering with the database is caught.

#include "scenario.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

namespace taosync::e2e {
namespace {

constexpr const char* kSeedOrder = "558757367941";
constexpr const char* kSeedLine = "558757467941";

void exec(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

TEST_CASE("taosyncd once syncs the simulated shop, seed order included, equal to truth") {
  Scenario s({"--orders", "300", "--seed", "11"});
  REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());

  const std::string order = std::string("SELECT %s FROM taosync.orders WHERE shop = $1 AND "
                                        "trade_order_id = '") +
                            kSeedOrder + "'";
  auto order_col = [&](const std::string& col) {
    std::string sql = order;
    sql.replace(sql.find("%s"), 2, col);
    return s.query(sql);
  };
  CHECK(order_col("status") == "ready_to_ship");
  CHECK(order_col("actual_fee = 62") == "t");
  CHECK(order_col("actual_fee_currency_code") == "TWD");
  CHECK(order_col("delivery_city") == "台北市");
  CHECK(order_col("buyer_full_name") == "abbyh "); // trailing space kept
  CHECK(order_col("array_to_string(line_ids, ',')") == kSeedLine);

  const std::string line_where =
      std::string(" WHERE shop = $1 AND trade_order_line_id = '") + kSeedLine + "'";
  CHECK(s.query("SELECT quantity FROM taosync.order_lines" + line_where) == "1");
  CHECK(s.query("SELECT unit_fee = 10 FROM taosync.order_lines" + line_where) == "t");
  CHECK(s.query("SELECT trade_order_id FROM taosync.order_lines" + line_where) == kSeedOrder);
  CHECK(s.query("SELECT string_agg(property_name || '=' || value_text, ',' ORDER BY "
                "property_name) FROM taosync.line_sku_properties" +
                line_where) == "產品尺寸=50,色系=黑色");
  CHECK(s.query("SELECT tracking_number FROM taosync.line_shipments" + line_where +
                " AND order_no = 2") == "20KXH23050207");
  CHECK(s.query("SELECT count(*) FROM taosync.line_shipments" + line_where) == "2");

  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.truth_orders >= 300);
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
  CHECK(report.db_shipments == report.truth_shipments);
  CHECK(report.db_sku == report.truth_sku);

  SUBCASE("a second once changes nothing and still equals truth") {
    REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());
    auto again = s.compare();
    CHECK_MESSAGE(again.differences() == 0, again.summary());
  }
  SUBCASE("the comparison catches missing, stale, mismatched, extra and duplicate rows") {
    const std::string url = s.db_url();
    exec(url, "DELETE FROM taosync.order_lines WHERE trade_order_line_id = (SELECT "
              "min(trade_order_line_id) FROM taosync.order_lines WHERE trade_order_id NOT IN "
              "('558757367941', '546108399700'))");
    exec(url, "UPDATE taosync.orders SET status = 'shipped' WHERE trade_order_id = '" +
                  std::string(kSeedOrder) + "'");
    exec(url, "UPDATE taosync.line_shipments SET tracking_number = 'X' WHERE "
              "trade_order_line_id = '" +
                  std::string(kSeedLine) + "' AND order_no = 2");
    exec(url, "UPDATE taosync.orders SET modification_time = modification_time - "
              "interval '1 hour' WHERE trade_order_id = '546108399700'");
    exec(url, "INSERT INTO taosync.orders (shop, trade_order_id, status, modification_time) "
              "VALUES ('default', '999', 'unpaid', now())");
    exec(url, "INSERT INTO taosync.line_sku_properties (shop, trade_order_line_id, position, "
              "property_id, property_name, value_id, value_text) SELECT shop, "
              "trade_order_line_id, position + 100, property_id, property_name, value_id, "
              "value_text FROM taosync.line_sku_properties WHERE trade_order_line_id = '" +
                  std::string(kSeedLine) + "' AND property_name = '色系'");
    auto tampered = s.compare();
    CHECK(tampered.missing == 1);    // the deleted line
    CHECK(tampered.mismatched == 2); // status, tracking number
    CHECK(tampered.stale == 1);
    CHECK(tampered.extra == 1);
    CHECK(tampered.duplicate == 1);
  }
}

} // namespace
} // namespace taosync::e2e
