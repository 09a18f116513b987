// The client against a tiny Beast server: parameters and signature, keep-alive reuse,
// deadlines, retries, ApiCallLimit bans, token refresh and fatal errors.

#include "api/client.hpp"
#include "test_data.hpp"
#include "test_server.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace taosync;
using namespace taosync::testing;
using namespace std::chrono_literals;
using api::ApiFailure;
using api::ErrorKind;

namespace {

const std::vector<std::string> kOneId{"1"};

const std::string kSecret = "test-app-secret";

config::ApiConfig config_for(const TestServer& server) {
  config::ApiConfig cfg = loopback_api_config(server);
  cfg.app_key = "test-app-key";
  cfg.app_secret = kSecret;
  cfg.retry.max_attempts = 4;
  return cfg;
}

api::Tokens tokens(const std::string& access = "test-access-token") {
  return api::Tokens{access, "test-refresh-token", {}, {}};
}

TestReply ok_orders() {
  return {200, read_api_data("seed_orders_get_init.json")};
}
TestReply ok_lines() {
  return {200, read_api_data("seed_order_items_get.json")};
}

TestReply envelope(const std::string& code, const std::string& message,
                   const std::string& type = "ISV") {
  return {200, R"({"type":")" + type + R"(","code":")" + code + R"(","message":")" + message +
                   R"(","request_id":"0b1"})"};
}

// Runs `body` with a client for `server`; returns the ApiFailure it threw, if any.
std::optional<api::ApiError>
with_client(net::io_context& io, const config::ApiConfig& cfg,
            const std::function<net::awaitable<void>(api::Client&)>& body, api::Tokens t = tokens(),
            api::TokenSaver saver = {}) {
  api::Client client(cfg, std::move(t), std::move(saver));
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await body(client);
    } catch (const ApiFailure& e) {
      failure = e.error();
    }
  });
  return failure;
}

} // namespace

TEST_CASE("list_orders sends the seed's parameter names, signed, and parses the page") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) { return ok_orders(); });
  api::Page<api::Order> page;
  const auto failure =
      with_client(io, config_for(server), [&](api::Client& c) -> net::awaitable<void> {
        api::OrdersQuery query;
        query.modified_from = api::TimePoint(1592731387000ms);
        query.modified_to = api::TimePoint(1593076987000ms);
        query.page_size = 2;
        page = co_await c.list_orders(query);
      });
  REQUIRE_FALSE(failure);
  CHECK(page.items.size() == 2);
  REQUIRE(server.requests().size() == 1);
  const auto& r = server.requests()[0];
  CHECK(r.path == "/rest/orders/get");
  CHECK(r.params.at("Order_Status") == "all");
  CHECK(r.params.at("Page_Size") == "2");
  CHECK(r.params.at("Page") == "1");
  CHECK(r.params.at("modification_time_start") == "1592731387000");
  CHECK(r.params.at("modification_time_end") == "1593076987000");
  CHECK(r.params.at("app_key") == "test-app-key");
  CHECK(r.params.at("access_token") == "test-access-token");
  CHECK(r.params.at("sign_method") == "sha256");
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  CHECK(std::abs(std::stoll(r.params.at("timestamp")) - now_ms) < 60000);
  CHECK(TestServer::signature_valid(r, "/orders/get", kSecret));
  CHECK_FALSE(TestServer::signature_valid(r, "/orders/get", "another-secret"));
}

TEST_CASE("get_lines sends one id bare and several as a JSON array, signed as sent") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) { return ok_lines(); });
  const auto failure =
      with_client(io, config_for(server), [](api::Client& c) -> net::awaitable<void> {
        const std::vector<std::string> one_id{"558757467941"};
        const std::vector<std::string> two_ids{"558757467941", "546108499700"};
        auto one = co_await c.get_lines(one_id);
        CHECK(one.items.size() == 1);
        co_await c.get_lines(two_ids);
        auto none = co_await c.get_lines(std::vector<std::string>());
        CHECK(none.items.empty());
      });
  REQUIRE_FALSE(failure);
  REQUIRE(server.requests().size() == 2); // no call for no ids
  CHECK(server.requests()[0].params.at("trade_order_line_id_list") == "558757467941");
  CHECK(server.requests()[1].params.at("trade_order_line_id_list") ==
        R"(["558757467941","546108499700"])");
  CHECK(TestServer::signature_valid(server.requests()[1], "/order/items/get", kSecret));
}

TEST_CASE("sequential calls reuse one keep-alive connection") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) { return ok_orders(); });
  const auto failure =
      with_client(io, config_for(server), [](api::Client& c) -> net::awaitable<void> {
        for (int i = 0; i < 25; ++i)
          co_await c.list_orders(api::OrdersQuery());
      });
  REQUIRE_FALSE(failure);
  CHECK(server.requests().size() == 25);
  CHECK(server.connections() == 1);
}

TEST_CASE("concurrent calls each get a connection, and the pool keeps them") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) {
    auto reply = ok_lines();
    reply.delay = 20ms;
    return reply;
  });
  auto cfg = config_for(server);
  cfg.max_in_flight = 4;
  const auto failure = with_client(io, cfg, [&](api::Client& c) -> net::awaitable<void> {
    for (int round = 0; round < 3; ++round) {
      int done = 0;
      for (int i = 0; i < 4; ++i)
        net::co_spawn(
            io,
            [&]() -> net::awaitable<void> {
              co_await c.get_lines(kOneId);
              ++done;
            },
            net::detached);
      while (done < 4) {
        net::steady_timer t(io, 5ms);
        co_await t.async_wait(net::use_awaitable);
      }
    }
  });
  REQUIRE_FALSE(failure);
  CHECK(server.requests().size() == 12);
  CHECK(server.connections() == 4);
}

TEST_CASE("a connection the server closed while idle is replaced without a retry") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) {
    auto reply = ok_orders();
    reply.close_after = true; // silently, as an idle timeout would
    return reply;
  });
  api::CallCounters counters;
  auto cfg = config_for(server);
  api::Client client(cfg, tokens(), {});
  run_coroutine(io, [&]() -> net::awaitable<void> {
    co_await client.list_orders(api::OrdersQuery());
    net::steady_timer t(io, 20ms);
    co_await t.async_wait(net::use_awaitable);
    co_await client.list_orders(api::OrdersQuery());
  });
  CHECK(server.connections() == 2);
  CHECK(client.counters().retries == 0);
  CHECK(client.counters().calls == 3); // the re-sent request counts as sent
}

TEST_CASE("a stalled server hits the deadline, is retried, then the call fails loudly") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) {
    auto reply = ok_orders();
    reply.delay = 3s;
    return reply;
  });
  auto cfg = config_for(server);
  cfg.timeout = 150ms;
  cfg.retry.max_attempts = 2;
  const auto start = std::chrono::steady_clock::now();
  const auto failure = with_client(io, cfg, [](api::Client& c) -> net::awaitable<void> {
    co_await c.list_orders(api::OrdersQuery());
  });
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(failure);
  CHECK(failure->kind == ErrorKind::transient);
  CHECK(failure->code == "timeout");
  CHECK(failure->message.find("/orders/get") != std::string::npos);
  CHECK(server.requests().size() == 2);
  CHECK(took < 1500ms);
}

TEST_CASE("HTTP 503 and malformed bodies are retried until the call succeeds") {
  net::io_context io;
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    ++n;
    if (n == 1)
      return TestReply{503, "busy"};
    if (n == 2)
      return TestReply{200, R"({"result":{"model_list":[)"};
    if (n == 3)
      return TestReply{200, ok_orders().body, {}, false, true}; // truncated
    return ok_orders();
  });
  api::Client client(config_for(server), tokens(), {});
  api::Page<api::Order> page;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    page = co_await client.list_orders(api::OrdersQuery());
  });
  CHECK(page.items.size() == 2);
  CHECK(client.counters().calls == 4);
  CHECK(client.counters().retries == 3);
}

TEST_CASE("transient errors give up after api.retry.max_attempts") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) { return TestReply{502, "bad gateway"}; });
  auto cfg = config_for(server);
  cfg.retry.max_attempts = 3;
  const auto failure = with_client(io, cfg, [](api::Client& c) -> net::awaitable<void> {
    co_await c.get_order("558757367941");
  });
  REQUIRE(failure);
  CHECK(failure->kind == ErrorKind::transient);
  CHECK(failure->code == "http_502");
  CHECK(server.requests().size() == 3);
}

TEST_CASE("a fatal error is not retried") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) {
    return envelope("IncompleteSignature", "The request signature does not conform");
  });
  const auto failure =
      with_client(io, config_for(server), [](api::Client& c) -> net::awaitable<void> {
        co_await c.list_orders(api::OrdersQuery());
      });
  REQUIRE(failure);
  CHECK(failure->kind == ErrorKind::fatal);
  CHECK(failure->code == "IncompleteSignature");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("a response over api.max_response_bytes is refused, not retried") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) { return ok_orders(); });
  auto cfg = config_for(server);
  cfg.max_response_bytes = 100;
  const auto failure = with_client(io, cfg, [](api::Client& c) -> net::awaitable<void> {
    co_await c.list_orders(api::OrdersQuery());
  });
  REQUIRE(failure);
  CHECK(failure->code == "response_too_large");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("plain http:// is refused for a host that is not loopback") {
  net::io_context io;
  config::ApiConfig cfg;
  cfg.base_url = "http://api.example.com/rest";
  try {
    api::Client client(cfg, tokens(), {});
    FAIL("the client accepted http:// to a remote host");
  } catch (const ApiFailure& e) {
    CHECK(e.error().code == "insecure_http");
    CHECK(std::string(e.what()).find("api.example.com") != std::string::npos);
    CHECK(std::string(e.what()).find("api.base_url") != std::string::npos);
  }
  cfg.allow_insecure_http = true;
  CHECK_NOTHROW(api::Client(cfg, tokens(), {}));
  cfg.allow_insecure_http = false;
  cfg.base_url = "http://localhost:8080/rest";
  CHECK_NOTHROW(api::Client(cfg, tokens(), {}));
}
