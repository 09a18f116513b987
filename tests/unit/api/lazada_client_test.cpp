// The Lazada client against a tiny Beast server: its paths and parameters (update times in ISO
// 8601, offset paging under the cap, order ids in brackets), signed as the gateway checks, and
// the token refresh on the auth host.

#include "api/caller.hpp"
#include "api/lazada/client.hpp"
#include "test_server.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::testing;
using namespace std::chrono_literals;

namespace {

const std::string kOrders =
    R"({"code":"0","request_id":"r1","data":{"count":1,"countTotal":1,"orders":[)"
    R"({"order_id":16090,"statuses":["pending"],"items_count":2,"price":"99.00",)"
    R"("created_at":"2020-06-21 17:23:07 +0800","updated_at":"2020-06-21 17:23:07 +0800"}]}})";

const std::string kItems =
    R"({"code":"0","request_id":"r2","data":[{"order_id":16090,"order_items":[)"
    R"({"order_item_id":1,"order_id":16090,"status":"pending","item_price":"49.50",)"
    R"("created_at":"2020-06-21 17:23:07 +0800","updated_at":"2020-06-21 17:23:07 +0800"},)"
    R"({"order_item_id":2,"order_id":16090,"status":"pending","item_price":"49.50",)"
    R"("created_at":"2020-06-21 17:23:07 +0800","updated_at":"2020-06-21 17:23:07 +0800"}]}]})";

const std::string kOrder =
    R"({"code":"0","request_id":"r3","data":{"order_id":16090,"statuses":["pending"],)"
    R"("items_count":2,"created_at":"2020-06-21 17:23:07 +0800",)"
    R"("updated_at":"2020-06-21 17:23:07 +0800"}})";

// The answer a Lazada gateway gives each path.
TestReply lazada_gateway(const SeenRequest& r) {
  if (r.path == "/rest/orders/get")
    return {200, kOrders};
  if (r.path == "/rest/orders/items/get")
    return {200, kItems};
  if (r.path == "/rest/order/get")
    return {200, kOrder};
  return {404, "{}"};
}

// Runs `body` with a Lazada client for `server`; returns the tokens it saved.
std::vector<api::Tokens>
with_lazada(net::io_context& io, const TestServer& server,
            const std::function<net::awaitable<void>(api::lazada::Client&)>& body) {
  const auto cfg = std::make_shared<const config::ApiConfig>(loopback_api_config(server));
  std::vector<api::Tokens> saved;
  api::TokenSaver save = [&saved](const api::Tokens& t) -> net::awaitable<void> {
    saved.push_back(t);
    co_return;
  };
  api::lazada::Client client(std::make_shared<api::Caller>(cfg),
                             api::Tokens{"old-access", "the-refresh", {}, {}}, save, cfg->base_url,
                             "SGD");
  run_coroutine(io, [&]() -> net::awaitable<void> { co_await body(client); });
  return saved;
}

} // namespace

TEST_CASE("a Lazada listing asks update times in whole seconds, oldest first, by offset") {
  net::io_context io;
  TestServer server(io, lazada_gateway);
  api::Page<api::Order> page;
  with_lazada(io, server, [&](api::lazada::Client& c) -> net::awaitable<void> {
    api::OrdersQuery query;
    query.modified_from = api::TimePoint(1592731387000ms); // 2020-06-21T09:23:07Z
    query.modified_to = api::TimePoint(1592731446999ms);   // the end of 09:24:06
    query.page = 3;
    query.page_size = 100;
    page = co_await c.list_orders(query);
    query.created_from = api::TimePoint(0ms);
    query.created_to = api::TimePoint(1592731446999ms);
    co_await c.list_orders(query); // a crowded second, cut by creation time
  });
  REQUIRE(server.requests().size() == 2);
  const auto& r = server.requests()[0];
  CHECK(r.params.count("created_after") == 0);
  CHECK(server.requests()[1].params.at("created_after") == "1970-01-01T00:00:00+00:00");
  CHECK(server.requests()[1].params.at("created_before") == "2020-06-21T09:24:06+00:00");
  CHECK(r.path == "/rest/orders/get");
  CHECK(r.params.at("update_after") == "2020-06-21T09:23:07+00:00");
  CHECK(r.params.at("update_before") == "2020-06-21T09:24:06+00:00");
  CHECK(r.params.at("sort_by") == "updated_at");
  CHECK(r.params.at("sort_direction") == "ASC");
  CHECK(r.params.at("offset") == "200");
  CHECK(r.params.at("limit") == "100");
  CHECK(r.params.at("access_token") == "old-access");
  CHECK(TestServer::signature_valid(r, "/orders/get", "s3cr3t-value"));
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].trade_order_id == "16090");
  CHECK(page.items[0].actual_fee.currency_code == "SGD");
}

TEST_CASE("a Lazada listing never asks a page past the offset cap") {
  net::io_context io;
  TestServer server(io, lazada_gateway);
  with_lazada(io, server, [&](api::lazada::Client& c) -> net::awaitable<void> {
    CHECK(c.listing_rules().offset_cap == 5000);
    CHECK(c.listing_rules().resolution == 1s);
    api::OrdersQuery last;
    last.page = 50; // offset 4,900: its 100 orders end at the cap
    last.page_size = 100;
    co_await c.list_orders(last);
    api::OrdersQuery past = last;
    past.page = 51;
    CHECK_THROWS_AS(co_await c.list_orders(past), std::invalid_argument);
  });
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].params.at("offset") == "4900");
}

TEST_CASE("Lazada's lines are asked by order id, up to 50 a call; one order takes two calls") {
  net::io_context io;
  TestServer server(io, lazada_gateway);
  api::Page<api::OrderLine> lines;
  api::OrderDetail detail;
  with_lazada(io, server, [&](api::lazada::Client& c) -> net::awaitable<void> {
    const std::vector<std::string> two{"16090", "16091"};
    lines = co_await c.get_lines(two);
    const std::vector<std::string> too_many(51, "1");
    CHECK_THROWS_AS(co_await c.get_lines(too_many), std::invalid_argument);
    detail = co_await c.get_order("16090");
  });
  REQUIRE(server.requests().size() == 3);
  CHECK(server.requests()[0].path == "/rest/orders/items/get");
  CHECK(server.requests()[0].params.at("order_ids") == "[16090,16091]");
  CHECK(TestServer::signature_valid(server.requests()[0], "/orders/items/get", "s3cr3t-value"));
  CHECK(lines.items.size() == 2);
  CHECK(server.requests()[1].path == "/rest/order/get");
  CHECK(server.requests()[1].params.at("order_id") == "16090");
  CHECK(server.requests()[2].params.at("order_ids") == "[16090]");
  CHECK(detail.order.trade_order_id == "16090");
  CHECK(detail.order.line_count == 2);
  CHECK(detail.lines.size() == 2);
}

TEST_CASE("a refused Lazada token is refreshed once on the auth host, and its lifetimes kept") {
  net::io_context io;
  int refusals = 0;
  TestServer server(io, [&](const SeenRequest& r) -> TestReply {
    if (r.path == "/rest/auth/token/refresh")
      return {200, R"({"code":"0","access_token":"new-access","refresh_token":"new-refresh",)"
                   R"("expires_in":2592000,"refresh_expires_in":15552000,"country":"sg",)"
                   R"("account":"seller@example.invalid","request_id":"r9"})"};
    if (r.params.at("access_token") == "old-access") {
      ++refusals;
      return {200, R"({"code":"IllegalAccessToken","type":"ISV","message":"expired",)"
                   R"("request_id":"r8"})"};
    }
    return lazada_gateway(r);
  });
  const auto before = std::chrono::system_clock::now();
  const auto saved = with_lazada(io, server, [&](api::lazada::Client& c) -> net::awaitable<void> {
    api::OrdersQuery query;
    co_await c.list_orders(query);
    CHECK(c.counters().refreshes == 1);
  });
  CHECK(refusals == 1);
  REQUIRE(server.requests().size() == 3);
  CHECK(server.requests()[1].params.at("refresh_token") == "the-refresh");
  CHECK(server.requests()[1].params.count("access_token") == 0);
  CHECK(server.requests()[2].params.at("access_token") == "new-access");
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].refresh_token == "new-refresh");
  // 180 days of refresh token, as the answer said: the daemon shows it as it nears its end
  const auto refresh_left =
      saved[0].refresh_expires_at - std::chrono::floor<std::chrono::seconds>(before);
  CHECK(refresh_left >= std::chrono::seconds(15552000 - 5));
  CHECK(refresh_left <= std::chrono::seconds(15552000 + 5));
}

TEST_CASE("every country the config accepts has a Lazada gateway and currency") {
  for (const auto code : config::kLazadaCountries) {
    CAPTURE(code);
    const auto country = api::lazada::country_of(code);
    REQUIRE(country);
    CHECK(country->gateway.starts_with("https://api.lazada."));
    CHECK(country->currency.size() == 3);
  }
  CHECK(api::lazada::country_of("vn")->currency == "VND");
  CHECK_FALSE(api::lazada::country_of("tw"));
}
