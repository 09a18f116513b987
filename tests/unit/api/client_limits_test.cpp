// The client under ApiCallLimit bans and expiring tokens.

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
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kLimitsOneId{"1"};

TestReply error_reply(const std::string& code, const std::string& message) {
  return {200, R"({"type":"ISV","code":")" + code + R"(","message":")" + message +
                   R"(","request_id":"0b1"})"};
}

// Spawns `n` concurrent calls of `call` and waits for all; returns how many threw.
net::awaitable<int> concurrently(net::io_context& io, int n,
                                 std::function<net::awaitable<void>()> call) {
  int done = 0, failed = 0;
  for (int i = 0; i < n; ++i)
    net::co_spawn(io, call(), [&](std::exception_ptr e) {
      ++done;
      failed += e ? 1 : 0;
    });
  while (done < n) {
    net::steady_timer t(io, 5ms);
    co_await t.async_wait(net::use_awaitable);
  }
  co_return failed;
}

} // namespace

TEST_CASE("ApiCallLimit pauses every call for the ban, then all succeed") {
  net::io_context io;
  Clock::time_point ban_end{};
  int refused = 0;
  TestServer server(io, [&](const SeenRequest& r) {
    if (ban_end == Clock::time_point{}) {
      ban_end = r.at + 1s;
      ++refused;
      return error_reply("ApiCallLimit", "This ban will last 1 seconds");
    }
    if (r.at < ban_end) {
      ++refused;
      return error_reply("ApiCallLimit", "This ban will last 1 seconds");
    }
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  api::Client client(loopback_api_config(server), {"t", "r", {}, {}}, {});
  const auto start = Clock::now();
  int failed = -1;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    failed = co_await concurrently(
        io, 3, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  });
  CHECK(failed == 0);
  CHECK(Clock::now() - start >= 1s);
  CHECK(refused <= 3); // only calls already in flight when the ban began
  CHECK(client.counters().throttled == static_cast<std::uint64_t>(refused));
  for (const auto& r : server.requests())
    CHECK((r.at < ban_end - 900ms || r.at >= ban_end)); // nothing new was sent during the ban
}

TEST_CASE("IllegalAccessToken triggers one refresh for all callers; tokens saved before use") {
  net::io_context io;
  int refreshes = 0, new_token_calls = 0, new_token_calls_at_save = -1;
  TestServer server(io, [&](const SeenRequest& r) {
    if (r.path == "/rest/auth/token/refresh") {
      ++refreshes;
      CHECK(r.params.count("access_token") == 0);
      CHECK(r.params.at("refresh_token") == "refresh-1");
      CHECK(TestServer::signature_valid(r, "/auth/token/refresh", "s3cr3t-value"));
      return TestReply{200, R"({"access_token":"access-2","refresh_token":"refresh-2",)"
                            R"("expires_in":2592000,"refresh_expires_in":15552000,"code":"0"})"};
    }
    if (r.params.at("access_token") != "access-2")
      return error_reply("IllegalAccessToken", "The specified access token is invalid or expired");
    ++new_token_calls;
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  std::vector<api::Tokens> saved;
  api::TokenSaver saver = [&](const api::Tokens& t) -> net::awaitable<void> {
    net::steady_timer slow(io, 50ms); // a database write takes time; nobody may go ahead
    co_await slow.async_wait(net::use_awaitable);
    new_token_calls_at_save = new_token_calls;
    saved.push_back(t);
  };
  api::Client client(loopback_api_config(server), {"access-1", "refresh-1", {}, {}}, saver);
  int failed = -1;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    failed = co_await concurrently(
        io, 5, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  });
  CHECK(failed == 0);
  CHECK(refreshes == 1);
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].access_token == "access-2");
  CHECK(saved[0].refresh_token == "refresh-2");
  CHECK(saved[0].access_expires_at > std::chrono::system_clock::now() + std::chrono::days(29));
  CHECK(new_token_calls_at_save == 0);
  CHECK(new_token_calls == 5);
  CHECK(client.counters().refreshes == 1);
}

TEST_CASE("a dead refresh token stops the call, saying the seller must re-authorize") {
  net::io_context io;
  TestServer server(io, [&](const SeenRequest& r) {
    if (r.path == "/rest/auth/token/refresh")
      return error_reply("IllegalRefreshToken", "refresh token expired");
    return error_reply("IllegalAccessToken", "expired");
  });
  api::Client client(loopback_api_config(server), {"a", "r", {}, {}}, {});
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await client.list_orders(api::OrdersQuery());
    } catch (const api::ApiFailure& e) {
      failure = e.error();
    }
  });
  REQUIRE(failure);
  CHECK(failure->kind == api::ErrorKind::refresh_dead);
  CHECK(failure->message.find("re-authorize") != std::string::npos);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("an access token still refused after a refresh fails the call, once") {
  net::io_context io;
  TestServer server(io, [&](const SeenRequest& r) {
    if (r.path == "/rest/auth/token/refresh")
      return TestReply{200, R"({"access_token":"a2","refresh_token":"r2","expires_in":3600,)"
                            R"("refresh_expires_in":86400,"code":"0"})"};
    return error_reply("IllegalAccessToken", "expired");
  });
  api::Client client(loopback_api_config(server), {"a1", "r1", {}, {}}, {});
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await client.get_order("1");
    } catch (const api::ApiFailure& e) {
      failure = e.error();
    }
  });
  REQUIRE(failure);
  CHECK(failure->kind == api::ErrorKind::refresh_dead);
  CHECK(failure->message.find("re-authorize") != std::string::npos);
  CHECK(server.requests().size() == 3); // call, refresh, call again: no loop
}

TEST_CASE("a refresh answered without a lifetime is asked again with backoff, then goes on") {
  net::io_context io;
  int refreshes = 0;
  TestServer server(io, [&](const SeenRequest& r) {
    if (r.path == "/rest/auth/token/refresh") {
      if (++refreshes == 1)
        return TestReply{200, R"({"access_token":"a2","refresh_token":"r2","code":"0"})"};
      return TestReply{200, R"({"access_token":"a2","refresh_token":"r2","expires_in":"3600",)"
                            R"("refresh_expires_in":86400,"code":"0"})"};
    }
    if (r.params.at("access_token") != "a2")
      return error_reply("IllegalAccessToken", "expired");
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  std::vector<api::Tokens> saved;
  api::TokenSaver saver = [&](const api::Tokens& t) -> net::awaitable<void> {
    saved.push_back(t);
    co_return;
  };
  api::Client client(loopback_api_config(server), {"a1", "r1", {}, {}}, saver);
  run_coroutine(io, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  CHECK(refreshes == 2);
  REQUIRE(saved.size() == 1); // only tokens with a lifetime are kept
  CHECK(saved[0].access_expires_at > std::chrono::system_clock::now() + 59min);
  CHECK(client.counters().refreshes == 1);
}

TEST_CASE("refresh answers that never carry a lifetime fail that call, not the shop") {
  net::io_context io;
  TestServer server(io, [&](const SeenRequest& r) {
    if (r.path == "/rest/auth/token/refresh")
      return TestReply{200, R"({"access_token":"a2","refresh_token":"r2","expires_in":"never",)"
                            R"("refresh_expires_in":86400,"code":"0"})"};
    return error_reply("IllegalAccessToken", "expired");
  });
  auto cfg = loopback_api_config(server);
  cfg.retry.max_attempts = 3;
  api::Client client(cfg, {"a1", "r1", {}, {}}, {});
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await client.get_order("1");
    } catch (const api::ApiFailure& e) {
      failure = e.error();
    }
  });
  REQUIRE(failure);
  CHECK(failure->kind == api::ErrorKind::transient); // retried later, never refresh_dead
  CHECK(failure->message.find("expires_in: not a number of seconds") != std::string::npos);
  CHECK(server.requests().size() == 4); // the call, then three refresh attempts
}

namespace {

// The gap between the first and the second request `server` saw.
std::chrono::steady_clock::duration second_request_after(const TestServer& server) {
  REQUIRE(server.requests().size() >= 2);
  return server.requests()[1].at - server.requests()[0].at;
}

} // namespace

TEST_CASE("a 503 or 429 that says Retry-After is retried no sooner than it asked") {
  for (const unsigned status : {503u, 429u}) {
    CAPTURE(status);
    net::io_context io;
    int n = 0;
    TestServer server(io, [&](const SeenRequest&) {
      if (++n == 1)
        return TestReply{status, "busy", {}, false, false, {}, "1"};
      return TestReply{200, read_api_data("seed_order_items_get.json")};
    });
    api::Client client(loopback_api_config(server), {"t", "r", {}, {}}, {});
    run_coroutine(io, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
    CHECK(server.requests().size() == 2);
    CHECK(second_request_after(server) >= 1s); // the backoff alone is at most 50 ms here
  }
}

TEST_CASE("an ApiCallLimit whose Retry-After outlasts its ban pauses for the Retry-After") {
  net::io_context io;
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    if (++n == 1) {
      auto reply = error_reply("ApiCallLimit", "this ban will last 0 seconds");
      reply.retry_after = "1";
      return reply;
    }
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  api::Client client(loopback_api_config(server), {"t", "r", {}, {}}, {});
  run_coroutine(io, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  CHECK(second_request_after(server) >= 1s);
}

TEST_CASE("a Retry-After past api.retry.max_retry_after is held to it") {
  net::io_context io;
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    if (++n == 1)
      return TestReply{503, "busy", {}, false, false, {}, "3600"};
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  auto cfg = loopback_api_config(server);
  cfg.retry.max_retry_after = 300ms;
  api::Client client(cfg, {"t", "r", {}, {}}, {});
  run_coroutine(io, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  CHECK(second_request_after(server) >= 300ms);
  CHECK(second_request_after(server) < 3s);
}

TEST_CASE("Retry-After on an answer that is neither 429, 503 nor a throttle is not waited for") {
  net::io_context io;
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    if (++n == 1)
      return TestReply{502, "bad gateway", {}, false, false, {}, "5"};
    return TestReply{200, read_api_data("seed_order_items_get.json")};
  });
  api::Client client(loopback_api_config(server), {"t", "r", {}, {}}, {});
  run_coroutine(io, [&]() -> net::awaitable<void> { co_await client.get_lines(kLimitsOneId); });
  CHECK(second_request_after(server) < 1s);
}
