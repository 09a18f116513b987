#pragma once
// Shared helpers of the store tests: one throwaway cluster per test binary, sample records.

#include "model/records.hpp"
#include "store/batch.hpp"
#include "store/pq.hpp"
#include "store/store.hpp"
#include "support/pg_cluster.hpp"

#include <pqxx/pqxx>

#include <string>

namespace taosync::store::test {

/// The binary's cluster, started on first use.
inline testing::PgCluster& cluster() {
  static testing::PgCluster pg;
  return pg;
}

/// A fresh database with nothing in it.
inline std::string fresh_database() {
  return cluster().create_database();
}

/// A fresh database with the schema migrated; returns its url.
inline std::string migrated_database() {
  const auto url = fresh_database();
  Store(url).migrate();
  return url;
}

inline model::TimePoint at_ms(std::int64_t ms) {
  return model::TimePoint(std::chrono::milliseconds(ms));
}

/// An order shaped like the seed's 558757367941, with the given id, time and status.
inline model::Order make_order(const std::string& id, std::int64_t modified_ms,
                               const std::string& status = "ready_to_ship") {
  model::Order o;
  o.trade_order_id = id;
  o.buyer_id = "2000007867941";
  o.buyer_full_name = "abbyh ";
  o.seller_id = "2000005665181";
  o.seller_full_name = "淘寶台灣測試店鋪";
  o.status = status;
  o.payment_channel = "CAINIAO_HILIFE_COD";
  o.actual_fee = {"62", "TWD"};
  o.shipping_fee = {"52", "TWD"};
  o.actual_shipping_fee = {"52.50", "TWD"};
  o.creation_time = at_ms(1592988843859);
  o.modification_time = at_ms(modified_ms);
  o.delivery = {"松山區", "CN",   "台北市",    "台北市松山區南京東路5段250巷3-1號",
                "黃**雲", "台灣", "09******62"};
  o.line_ids = {id + "1"};
  o.raw_json = R"({"trade_order_id":")" + id + R"(","status":")" + status +
               R"(","modification_time":)" + std::to_string(modified_ms) + "}";
  return o;
}

/// A line of `order_id` like the seed's 558757467941, with two shipments and two properties.
inline model::OrderLine make_line(const std::string& order_id, const std::string& line_id,
                                  std::int64_t modified_ms,
                                  const std::string& tracking = "20KXH23050207") {
  model::OrderLine l;
  l.trade_order_line_id = line_id;
  l.trade_order_id = order_id;
  l.product_id = "242178746";
  l.sku_id = "3065252106";
  l.package_id = "FO054911000916205";
  l.product_title = "親膚棉白T";
  l.product_main_image = "https://img-ovs.alicdn.com/other/gsp/e4b96b68.jpeg";
  l.product_detail_url = "https://item.taobao.tw/products/i242178746-s3065252106.html";
  l.buyer_full_name = "abbyh ";
  l.status = "ready_to_ship";
  l.quantity = 1;
  l.unit_fee = {"10", "TWD"};
  l.actual_fee = {"62", "TWD"};
  l.shipping_fee = {"52", "TWD"};
  l.actual_shipping_fee = {"52", "TWD"};
  l.creation_time = at_ms(1592988843859);
  l.modification_time = at_ms(modified_ms);
  l.shipments = {{1, std::nullopt, std::nullopt}, {2, tracking, "LP00184048254522"}};
  l.sku_properties = {{226649326, "色系", -1, "黑色"}, {19447, "產品尺寸", -1, "50"}};
  l.sku_info =
      R"([{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326}])";
  l.raw_json = R"({"trade_order_line_id":")" + line_id + R"("})";
  return l;
}

/// A batch of `orders` with, for each, the one line make_line gives (line id = order id + "1").
inline Batch batch_with_lines(const std::string& shop, std::vector<model::Order> orders) {
  Batch b;
  b.shop = shop;
  for (const auto& o : orders) {
    b.lines.push_back(make_line(o.trade_order_id, o.trade_order_id + "1",
                                o.modification_time.time_since_epoch().count()));
    b.lines_for.push_back(o.trade_order_id);
  }
  b.orders = std::move(orders);
  return b;
}

/// One value from a query (for assertions).
template <class T = std::string> T query_value(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  return pq::run1(tx, sql)[0].as<T>();
}

} // namespace taosync::store::test
