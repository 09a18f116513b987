// The exact text of each record of result.model_list.

#include "api/parse.hpp"
#include "api/record_spans.hpp"
#include "test_data.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

using namespace taosync::api;
using taosync::testing::read_api_data;

TEST_CASE("model_list spans are the records byte for byte, whatever their strings hold") {
  const std::string body =
      R"({"code":"0","result" : { "success":true, "model_list" : [ {"a":"x}]\"{[,"} ,)"
      "\n"
      R"({"b":[1,{"c":null}],"d":-1.5e3} , 7, "s\\" ], "total_count":3}})";
  const auto spans = model_list_spans(body);
  REQUIRE(spans);
  REQUIRE(spans->size() == 4);
  CHECK((*spans)[0] == R"({"a":"x}]\"{[,"})");
  CHECK((*spans)[1] == R"({"b":[1,{"c":null}],"d":-1.5e3})");
  CHECK((*spans)[2] == "7");
  CHECK((*spans)[3] == R"("s\\")"); // an escaped backslash does not escape the quote
}

TEST_CASE("a body without result.model_list has no spans; an empty list has none inside") {
  CHECK_FALSE(model_list_spans(R"({"result":{"module":{}}})"));
  CHECK_FALSE(model_list_spans(R"({"model_list":[1]})"));
  CHECK_FALSE(model_list_spans(R"([1,2])"));
  const auto empty = model_list_spans(R"({"result":{"model_list":[ ]}})");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("the seed's records keep their raw JSON exactly as received") {
  const std::string body = read_api_data("seed_orders_get_init.json");
  const auto page = parse_orders_page(body);
  REQUIRE(page.ok());
  for (const auto& order : page.value().items) {
    CHECK(body.find(order.raw_json) != std::string::npos);
    CHECK(order.raw_json.front() == '{');
    CHECK(boost::json::parse(order.raw_json).at("trade_order_id") == order.trade_order_id.c_str());
  }
  CHECK(page.value().items[0].raw_json.find(R"("buyer_full_name": "abbyh ")") != std::string::npos);
}
