// Every error the simulated gateway answers, in the platform's envelope.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

/// Checks the error envelope and returns its message.
std::string expect_error(const HttpResult& r, const std::string& code) {
  REQUIRE(r.ok());
  CHECK(r.status == 200); // errors arrive as HTTP 200
  auto body = parse(r);
  CHECK(keys_of(body.as_object()) ==
        std::vector<std::string>{"type", "code", "message", "request_id"});
  CHECK(body.at("type") == "ISV");
  CHECK(body.at("code") == code.c_str());
  return str(body, "message");
}

} // namespace

TEST_CASE("a wrong signature is IncompleteSignature") {
  SimHarness sim(small_options(10));
  HttpClient client(sim.port());
  Caller wrong;
  wrong.app_secret = "not-the-secret";
  auto message = expect_error(call_api(client, "/orders/get", {}, wrong), "IncompleteSignature");
  CHECK(message == "The request signature does not conform to platform standards");
  // Tampering with a signed parameter breaks the signature too.
  auto params = testkit::signed_params("/orders/get", {{"Page_Size", "10"}}, {});
  params["Page_Size"] = "20";
  expect_error(client.get("/rest/orders/get?" + testkit::query_string(params)),
               "IncompleteSignature");
}

TEST_CASE("missing parameters are MissingParameter naming the parameter") {
  SimHarness sim(small_options(10));
  HttpClient client(sim.port());
  for (const char* name : {"app_key", "timestamp", "sign_method", "sign", "access_token"}) {
    auto params = testkit::signed_params("/orders/get", {}, {});
    params.erase(name);
    auto message = expect_error(client.get("/rest/orders/get?" + testkit::query_string(params)),
                                "MissingParameter");
    CHECK(message.find(std::string("\"") + name + "\"") != std::string::npos);
  }
  CHECK(
      expect_error(call_api(client, "/order/get", {}), "MissingParameter").find("trade_order_id") !=
      std::string::npos);
  CHECK(expect_error(call_api(client, "/order/items/get", {}), "MissingParameter")
            .find("trade_order_line_id_list") != std::string::npos);
}

TEST_CASE("out-of-range parameters are InvalidParameter naming the parameter") {
  auto options = small_options(10);
  options.max_ids = 3;
  SimHarness sim(options);
  HttpClient client(sim.port());
  auto invalid = [&](const std::string& path, taosync::api::Params p, const std::string& name) {
    auto message = expect_error(call_api(client, path, std::move(p)), "InvalidParameter");
    CHECK_MESSAGE(message.find(name) != std::string::npos, message);
  };
  invalid("/orders/get", {{"Page_Size", "101"}}, "Page_Size");
  invalid("/orders/get", {{"Page_Size", "0"}}, "Page_Size");
  invalid("/orders/get", {{"Page", "0"}}, "Page");
  invalid("/orders/get", {{"modification_time_start", "yesterday"}}, "modification_time_start");
  invalid("/orders/get", {{"modification_time_start", "5"}, {"modification_time_end", "4"}},
          "modification_time_end");
  invalid("/order/items/get", {{"trade_order_line_id_list", R"(["1","2","3","4"])"}},
          "trade_order_line_id_list");
  invalid("/order/items/get", {{"trade_order_line_id_list", "[\"1\""}}, "trade_order_line_id_list");
  invalid("/order/get", {{"trade_order_id", "123"}}, "trade_order_id");
  Caller stale;
  stale.timestamp_ms = wall_ms() - 7201 * 1000;
  CHECK(expect_error(call_api(client, "/orders/get", {}, stale), "InvalidParameter")
            .find("timestamp") != std::string::npos);
  stale.timestamp_ms = wall_ms() + 7201 * 1000;
  expect_error(call_api(client, "/orders/get", {}, stale), "InvalidParameter");
  stale.timestamp_ms = wall_ms() - 7000 * 1000; // within 7200 s is fine
  CHECK(code_of(call_api(client, "/orders/get", {}, stale)) == "0");
  Caller other_app;
  other_app.app_key = "someone-else";
  expect_error(call_api(client, "/orders/get", {}, other_app), "InvalidParameter");
  expect_error(call_api(client, "/orders/list", {}), "InvalidApiPath");
}

TEST_CASE("a wrong or expired access token is IllegalAccessToken; refresh issues a new one") {
  auto options = small_options(10);
  options.token_ttl = std::chrono::milliseconds(1200);
  SimHarness sim(options);
  HttpClient client(sim.port());
  Caller wrong;
  wrong.access_token = "nope";
  expect_error(call_api(client, "/orders/get", {}, wrong), "IllegalAccessToken");
  CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  expect_error(call_api(client, "/orders/get", {}), "IllegalAccessToken");

  Caller refresher;
  refresher.access_token = "";
  auto r =
      call_api(client, "/auth/token/refresh", {{"refresh_token", "test-refresh-token"}}, refresher);
  auto body = parse(r);
  CHECK(keys_of(body.as_object()) == std::vector<std::string>{"access_token", "refresh_token",
                                                              "expires_in", "refresh_expires_in",
                                                              "account_platform", "country", "code",
                                                              "request_id"});
  CHECK(body.at("code") == "0");
  CHECK(body.at("expires_in") == 1); // whole seconds
  Caller renewed;
  renewed.access_token = str(body, "access_token");
  CHECK(code_of(call_api(client, "/orders/get", {}, renewed)) == "0");

  // A second refresh (with the new refresh token) retires the access token just issued.
  auto again = parse(call_api(client, "/auth/token/refresh",
                              {{"refresh_token", str(body, "refresh_token")}}, refresher));
  CHECK(again.at("access_token") != body.at("access_token"));
  expect_error(call_api(client, "/orders/get", {}, renewed), "IllegalAccessToken");
  expect_error(call_api(client, "/auth/token/refresh", {{"refresh_token", "made-up"}}, refresher),
               "IllegalRefreshToken");
  expect_error(call_api(client, "/auth/token/refresh", {}, refresher), "MissingParameter");
}

TEST_CASE("calls beyond the rate limit get ApiCallLimit and are refused for the whole ban") {
  auto options = small_options(10);
  options.live.rate_limit = 1;
  options.live.burst = 3;
  options.ban_seconds = 1;
  SimHarness sim(options);
  HttpClient client(sim.port());
  for (int i = 0; i < 3; ++i)
    CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  auto message = expect_error(call_api(client, "/orders/get", {}), "ApiCallLimit");
  CHECK(message.find("this ban will last 1 seconds") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(600)); // tokens refill, the ban holds
  expect_error(call_api(client, "/order/get", {{"trade_order_id", "558757367941"}}),
               "ApiCallLimit");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  auto stats = json::parse(client.get("/_sim/stats").body);
  CHECK(stats.at("throttled") == 2);
  CHECK(stats.at("calls").at("/orders/get").at("ApiCallLimit") == 1);
  CHECK(stats.at("calls").at("/orders/get").at("ok") == 4);
}

TEST_CASE("/_sim/control changes the rate limit at run time") {
  SimHarness sim(small_options(10));
  HttpClient client(sim.port());
  auto r = client.post("/_sim/control", R"({"rate_limit":1,"burst":1})");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("rate_limit").to_number<double>() == 1.0);
  CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  CHECK(code_of(call_api(client, "/orders/get", {})) == "ApiCallLimit");
  CHECK(client.post("/_sim/control", R"({"rate_limit":0})").status == 200); // lifts the ban
  CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  CHECK(client.post("/_sim/control", R"({"no_such_knob":1})").status == 400);
  CHECK(client.post("/_sim/control", "not json").status == 400);
}

} // namespace taosync::sim::test
