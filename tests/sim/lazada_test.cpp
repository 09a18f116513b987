// The simulator's Lazada dialect: whole seconds, offset paging refused at the 5,000 cap, items
// by order id, Lazada's numbered errors, and the counts its listing claims.

#include "test_util.hpp"

#include <doctest/doctest.h>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

SimOptions lazada_options(std::uint64_t orders) {
  auto o = small_options(orders);
  o.platform = Dialect::lazada;
  return o;
}

// /orders/get of the whole history (2020), with `more` parameters.
HttpResult list(HttpClient& client, api::Params more = {}) {
  api::Params params{{"update_after", "2019-01-01T00:00:00+00:00"},
                     {"update_before", "2021-01-01T00:00:00+00:00"},
                     {"sort_by", "updated_at"},
                     {"sort_direction", "ASC"}};
  for (auto& [k, v] : more)
    params[k] = v;
  return call_api(client, "/orders/get", params);
}

} // namespace

TEST_CASE("a Lazada listing pages by offset in update order, counts as the data says") {
  SimHarness sim(lazada_options(250));
  HttpClient client(sim.port());
  auto first = parse(list(client, {{"offset", "0"}, {"limit", "100"}}));
  REQUIRE(first.at("code") == "0");
  const auto& data = first.at("data").as_object();
  CHECK(data.at("countTotal").as_int64() == 250);
  CHECK(data.at("count").as_int64() == 100);
  auto last = parse(list(client, {{"offset", "200"}, {"limit", "100"}}));
  CHECK(last.at("data").at("count").as_int64() == 50);
  // Ascending whole-second update times, in Lazada's spelling.
  std::string previous;
  for (const auto& o : data.at("orders").as_array()) {
    const std::string updated(o.at("updated_at").as_string());
    CHECK(updated.size() == 25);
    CHECK(updated.substr(19) == " +0800");
    CHECK(previous <= updated);
    previous = updated;
    CHECK(o.at("statuses").as_array().size() == 1);
    CHECK(o.at("price").is_string());
  }
}

TEST_CASE("a Lazada listing refuses an offset at the cap, a bad date and a bad limit") {
  SimHarness sim(lazada_options(30));
  HttpClient client(sim.port());
  CHECK(code_of(list(client, {{"offset", "5000"}})) == "E014");
  CHECK(code_of(list(client, {{"offset", "4999"}})) == "0");
  CHECK(code_of(list(client, {{"update_after", "2020-02-30T00:00:00+08:00"}})) == "E017");
  CHECK(code_of(list(client, {{"limit", "101"}})) == "E019");
  CHECK(code_of(call_api(client, "/orders/get", {})) == "MissingParameter");
}

TEST_CASE("Lazada's items come by order id, 50 at most, one item per unit") {
  SimHarness sim(lazada_options(40));
  HttpClient client(sim.port());
  auto listed = parse(list(client, {{"limit", "3"}}));
  std::vector<std::string> ids;
  std::int64_t units = 0;
  for (const auto& o : listed.at("data").at("orders").as_array()) {
    ids.push_back(std::to_string(o.at("order_id").as_int64()));
    units += o.at("items_count").as_int64();
  }
  const std::string list_text = "[" + ids[0] + "," + ids[1] + ",\"" + ids[2] + "\",999]";
  auto items = parse(call_api(client, "/orders/items/get", {{"order_ids", list_text}}));
  REQUIRE(items.at("code") == "0");
  const auto& orders = items.at("data").as_array();
  CHECK(orders.size() == 3); // the unknown 999 is absent
  std::int64_t got = 0;
  for (const auto& o : orders)
    got += static_cast<std::int64_t>(o.at("order_items").as_array().size());
  CHECK(got == units);
  std::string many = "[";
  for (int i = 0; i < 51; ++i)
    many += (i > 0 ? "," : "") + std::to_string(i + 1);
  CHECK(code_of(call_api(client, "/orders/items/get", {{"order_ids", many + "]"}})) == "E038");
  CHECK(code_of(call_api(client, "/order/get", {{"order_id", "999"}})) == "E016");
  auto one = parse(call_api(client, "/order/get", {{"order_id", ids[0]}}));
  CHECK(std::to_string(one.at("data").at("order_id").as_int64()) == ids[0]);
}

} // namespace taosync::sim::test
