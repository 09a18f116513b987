// Contract tests: the simulator's responses against the seed's four example responses.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

const json::object* find_order(const json::array& list, const char* id) {
  for (const auto& v : list)
    if (v.as_object().contains("trade_order_id") && v.at("trade_order_id").as_string() == id)
      return &v.as_object();
  return nullptr;
}

bool is_decimal(const json::value& v) {
  if (!v.is_string() || v.as_string().empty())
    return false;
  const auto& s = v.as_string();
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The seed's quirks on an order entry: quoted ids, money strings, epoch-ms times.
void check_order_quirks(const json::object& o) {
  for (auto key : {"actual_fee", "shipping_fee", "actual_shipping_fee"})
    CHECK(is_decimal(o.at(key)));
  CHECK(o.at("creation_time").is_int64());
  CHECK(o.at("modification_time").as_int64() >= o.at("creation_time").as_int64());
  for (const auto& id : o.at("trade_order_line_id_list").as_array()) {
    std::string s(id.as_string());
    REQUIRE(s.size() > 2);
    CHECK(s.front() == '"'); // the API wraps each id in literal quotes
    CHECK(s.back() == '"');
  }
}

} // namespace

TEST_CASE("orders/get without a window matches the seed's first example") {
  SimHarness sim(small_options(40));
  HttpClient client(sim.port());
  auto r = call_api(client, "/orders/get",
                    {{"Order_Status", "all"}, {"Page_Size", "100"}, {"Page", "1"}});
  REQUIRE(r.ok());
  auto seed = read_fixture("seed_orders_get.json");
  auto got = parse(r);
  CHECK(keys_of(got.as_object()) == keys_of(seed.as_object()));
  CHECK(shape_diff(seed.at("result"), got.at("result")) == "");
  CHECK(got.at("code") == "0");
  CHECK(got.at("result").at("total_count") == 40);
  const auto& list = got.at("result").at("model_list").as_array();
  for (const auto& seed_order : seed.at("result").at("model_list").as_array()) {
    const auto* mine = find_order(list, seed_order.at("trade_order_id").as_string().c_str());
    REQUIRE(mine != nullptr);
    CHECK(json::value(*mine) == seed_order); // every value, including the older seller name
  }
  for (const auto& o : list)
    check_order_quirks(o.as_object());
}

TEST_CASE("orders/get with a modification window matches the seed's fourth example") {
  SimHarness sim(small_options(40));
  HttpClient client(sim.port());
  auto seed = read_fixture("seed_orders_get_window.json");
  auto r = call_api(client, "/orders/get",
                    {{"Order_Status", "all"},
                     {"Page_Size", "2"},
                     {"Page", "1"},
                     {"modification_time_start", "1592990587586"},
                     {"modification_time_end", "1592990587586"}});
  REQUIRE(r.ok());
  auto got = parse(r);
  CHECK(shape_diff(seed.at("result"), got.at("result")) == "");
  // Only the seed's order was modified in that very millisecond.
  CHECK(got.at("result") == seed.at("result"));
}

TEST_CASE("order/items/get with one bare id returns the seed's second example") {
  SimHarness sim(small_options(40));
  HttpClient client(sim.port());
  auto seed = read_fixture("seed_order_items_get.json");
  auto r =
      call_api(client, "/order/items/get",
               {{"trade_order_line_id_list", "558757467941"}, {"Page_Size", "50"}, {"Page", "1"}});
  REQUIRE(r.ok());
  auto got = parse(r);
  CHECK(keys_of(got.as_object()) == keys_of(seed.as_object()));
  CHECK(shape_diff(seed.at("result"), got.at("result")) == "");
  CHECK(got.at("result") == seed.at("result"));
}

TEST_CASE("order/get returns the seed's third example") {
  SimHarness sim(small_options(40));
  HttpClient client(sim.port());
  auto seed = read_fixture("seed_order_get.json");
  auto r = call_api(client, "/order/get", {{"trade_order_id", "558757367941"}});
  REQUIRE(r.ok());
  auto got = parse(r);
  CHECK(keys_of(got.as_object()) == keys_of(seed.as_object()));
  CHECK(shape_diff(seed.at("result"), got.at("result")) == "");
  CHECK(got.at("result") == seed.at("result"));
  CHECK(got.at("request_id").as_string().size() == seed.at("request_id").as_string().size());
}

TEST_CASE("generated orders and lines have the seed's keys, types and quirks") {
  SimHarness sim(small_options(300, 11));
  HttpClient client(sim.port());
  auto seed_list = read_fixture("seed_orders_get.json");
  auto seed_items = read_fixture("seed_order_items_get.json");
  auto seed_module = read_fixture("seed_order_get.json");
  auto list = parse(call_api(client, "/orders/get", {{"Page_Size", "100"}}));
  CHECK(shape_diff(seed_list.at("result"), list.at("result")) == "");
  int trailing_space = 0, cn_taiwan = 0, two_shipments = 0;
  for (const auto& o : list.at("result").at("model_list").as_array()) {
    check_order_quirks(o.as_object());
    auto name = str(o, "buyer_full_name");
    trailing_space += !name.empty() && name.back() == ' ';
    const auto& d = o.at("delivery_info");
    cn_taiwan += d.at("country_code") == "CN" && d.at("state") == "台灣";
    std::string ids = "[";
    for (const auto& q : o.at("trade_order_line_id_list").as_array()) {
      std::string s(q.as_string());
      ids += (ids.size() > 1 ? "," : "") + s; // already quoted: a JSON array of strings
    }
    ids += "]";
    auto items = parse(call_api(client, "/order/items/get", {{"trade_order_line_id_list", ids}}));
    CHECK(shape_diff(seed_items.at("result"), items.at("result")) == "");
    auto lines = items.at("result").at("model_list").as_array();
    CHECK(lines.size() == o.at("trade_order_line_id_list").as_array().size());
    std::int64_t sum = 0;
    for (const auto& l : lines) {
      auto fee = std::stoll(str(l, "actual_fee"));
      CHECK(fee == std::stoll(str(l, "unit_fee")) * l.at("quantity").as_int64() +
                       std::stoll(str(l, "shipping_fee")));
      sum += fee;
      CHECK(json::parse(l.at("sku_info").as_string()).is_array()); // a JSON-encoded string
      CHECK(l.at("modification_time") == o.at("modification_time"));
      CHECK(l.at("status") == o.at("status"));
      two_shipments += l.at("shipment_list").as_array().size() == 2;
    }
    CHECK(sum == std::stoll(str(o, "actual_fee"))); // lines + shipping add up
    auto detail =
        parse(call_api(client, "/order/get", {{"trade_order_id", str(o, "trade_order_id")}}));
    CHECK(shape_diff(seed_module.at("result"), detail.at("result")) == "");
  }
  CHECK(trailing_space > 0);
  CHECK(cn_taiwan > 0);
  CHECK(two_shipments > 0);
}

TEST_CASE("order/items/get takes a JSON array and skips unknown ids") {
  SimHarness sim(small_options(40));
  HttpClient client(sim.port());
  auto r = call_api(client, "/order/items/get",
                    {{"trade_order_line_id_list", R"(["558757467941","999","546108499700"])"}});
  auto got = parse(r).at("result");
  REQUIRE(got.at("model_list").as_array().size() == 2);
  CHECK(got.at("total_count") == 2);
  CHECK(got.at("page_size") == 50);
  CHECK(got.at("model_list").as_array()[1].at("trade_order_id") == "546108399700");
  CHECK(got.at("model_list").as_array()[1].at("actual_fee") == "121");
}

TEST_CASE("calls may be POSTed as a form body") {
  SimHarness sim(small_options(10));
  HttpClient client(sim.port());
  auto params = testkit::signed_params("/order/get", {{"trade_order_id", "546108399700"}}, {});
  auto r = client.post("/rest/order/get", testkit::query_string(params),
                       "application/x-www-form-urlencoded");
  REQUIRE(r.ok());
  CHECK(parse(r).at("result").at("module").at("status") == "ready_to_ship");
}

} // namespace taosync::sim::test
