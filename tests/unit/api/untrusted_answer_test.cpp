// Answers that are well-formed but cannot be trusted whole: one bad byte or one ambiguous
// record is isolated to that record, a byte-order mark is skipped, and a success envelope
// without its list (or saying success: false) is flagged, never taken as an empty page.

#include "api/parse.hpp"
#include "api/record_checks.hpp"
#include "test_data.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <string>

using namespace taosync::api;
namespace json = boost::json;

namespace {

std::string seed_orders() {
  return taosync::testing::read_api_data("seed_orders_get_init.json");
}

// The seed page's text with the first occurrence of `from` replaced by `to`.
std::string edited(std::string body, const std::string& from, const std::string& to) {
  const auto at = body.find(from);
  REQUIRE(at != std::string::npos);
  return body.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("one invalid UTF-8 byte rejects its record only; the rest of the page parses") {
  const std::string body = edited(seed_orders(), "\"abbyh ", "\"abb\xFFyh ");
  const auto outcome = parse_orders_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  CHECK(page.problem.empty());
  REQUIRE(page.rejected.size() == 1);
  CHECK(page.rejected[0].reason.find("invalid UTF-8") != std::string::npos);
  CHECK(page.items.size() + page.rejected.size() == 2);
}

TEST_CASE("a truncated multibyte sequence is invalid UTF-8 too") {
  CHECK(taosync::model::invalid_utf8_at("ok \xE5\x8F") == 3u);
  CHECK(taosync::model::invalid_utf8_at("\xC0\xAF") == 0u);     // overlong
  CHECK(taosync::model::invalid_utf8_at("\xED\xA0\x80") == 0u); // a surrogate
  CHECK_FALSE(taosync::model::invalid_utf8_at("淘寶台灣 plain").has_value());
}

TEST_CASE("a record with a repeated key is rejected as ambiguous") {
  // The seed's first order gets a second, different status.
  const std::string body =
      edited(seed_orders(), "\"trade_order_id\"", "\"status\": \"canceled\", \"trade_order_id\"");
  const auto outcome = parse_orders_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  REQUIRE(page.rejected.size() == 1);
  CHECK(page.rejected[0].reason.find("ambiguous") != std::string::npos);
  CHECK(page.items.size() == 1);
}

TEST_CASE("keys are counted in the text, not fooled by colons inside strings") {
  const auto v = json::parse(R"({"a":"x:y","b":{"c":"\":"}})");
  CHECK_FALSE(has_duplicate_keys(R"({"a":"x:y","b":{"c":"\":"}})", v));
  const auto dup = json::parse(R"({"a":1,"b":{"c":1,"c":2}})");
  CHECK(has_duplicate_keys(R"({"a":1,"b":{"c":1,"c":2}})", dup));
}

TEST_CASE("a byte-order mark before the body is skipped") {
  const auto outcome = parse_orders_page("\xEF\xBB\xBF" + seed_orders());
  REQUIRE(outcome.ok());
  CHECK(outcome.value().items.size() == 2);
}

TEST_CASE("a success envelope without model_list is flagged, not an empty page") {
  const auto outcome =
      parse_orders_page(R"({"code":"0","request_id":"r","result":{"total_count":3,)"
                        R"("page_no":1,"page_size":100}})");
  REQUIRE(outcome.ok());
  CHECK(outcome.value().problem.find("model_list") != std::string::npos);
  const auto lines = parse_lines_page(
      R"({"code":"0","request_id":"r","result":{"total_count":0,"page_no":1,"page_size":50}})");
  REQUIRE(lines.ok());
  CHECK_FALSE(lines.value().problem.empty());
}

TEST_CASE("success: false is never success") {
  const auto outcome =
      parse_orders_page(R"({"code":"0","request_id":"r","result":{"success":false,"model_list":[],)"
                        R"("total_count":0,"page_no":1,"page_size":100}})");
  REQUIRE(outcome.ok());
  CHECK(outcome.value().problem.find("success: false") != std::string::npos);
  const auto detail = parse_order_detail(
      R"({"code":"0","request_id":"r","result":{"success":false,"module":null}})");
  CHECK_FALSE(detail.ok());
}

namespace {

std::string seed_lines() {
  return taosync::testing::read_api_data("seed_order_items_get.json");
}

std::string seed_detail() {
  return taosync::testing::read_api_data("seed_order_get.json");
}

// The one record a page rejected, checking that the other order of the seed page landed.
RejectedRecord only_rejected_order(const std::string& body) {
  const auto outcome = parse_orders_page(body);
  REQUIRE(outcome.ok());
  const auto& page = outcome.value();
  CHECK(page.problem.empty());
  REQUIRE(page.rejected.size() == 1);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].trade_order_id == "546108399700");
  CHECK(page.rejected[0].record_id == "558757367941");
  return page.rejected[0];
}

} // namespace

TEST_CASE("a lone surrogate escape rejects its record only; the rest of the page parses") {
  const std::string body = edited(seed_orders(), "\"abbyh ", "\"\\ud800abbyh ");
  const auto rejected = only_rejected_order(body);
  const auto at = body.find("\\ud800") - body.find("{ \"creation_time\"");
  CHECK(rejected.reason == "record contains \\ud800, a high surrogate without its low half at "
                           "byte " +
                               std::to_string(at) + ": text that decodes to no character");
  CHECK(rejected.raw_json.find("\\ud800abbyh") != std::string::npos); // as it came
  const auto reversed =
      only_rejected_order(edited(seed_orders(), "\"abbyh ", "\"\\udc00\\ud800abbyh "));
  CHECK(reversed.reason.find("\\udc00, a low surrogate") != std::string::npos);
}

TEST_CASE("a raw NUL or control byte in a string rejects its record only") {
  const auto nul =
      only_rejected_order(edited(seed_orders(), "\"abbyh ", std::string("\"ab\0byh ", 8)));
  CHECK(nul.reason.find("a raw NUL character") != std::string::npos);
  const auto tab = only_rejected_order(edited(seed_orders(), "\"abbyh ", "\"ab\tbyh "));
  CHECK(tab.reason.find("a raw control character (0x09)") != std::string::npos);
}

TEST_CASE("an escaped NUL rejects its record, also inside sku_info's nested JSON") {
  const auto escaped = only_rejected_order(edited(seed_orders(), "\"abbyh ", "\"ab\\u0000byh "));
  CHECK(escaped.reason == "buyer_full_name: contains a NUL character");
  // sku_info is JSON inside a string: its own escape arrives as \\u0000.
  const auto outcome = parse_lines_page(
      edited(seed_lines(), "\\\"valueText\\\":\\\"", "\\\"valueText\\\":\\\"\\\\u0000"));
  REQUIRE(outcome.ok());
  REQUIRE(outcome.value().rejected.size() == 1);
  CHECK(outcome.value().rejected[0].reason == "sku_info: [0].valueText: contains a NUL character");
}

TEST_CASE("a number past what its column or jsonb takes rejects its record only") {
  const auto past_int64 =
      only_rejected_order(edited(seed_orders(), "\"creation_time\": 1592988843859",
                                 "\"creation_time\": 99999999999999999999"));
  CHECK(past_int64.reason == "creation_time: integer out of range (past int64)");
  const auto past_uint64 = only_rejected_order(
      edited(seed_orders(), "\"creation_time\": 1592988843859", "\"creation_time\": 1e999"));
  CHECK(past_uint64.reason == "creation_time: integer out of range (past int64)");
  // A field nobody reads still goes into the raw jsonb column.
  const auto unread = only_rejected_order(
      edited(seed_orders(), "\"trade_order_id\"", "\"weight_kg\": 1e999999, \"trade_order_id\""));
  CHECK(unread.reason.find("number jsonb cannot store") != std::string::npos);
  CHECK(unread.reason.find("1e999999 (its exponent is past ±1000)") != std::string::npos);
  const auto lines = parse_lines_page(
      edited(seed_lines(), "\"quantity\": 1", "\"quantity\": 18446744073709551616"));
  REQUIRE(lines.ok());
  REQUIRE(lines.value().rejected.size() == 1);
  CHECK(lines.value().rejected[0].reason == "quantity: integer out of range (past int64)");
}

TEST_CASE("a flaw outside every record leaves the page unreadable, as before") {
  const auto outcome =
      parse_orders_page(edited(seed_orders(), "\"0b1196a615934150810894026\"", "\"\\ud800\""));
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().code == "malformed_body");
  CHECK(outcome.error().message.find("outside any record") != std::string::npos);
}

TEST_CASE("an /order/get answer with text that does not decode rejects the order whole") {
  const std::string body = edited(seed_detail(), "\"abbyh ", "\"\\ud800abbyh ");
  const auto outcome = parse_order_detail(body);
  REQUIRE(outcome.ok());
  CHECK(outcome.value().order.trade_order_id.empty());
  REQUIRE(outcome.value().rejected.size() == 1);
  CHECK(outcome.value().rejected[0].record_id == "558757367941");
  CHECK(outcome.value().rejected[0].reason.find("\\ud800") != std::string::npos);
  CHECK(outcome.value().rejected[0].raw_json == body);
}

TEST_CASE("an /order/get number that serializes past jsonb rejects what holds it") {
  // The order's raw is serialized: Boost 1.81 writes a double past range as "Infinity",
  // Boost 1.83 as "1e99999"; jsonb holds neither.
  const auto order = parse_order_detail(
      edited(seed_detail(), "\"trade_order_id\"", "\"weight_kg\": 1e999, \"trade_order_id\""));
  REQUIRE(order.ok());
  CHECK(order.value().order.trade_order_id.empty());
  REQUIRE(order.value().rejected.size() == 1);
  CHECK(order.value().rejected[0].reason.find("record holds a number jsonb cannot store") !=
        std::string::npos);
}
