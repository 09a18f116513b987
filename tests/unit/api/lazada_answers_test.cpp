// Lazada's order answers, shaped as the published examples are: numbers where the examples
// have numbers (order_id, countTotal, shipping_fee 0.00), strings where they have strings
// (count, price), times with an offset. What cannot be stored is rejected with the field
// named; a page whose counts disagree says so.

#include "api/lazada/answers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using namespace taosync::api::lazada;
using taosync::api::ErrorKind;
using taosync::model::TimePoint;

namespace {

// The GetOrders example of the documentation, one order, with a second one beside it.
constexpr std::string_view kOrdersPage = R"({
  "data": {
    "count": "2",
    "countTotal": 2,
    "orders": [
      {
        "voucher_platform": 0.00, "voucher": 0.00, "warehouse_code": "dropshipping",
        "order_number": 300034416, "voucher_seller": 0.00,
        "created_at": "2014-10-11 13:42:12 +0800", "voucher_code": "", "gift_option": false,
        "shipping_fee_discount_platform": 0.00, "customer_last_name": "",
        "promised_shipping_times": "", "updated_at": "2014-10-11 13:42:12 +0800",
        "price": "99.00", "national_registration_number": "", "shipping_fee_original": 0.00,
        "payment_method": "COD", "customer_first_name": "John Doe",
        "shipping_fee_discount_seller": 0.00, "shipping_fee": 0.00, "branch_number": "",
        "tax_code": "", "items_count": 1, "delivery_info": "", "statuses": ["pending"],
        "address_billing": {"country": "Singapore", "address3": "", "phone": "94236248",
          "address2": "", "city": "Singapore", "address1": "318 Tanglin Road",
          "post_code": "247979", "first_name": "John", "last_name": "Doe"},
        "extra_attributes": "{\"TaxInvoiceRequested\":true}", "order_id": 16090,
        "gift_message": "", "remarks": "",
        "address_shipping": {"country": "Singapore", "address3": "", "phone": "94236248",
          "address2": "#02-01", "city": "Singapore", "address1": "318 Tanglin Road",
          "post_code": 247979, "first_name": "John", "last_name": "Doe"}
      },
      {
        "order_id": "16091", "created_at": "2018-02-09T22:44:30+08:00",
        "updated_at": "2018-02-10T09:00:00+08:00", "price": "1,299.50",
        "shipping_fee": "2.00", "items_count": "3",
        "statuses": ["canceled", "ready_to_ship", "delivered"]
      }
    ]
  },
  "code": "0",
  "request_id": "0ba2887315178178017221014"
})";

// The GetMultipleOrderItems example: one order, two units of one product.
constexpr std::string_view kItemsPage = R"({
  "data": [
    {
      "order_number": 300034416, "order_id": 16090,
      "order_items": [
        {"tax_amount": 0.00, "reason": "", "sla_time_stamp": "2018-03-04T23:59:59+08:00",
         "voucher_seller": 0.00, "purchase_order_id": "", "voucher_code_seller": "",
         "voucher_code": "", "package_id": "OP00123", "buyer_id": 1001, "variation": "",
         "voucher_code_platform": "", "purchase_order_number": "", "sku": "SKU-RED-M",
         "order_type": "Normal", "invoice_number": "", "cancel_return_initiator": "",
         "shop_sku": "TE362FAAA8FP2ANID-107553", "is_reroute": 0, "stage_pay_status": "",
         "sku_id": 2213, "tracking_code_pre": "", "order_item_id": 16100,
         "shop_id": "Test Shop", "order_flag": "NORMAL", "is_fbl": 0, "name": "Red shirt",
         "delivery_option_sof": 0, "order_id": 16090, "status": "pending",
         "product_main_image": "https://example.invalid/p.jpg", "paid_price": 99.00,
         "product_detail_url": "https://example.invalid/p", "warehouse_code": "dropshipping",
         "promised_shipping_time": "", "shipping_type": "Dropshipping", "created_at":
         "2014-10-11 13:42:12 +0800", "voucher_seller_lpi": 0.00, "shipping_fee_discount_platform":
         0.00, "wallet_credits": 0.00, "updated_at": "2014-10-11 13:42:12 +0800",
         "currency": "SGD", "shipping_provider_type": "standard", "voucher_platform_lpi": 0.00,
         "shipping_fee_original": 0.00, "item_price": 99.00, "is_digital": 0,
         "shipping_service_cost": 0, "tracking_code": "LZ0001", "shipping_fee_discount_seller":
         0.00, "shipping_amount": 0.00, "reason_detail": "", "return_status": "",
         "shipment_provider": "LEX", "voucher_amount": 0.00, "digital_delivery_info": "",
         "extra_attributes": "", "product_id": 3001},
        {"order_item_id": "16101", "order_id": "16090", "status": "canceled",
         "item_price": "99.00", "paid_price": "99.00", "created_at": "2014-10-11 13:42:12 +0800",
         "updated_at": "2014-10-12 08:00:00 +0800", "sku": "SKU-RED-M", "product_id": "3001"}
      ]
    }
  ],
  "code": "0",
  "request_id": "0ba2887315178178017221015"
})";

TimePoint at_utc(std::int64_t epoch_seconds) {
  return TimePoint{std::chrono::seconds(epoch_seconds)};
}

} // namespace

TEST_CASE("a Lazada orders page reads as orders with their derived status and counts") {
  auto parsed = parse_orders_page(kOrdersPage, "SGD");
  REQUIRE(parsed.ok());
  const auto& page = parsed.value();
  CHECK(page.problem.empty());
  CHECK(page.total_count == 2);
  CHECK(page.rejected.empty());
  REQUIRE(page.items.size() == 2);
  const auto& first = page.items[0];
  CHECK(first.trade_order_id == "16090"); // a number on the wire, kept as text
  CHECK(first.status == "pending");
  CHECK(first.buyer_full_name == "John Doe");
  CHECK(first.payment_channel == "COD");
  CHECK(first.actual_fee == taosync::model::Money{"99.00", "SGD"});
  CHECK(first.actual_shipping_fee == taosync::model::Money{"0", "SGD"}); // 0.00 as a number
  CHECK(first.creation_time == at_utc(1413006132));                      // 2014-10-11 05:42:12 UTC
  CHECK(first.modification_time == at_utc(1413006132));
  CHECK(first.line_count == 1);
  CHECK(first.line_ids.empty()); // Lazada's listing names no items
  CHECK(first.delivery.receiver_name == "John Doe");
  CHECK(first.delivery.detail_address == "318 Tanglin Road, #02-01");
  CHECK(first.delivery.area == "247979"); // the post code, sent here as a number
  CHECK(first.raw_json.find("\"order_number\":300034416") != std::string::npos);
  const auto& second = page.items[1];
  CHECK(second.trade_order_id == "16091");
  CHECK(second.actual_fee.amount == "1299.50"); // thousands separators dropped
  CHECK(second.status == "ready_to_ship");      // canceled set aside, delivered later in flow
  CHECK(second.line_count == 3);                // "3" as text
  CHECK(second.modification_time == at_utc(1518224400)); // 2018-02-10T01:00:00Z
}

TEST_CASE("an order's status is derived from its items' statuses by the documented rule") {
  CHECK(order_status({"pending"}) == "pending");
  CHECK(order_status({"shipped", "shipped"}) == "shipped");
  CHECK(order_status({"canceled"}) == "canceled");
  CHECK(order_status({"delivered", "canceled"}) == "delivered");
  CHECK(order_status({"shipped", "pending", "delivered"}) == "pending");
  CHECK(order_status({"returned", "canceled"}) == "canceled"); // the documented list's order
  CHECK(order_status({"lost_by_3pl", "failed"}) == "failed");
  // One status alone is the order's even when unknown; beside known ones it comes last.
  CHECK(order_status({"awaiting_relabel"}) == "awaiting_relabel");
  CHECK(order_status({"awaiting_relabel", "shipped"}) == "shipped");
  CHECK(order_status({"zeta_new", "awaiting_relabel", "canceled"}) == "awaiting_relabel");
  CHECK(order_status({}).empty());
}

TEST_CASE("a Lazada order that cannot be stored is rejected naming its field") {
  const auto page_of = [](std::string_view order) {
    return std::string(R"({"code":"0","data":{"count":1,"countTotal":1,"orders":[)") +
           std::string(order) + "]}}";
  };
  const auto reason = [&](std::string_view order) {
    auto parsed = parse_orders_page(page_of(order), "MYR");
    REQUIRE(parsed.ok());
    REQUIRE(parsed.value().rejected.size() == 1);
    CHECK(parsed.value().items.empty());
    return parsed.value().rejected.front().reason;
  };
  const std::string good_times =
      R"("created_at":"2020-01-01 10:00:00 +0800","updated_at":"2020-01-01 10:00:00 +0800")";
  CHECK(reason(R"({"order_id":1,"statuses":["pending"],"updated_at":"2020-01-01 10:00:00 +0800"})")
            .find("created_at") != std::string::npos);
  CHECK(reason(R"({"order_id":1,"statuses":["pending"],"created_at":"2020-01-01 10:00:00 +0800",)"
               R"("updated_at":"2020-02-30 10:00:00 +0800"})")
            .find("updated_at: not a time") != std::string::npos);
  CHECK(reason(R"({"order_id":1,)" + good_times + "}").find("statuses") != std::string::npos);
  CHECK(reason(R"({"order_id":1,"statuses":[],)" + good_times + "}").find("status") !=
        std::string::npos);
  CHECK(reason(R"({"order_id":-4,"statuses":["pending"],)" + good_times + "}")
            .find("order_id: negative id") != std::string::npos);
  CHECK(reason(R"({"order_id":1,"statuses":["pending"],"price":"12,34.00",)" + good_times + "}")
            .find("price: not a decimal") != std::string::npos);
  CHECK(reason(R"({"order_id":1,"statuses":["pending"],"items_count":"two",)" + good_times + "}")
            .find("items_count") != std::string::npos);
}

TEST_CASE("a Lazada page whose counts disagree with each other and with the page says so") {
  const auto orders = R"("orders":[{"order_id":1,"statuses":["pending"],)"
                      R"("created_at":"2020-01-01 10:00:00 +0800",)"
                      R"("updated_at":"2020-01-01 10:00:00 +0800"}])";
  const auto page = [&](std::string_view counts) {
    auto parsed = parse_orders_page(
        std::string(R"({"code":"0","data":{)") + std::string(counts) + "," + orders + "}}", "THB");
    REQUIRE(parsed.ok());
    return parsed.value();
  };
  CHECK(page(R"("count":1,"countTotal":250)").problem.empty()); // count is the page's own
  CHECK(page(R"("count":250,"countTotal":250)").total_count == 250);
  CHECK(page(R"("count":"250")").total_count == 250); // count alone is the total
  const auto bad = page(R"("count":7,"countTotal":250)");
  CHECK(bad.problem.find("data.count 7 is neither data.countTotal 250") != std::string::npos);
  CHECK(bad.items.empty());
  auto missing = parse_orders_page(R"({"code":"0","data":{"countTotal":3}})", "THB");
  REQUIRE(missing.ok());
  CHECK(missing.value().problem.find("has no data.orders") != std::string::npos);
  auto no_counts = parse_orders_page(std::string(R"({"code":"0","data":{)") + orders + "}}", "THB");
  REQUIRE_FALSE(no_counts.ok());
  CHECK(no_counts.error().message.find("data.count") != std::string::npos);
}

TEST_CASE("Lazada's items answer reads one line per unit, under the order that lists it") {
  auto parsed = parse_items_page(kItemsPage, "SGD");
  REQUIRE(parsed.ok());
  const auto& page = parsed.value();
  CHECK(page.rejected.empty());
  REQUIRE(page.items.size() == 2);
  const auto& unit = page.items[0];
  CHECK(unit.trade_order_line_id == "16100");
  CHECK(unit.trade_order_id == "16090");
  CHECK(unit.quantity == 1);
  CHECK(unit.status == "pending");
  CHECK(unit.product_id == "3001");
  CHECK(unit.sku_id == "2213");
  CHECK(unit.sku_info.empty()); // Taobao's encoded SKU properties: Lazada has none
  CHECK(unit.package_id == "OP00123");
  CHECK(unit.unit_fee == taosync::model::Money{"99", "SGD"});
  REQUIRE(unit.shipments.size() == 1);
  CHECK(unit.shipments[0].tracking_number == "LZ0001");
  CHECK(unit.shipments[0].logistics_id == "LEX");
  CHECK(page.items[1].trade_order_line_id == "16101");
  CHECK(page.items[1].status == "canceled");
  CHECK(page.items[1].modification_time == at_utc(1413072000)); // 2014-10-12 00:00:00 UTC
  CHECK(page.total_count == 2);
  auto not_orders = parse_items_page(R"({"code":"0","data":[{"order_id":1}]})", "SGD");
  REQUIRE_FALSE(not_orders.ok());
  CHECK(not_orders.error().message.find("data[0]") != std::string::npos);
}

TEST_CASE("Lazada's error envelope is classified as Taobao TW's is") {
  const auto error = [](std::string_view body) {
    auto parsed = parse_orders_page(body, "SGD");
    REQUIRE_FALSE(parsed.ok());
    return parsed.error();
  };
  CHECK(error(R"({"code":"ApiCallLimit","type":"ISP","message":"slow down","request_id":"r"})")
            .kind == ErrorKind::throttled);
  CHECK(error(R"({"code":"IllegalAccessToken","type":"ISV","message":"expired"})").kind ==
        ErrorKind::auth);
  const auto e017 = error(R"({"code":"E017","type":"ISV","message":"Invalid Date Format"})");
  CHECK(e017.kind == ErrorKind::fatal);
  CHECK(e017.code == "E017");
  CHECK(error(R"({"code":"0"})").message.find("no data") != std::string::npos);
}

TEST_CASE("Lazada's one-order answer is the order alone, or order_not_found") {
  auto parsed = parse_order(R"({"code":"0","data":{"order_id":77,"statuses":["shipped"],)"
                            R"("created_at":"2020-01-01T10:00:00+07:00",)"
                            R"("updated_at":"2020-01-02T10:00:00+07:00","items_count":2}})",
                            "VND");
  REQUIRE(parsed.ok());
  CHECK(parsed.value().order.trade_order_id == "77");
  CHECK(parsed.value().order.line_count == 2);
  CHECK(parsed.value().lines.empty());
  auto gone = parse_order(R"({"code":"0","data":null})", "VND");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "order_not_found");
}
