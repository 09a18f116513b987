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
