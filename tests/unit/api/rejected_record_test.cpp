// A record that fails validation is rejected with a reason naming the field; the rest of its
// page still parses.

#include "api/parse.hpp"
#include "api/raw_record.hpp"
#include "model/rejected_id.hpp"
#include "test_data.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace taosync::api;
namespace json = boost::json;

namespace {

// The seed's /orders/get page with its first order changed by `edit`.
Page<Order> orders_page_with(const std::function<void(json::object&)>& edit) {
  auto root = json::parse(taosync::testing::read_api_data("seed_orders_get_init.json"));
  edit(root.at("result").at("model_list").at(0).as_object());
  auto outcome = parse_orders_page(json::serialize(root));
  REQUIRE(outcome.ok());
  return outcome.value();
}

Page<OrderLine> lines_page_with(const std::function<void(json::object&)>& edit) {
  auto root = json::parse(taosync::testing::read_api_data("seed_order_items_get.json"));
  edit(root.at("result").at("model_list").at(0).as_object());
  auto outcome = parse_lines_page(json::serialize(root));
  REQUIRE(outcome.ok());
  return outcome.value();
}

void check_order_rejected(const std::function<void(json::object&)>& edit,
                          const std::string& reason_part, const std::string& record_id) {
  const auto page = orders_page_with(edit);
  REQUIRE(page.rejected.size() == 1);
  CHECK(page.rejected[0].endpoint == "/orders/get");
  CHECK(page.rejected[0].record_id == record_id);
  CHECK_MESSAGE(page.rejected[0].reason.find(reason_part) != std::string::npos,
                page.rejected[0].reason);
  CHECK_FALSE(page.rejected[0].raw_json.empty());
  REQUIRE(page.items.size() == 1); // the other order still lands
  CHECK(page.items[0].trade_order_id == "546108399700");
}

void check_line_rejected(const std::function<void(json::object&)>& edit,
                         const std::string& reason_part) {
  const auto page = lines_page_with(edit);
  REQUIRE(page.rejected.size() == 1);
  CHECK(page.rejected[0].endpoint == "/order/items/get");
  CHECK_MESSAGE(page.rejected[0].reason.find(reason_part) != std::string::npos,
                page.rejected[0].reason);
  CHECK(page.items.empty());
}

} // namespace

TEST_CASE("an order without an id, or with an empty one, is rejected naming the id") {
  check_order_rejected([](json::object& o) { o.erase("trade_order_id"); },
                       "trade_order_id: missing", "");
  check_order_rejected([](json::object& o) { o["trade_order_id"] = ""; },
                       "trade_order_id: empty id", "");
}

TEST_CASE("an order with a field of the wrong type is rejected naming the field") {
  check_order_rejected([](json::object& o) { o["trade_order_id"] = 558757367941; },
                       "trade_order_id: expected a string, got a number", "558757367941");
  check_order_rejected([](json::object& o) { o["modification_time"] = "1592990587586"; },
                       "modification_time: expected an integer", "558757367941");
  check_order_rejected([](json::object& o) { o["delivery_info"] = "台北"; },
                       "delivery_info: expected an object", "558757367941");
  check_order_rejected([](json::object& o) { o["delivery_info"].as_object()["city"] = 5; },
                       "delivery_info.city: expected a string", "558757367941");
  check_order_rejected([](json::object& o) { o["trade_order_line_id_list"] = json::array{1}; },
                       "trade_order_line_id_list[0]", "558757367941");
  check_order_rejected([](json::object& o) { o["actual_fee"] = 62; },
                       "actual_fee: expected a string", "558757367941");
}

TEST_CASE("an order with a non-numeric fee is rejected naming the fee") {
  for (const char* fee : {"abc", "6 2", "62.", "1e3", "NaN", "--1"}) {
    CAPTURE(fee);
    check_order_rejected([&](json::object& o) { o["shipping_fee"] = fee; },
                         "shipping_fee: not a decimal number", "558757367941");
  }
  CHECK(orders_page_with([](json::object& o) { o["actual_fee"] = "-12.50"; }).rejected.empty());
}

TEST_CASE("an order with an absurdly long field is rejected and its raw JSON capped") {
  const std::string title(1024 * 1024, 'x');
  check_order_rejected([&](json::object& o) { o["buyer_full_name"] = title; },
                       "buyer_full_name: too long", "558757367941");
  const auto page = orders_page_with([&](json::object& o) { o["buyer_full_name"] = title; });
  CHECK(page.rejected[0].raw_json.size() <= kMaxRejectedRawBytes);
}

TEST_CASE("an order whose id is too long is rejected under its whole id, never a cut one") {
  // Past the accepted id length but short enough to keep: the whole id, which is never owed.
  const std::string longer = "558757367941" + std::string(60, '0');
  check_order_rejected([&](json::object& o) { o["trade_order_id"] = longer; },
                       "trade_order_id: id too long (72 bytes)", longer);
  // Too long to keep: a marked hash of all of it, which names no order of the platform.
  const std::string huge = "558757367941" + std::string(5000, '0');
  const auto page = orders_page_with([&](json::object& o) { o["trade_order_id"] = huge; });
  REQUIRE(page.rejected.size() == 1);
  CHECK(page.rejected[0].record_id == taosync::model::rejected_record_id(huge));
  CHECK(page.rejected[0].record_id.starts_with("#too-long:sha256:"));
  CHECK(page.rejected[0].raw_json.find(huge) != std::string::npos); // the raw keeps it whole
  CHECK(page.items.size() == 1);
}

TEST_CASE("an /order/get line rejected under a hashed id is not listed as the order's line") {
  auto root = json::parse(taosync::testing::read_api_data("seed_order_get.json"));
  auto& lines = root.at("result").at("module").at("trade_order_line_list").as_array();
  json::object second = lines[0].as_object();
  second["trade_order_line_id"] = std::string(1000, '9');
  lines.push_back(second);
  auto outcome = parse_order_detail(json::serialize(root));
  REQUIRE(outcome.ok());
  const auto& detail = outcome.value();
  REQUIRE(detail.rejected.size() == 1);
  CHECK(taosync::model::is_hashed_id(detail.rejected[0].record_id));
  CHECK(detail.order.line_ids == std::vector<std::string>{"558757467941"});
}

TEST_CASE("an order without status or times is rejected; unknown statuses are kept") {
  check_order_rejected([](json::object& o) { o.erase("status"); }, "status: missing",
                       "558757367941");
  check_order_rejected([](json::object& o) { o.erase("creation_time"); }, "creation_time: missing",
                       "558757367941");
  check_order_rejected([](json::object& o) { o["modification_time"] = -5; },
                       "modification_time: not an epoch", "558757367941");
  const auto page = orders_page_with([](json::object& o) { o["status"] = "lost_in_space"; });
  CHECK(page.rejected.empty());
  CHECK(page.items[0].status == "lost_in_space");
}

TEST_CASE("a string holding NUL is rejected because PostgreSQL cannot store it") {
  check_order_rejected([](json::object& o) { o["payment_channel"] = std::string("a\0b", 3); },
                       "payment_channel: contains a NUL", "558757367941");
  check_order_rejected([](json::object& o) { o["unknown_field"] = std::string("a\0b", 3); }, "NUL",
                       "558757367941");
  CHECK(orders_page_with([](json::object& o) { o["note"] = "\\u0000"; }).rejected.empty());
}

TEST_CASE("a list entry that is not an object is rejected, not the page") {
  auto root = json::parse(taosync::testing::read_api_data("seed_orders_get_init.json"));
  root.at("result").at("model_list").as_array().push_back(42);
  auto outcome = parse_orders_page(json::serialize(root));
  REQUIRE(outcome.ok());
  CHECK(outcome.value().items.size() == 2);
  REQUIRE(outcome.value().rejected.size() == 1);
  CHECK(outcome.value().rejected[0].raw_json == "42");
}

TEST_CASE("a line with broken sku_info, shipment or quantity is rejected naming the field") {
  check_line_rejected([](json::object& l) { l["sku_info"] = "[{\"valueId\":"; },
                      "sku_info: not valid JSON");
  check_line_rejected([](json::object& l) { l["sku_info"] = "{}"; }, "sku_info: not a JSON array");
  check_line_rejected([](json::object& l) { l["sku_info"] = R"([{"propertyId":"x"}])"; },
                      "sku_info: [0].propertyId: expected an integer");
  check_line_rejected(
      [](json::object& l) { l["shipment_list"].as_array()[1].as_object().erase("order_no"); },
      "shipment_list[1].order_no: missing");
  check_line_rejected([](json::object& l) { l["quantity"] = "1"; },
                      "quantity: expected an integer");
  check_line_rejected([](json::object& l) { l["unit_fee"] = "ten"; },
                      "unit_fee: not a decimal number");
  check_line_rejected([](json::object& l) { l.erase("trade_order_line_id"); },
                      "trade_order_line_id: missing");
  check_line_rejected([](json::object& l) { l["product_title"] = std::string(70000, 'T'); },
                      "product_title: too long");
}

TEST_CASE("a line without sku_info or shipments has none, and that is fine") {
  const auto page = lines_page_with([](json::object& l) {
    l.erase("sku_info");
    l["shipment_list"] = json::array{};
  });
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].sku_properties.empty());
  CHECK(page.items[0].shipments.empty());
}

TEST_CASE("an /order/get module with a bad line keeps the order and rejects the line") {
  auto root = json::parse(taosync::testing::read_api_data("seed_order_get.json"));
  auto& lines = root.at("result").at("module").at("trade_order_line_list").as_array();
  json::object second = lines[0].as_object();
  second["trade_order_line_id"] = "558757467942";
  second["quantity"] = "two";
  lines.push_back(second);
  auto outcome = parse_order_detail(json::serialize(root));
  REQUIRE(outcome.ok());
  const auto& detail = outcome.value();
  CHECK(detail.order.trade_order_id == "558757367941");
  CHECK(detail.lines.size() == 1);
  REQUIRE(detail.rejected.size() == 1);
  CHECK(detail.rejected[0].record_id == "558757467942");
  CHECK(detail.order.line_ids == std::vector<std::string>{"558757467941", "558757467942"});
}

TEST_CASE("an invalid /order/get order is rejected whole") {
  auto root = json::parse(taosync::testing::read_api_data("seed_order_get.json"));
  root.at("result").at("module").as_object()["actual_fee"] = "N/A";
  auto outcome = parse_order_detail(json::serialize(root));
  REQUIRE(outcome.ok());
  CHECK(outcome.value().order.trade_order_id.empty());
  REQUIRE(outcome.value().rejected.size() == 1);
  CHECK(outcome.value().rejected[0].reason == "actual_fee: not a decimal number");
  CHECK(outcome.value().rejected[0].record_id == "558757367941");
}

TEST_CASE("raw JSON is cut at a UTF-8 boundary") {
  const std::string text = "ab台北"; // 2 + 3 + 3 bytes
  CHECK(truncate_utf8(text, 4) == "ab");
  CHECK(truncate_utf8(text, 5) == "ab台");
  CHECK(truncate_utf8(text, 100) == text);
}

TEST_CASE("unquote_id-style quotes are removed only when both are there") {
  auto page = orders_page_with([](json::object& o) {
    o["trade_order_line_id_list"] = json::array{"\"1\"", "2", "\"3"};
  });
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].line_ids == std::vector<std::string>{"1", "2", "\"3"});
}
