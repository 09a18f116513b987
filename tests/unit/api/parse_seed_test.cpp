// The seed's four example responses (tests/unit/api/data/seed_*.json, copied verbatim from
// the seed) parse into exactly the values they hold, field by field.

#include "api/parse.hpp"
#include "test_data.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

using namespace taosync::api;
using taosync::testing::read_api_data;

namespace {

TimePoint ms(std::int64_t v) {
  return TimePoint(std::chrono::milliseconds(v));
}

void check_order_558757367941(const Order& o, const std::string& seller_name) {
  CHECK(o.trade_order_id == "558757367941");
  CHECK(o.buyer_id == "2000007867941");
  CHECK(o.buyer_full_name == "abbyh "); // trailing space kept
  CHECK(o.seller_id == "2000005665181");
  CHECK(o.seller_full_name == seller_name);
  CHECK(o.status == "ready_to_ship");
  CHECK(o.payment_channel == "CAINIAO_HILIFE_COD");
  CHECK(o.actual_fee == Money{"62", "TWD"});
  CHECK(o.shipping_fee == Money{"52", "TWD"});
  CHECK(o.actual_shipping_fee == Money{"52", "TWD"});
  CHECK(o.creation_time == ms(1592988843859));
  CHECK(o.modification_time == ms(1592990587586));
  CHECK(o.delivery.area == "松山區");
  CHECK(o.delivery.country_code == "CN");
  CHECK(o.delivery.city == "台北市");
  CHECK(o.delivery.detail_address == "台北市松山區南京東路5段250巷3-1號 萊爾富北市松清店");
  CHECK(o.delivery.receiver_name == "黃**雲");
  CHECK(o.delivery.state == "台灣");
  CHECK(o.delivery.receiver_phone == "09******62");
  CHECK(o.line_ids == std::vector<std::string>{"558757467941"}); // quotes removed
}

void check_order_546108399700(const Order& o) {
  CHECK(o.trade_order_id == "546108399700");
  CHECK(o.buyer_id == "2000004999700");
  CHECK(o.buyer_full_name == "MiaYu ");
  CHECK(o.seller_id == "2000005665181");
  CHECK(o.seller_full_name == "淘寶台灣測試店鋪");
  CHECK(o.status == "ready_to_ship");
  CHECK(o.payment_channel == "CAINIAO_SEVENELEVN_COD");
  CHECK(o.actual_fee == Money{"121", "TWD"});
  CHECK(o.shipping_fee == Money{"60", "TWD"});
  CHECK(o.actual_shipping_fee == Money{"60", "TWD"});
  CHECK(o.creation_time == ms(1592640805902));
  CHECK(o.modification_time == ms(1592641475712));
  CHECK(o.delivery.area == "大安區");
  CHECK(o.delivery.country_code == "CN");
  CHECK(o.delivery.city == "台北市");
  CHECK(o.delivery.detail_address == "台北市大安區基隆路二段142之1號及142之2號 7-ELEVEN欣隆昌");
  CHECK(o.delivery.receiver_name == "余**萱");
  CHECK(o.delivery.state == "台灣");
  CHECK(o.delivery.receiver_phone == "09******08");
  CHECK(o.line_ids == std::vector<std::string>{"546108499700"});
}

void check_line_558757467941(const OrderLine& l) {
  CHECK(l.trade_order_line_id == "558757467941");
  CHECK(l.trade_order_id == "558757367941");
  CHECK(l.product_id == "242178746");
  CHECK(l.sku_id == "3065252106");
  CHECK(l.package_id == "FO054911000916205");
  CHECK(l.product_title == "親膚棉白T");
  CHECK(l.product_main_image ==
        "https://img-ovs.alicdn.com/other/gsp/e4b96b68d61f18a93aaab544d278b8ef.jpeg");
  CHECK(l.product_detail_url ==
        "https://item.taobao.tw/products/i242178746-s3065252106.html?urlFlag=true&mp=1");
  CHECK(l.buyer_full_name == "abbyh ");
  CHECK(l.status == "ready_to_ship");
  CHECK(l.quantity == 1);
  CHECK(l.unit_fee == Money{"10", "TWD"});
  CHECK(l.actual_fee == Money{"62", "TWD"});
  CHECK(l.shipping_fee == Money{"52", "TWD"});
  CHECK(l.actual_shipping_fee == Money{"52", "TWD"});
  CHECK(l.creation_time == ms(1592988843859));
  CHECK(l.modification_time == ms(1592990587586));
  REQUIRE(l.shipments.size() == 2);
  CHECK(l.shipments[0] == Shipment{1, std::nullopt, std::nullopt});
  CHECK(l.shipments[1] == Shipment{2, "20KXH23050207", "LP00184048254522"});
  REQUIRE(l.sku_properties.size() == 2);
  CHECK(l.sku_properties[0] == SkuProperty{226649326, "色系", -1, "黑色"});
  CHECK(l.sku_properties[1] == SkuProperty{19447, "產品尺寸", -1, "50"});
  CHECK(l.sku_info ==
        R"([{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326},)"
        R"({"valueId":-1,"valueText":"50","propertyName":"產品尺寸","propertyId":19447}])");
}

// The raw JSON of a record is the record itself: same keys, same values.
void check_raw_is_record(const std::string& raw, const boost::json::value& record) {
  CHECK(boost::json::parse(raw) == record);
}

} // namespace

TEST_CASE("the seed's /orders/get init response parses every field of both orders") {
  const std::string body = read_api_data("seed_orders_get_init.json");
  auto outcome = parse_orders_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  CHECK(page.total_count == 12);
  CHECK(page.page_no == 1);
  CHECK(page.page_size == 2);
  CHECK(page.rejected.empty());
  REQUIRE(page.items.size() == 2);
  check_order_558757367941(page.items[0], "淘寶台灣測試店鋪");
  check_order_546108399700(page.items[1]);
  const auto list = boost::json::parse(body).at("result").at("model_list").as_array();
  check_raw_is_record(page.items[0].raw_json, list[0]);
  check_raw_is_record(page.items[1].raw_json, list[1]);
  CHECK(page.items[0].raw_json.find("\"buyer_full_name\": \"abbyh \"") != std::string::npos);
}

TEST_CASE("the seed's /orders/get modification-window response parses every field") {
  const std::string body = read_api_data("seed_orders_get_modified.json");
  auto outcome = parse_orders_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  CHECK(page.total_count == 1);
  CHECK(page.page_no == 1);
  CHECK(page.page_size == 2);
  CHECK(page.rejected.empty());
  REQUIRE(page.items.size() == 1);
  check_order_558757367941(page.items[0], "台灣淘寶測試店鋪"); // the name differs per endpoint
  check_raw_is_record(page.items[0].raw_json,
                      boost::json::parse(body).at("result").at("model_list").at(0));
}

TEST_CASE("the seed's /order/items/get response parses every field of the line") {
  const std::string body = read_api_data("seed_order_items_get.json");
  auto outcome = parse_lines_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  CHECK(page.total_count == 1);
  CHECK(page.page_no == 1);
  CHECK(page.page_size == 50);
  CHECK(page.rejected.empty());
  REQUIRE(page.items.size() == 1);
  check_line_558757467941(page.items[0]);
  check_raw_is_record(page.items[0].raw_json,
                      boost::json::parse(body).at("result").at("model_list").at(0));
}

TEST_CASE("the seed's /order/get response parses the order and its embedded line") {
  const std::string body = read_api_data("seed_order_get.json");
  auto outcome = parse_order_detail(body);
  REQUIRE(outcome.ok());
  const auto& detail = outcome.value();
  CHECK(detail.rejected.empty());
  check_order_558757367941(detail.order, "台灣淘寶測試店鋪");
  REQUIRE(detail.lines.size() == 1);
  check_line_558757467941(detail.lines[0]);
  auto module = boost::json::parse(body).at("result").at("module").as_object();
  check_raw_is_record(detail.lines[0].raw_json, module.at("trade_order_line_list").at(0));
  module.erase("trade_order_line_list"); // the order's raw leaves the lines to the lines
  check_raw_is_record(detail.order.raw_json, module);
}
