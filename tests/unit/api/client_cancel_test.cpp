// Client::cancel() at shutdown: calls stalled on the network, waiting out a ban or backing off
// end at once, and no later call is sent.

#include "api/client.hpp"
#include "obs/api_ban.hpp"
#include "test_data.hpp"
#include "test_server.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace taosync;
using namespace taosync::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kOneId{"1"};

// Everything slow but the cancel: a call only ends early if the cancel ends it.
config::ApiConfig config_for(const TestServer& server) {
  config::ApiConfig cfg = loopback_api_config(server);
  cfg.timeout = 60s;
  cfg.retry.initial_backoff = 60s;
  cfg.retry.max_backoff = 60s;
  return cfg;
}

/// Starts `calls` concurrent get_lines calls, cancels the client after 200 ms, and returns
/// the error codes the calls ended with ("ok" for none) and how long the whole took.
std::pair<std::vector<std::string>, Clock::duration>
cancel_after_start(net::io_context& io, api::Client& client, int calls) {
  std::vector<std::string> codes;
  const auto start = Clock::now();
  run_coroutine(io, [&]() -> net::awaitable<void> {
    int done = 0;
    for (int i = 0; i < calls; ++i)
      net::co_spawn(io, client.get_lines(kOneId),
                    [&](std::exception_ptr e, api::Page<api::OrderLine>) {
                      ++done;
                      try {
                        if (e)
                          std::rethrow_exception(e);
                        codes.push_back("ok");
                      } catch (const api::ApiFailure& f) {
                        codes.push_back(f.error().code);
                      }
                    });
    net::steady_timer t(io, 200ms);
    co_await t.async_wait(net::use_awaitable);
    client.cancel();
    while (done < calls) {
      net::steady_timer tick(io, 5ms);
      co_await tick.async_wait(net::use_awaitable);
    }
  });
  return {codes, Clock::now() - start};
}

} // namespace

TEST_CASE("cancel() ends calls stalled on an unanswered request at once") {
  net::io_context io;
  TestServer server(io, [](const SeenRequest&) {
    return TestReply{200, read_api_data("seed_order_items_get.json"), 30s};
  });
  api::Client client(config_for(server), {"t", "r", {}, {}}, {});
  const auto [codes, took] = cancel_after_start(io, client, 3);
  CHECK(codes == std::vector<std::string>{"cancelled", "cancelled", "cancelled"});
  CHECK(took < 5s); // not the 30 s stall, nor the 60 s timeout
  CHECK(server.requests().size() == 3);

  // A call after the cancel fails before anything is sent.
  std::string later;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await client.get_lines(kOneId);
    } catch (const api::ApiFailure& f) {
      later = f.error().code;
    }
  });
  CHECK(later == "cancelled");
  CHECK(server.requests().size() == 3);
}

TEST_CASE("cancel() ends the wait for a ban and the backoff before a retry") {
  obs::api_ban().clear();
  net::io_context io;
  int seen = 0;
  TestServer server(io, [&](const SeenRequest&) {
    // The first call is banned for a minute, the second gets a 503 (60 s backoff).
    if (++seen == 1)
      return TestReply{200, R"({"type":"ISV","code":"ApiCallLimit","message":"This ban will )"
                            R"(last 60 seconds","request_id":"0b1"})"};
    return TestReply{503, "busy"};
  });
  api::Client ban_client(config_for(server), {"t", "r", {}, {}}, {});
  const auto [ban_codes, ban_took] = cancel_after_start(io, ban_client, 1);
  CHECK(ban_codes == std::vector<std::string>{"cancelled"});
  CHECK(ban_took < 5s);
  CHECK(obs::api_ban().in_force()); // the ban was recorded for STATUS= and /healthz
  obs::api_ban().clear();

  api::Client retry_client(config_for(server), {"t", "r", {}, {}}, {});
  const auto [retry_codes, retry_took] = cancel_after_start(io, retry_client, 1);
  CHECK(retry_codes == std::vector<std::string>{"cancelled"});
  CHECK(retry_took < 5s);
  CHECK(seen == 2);
}

TEST_CASE("a stopped client's calls fail as cancelled, naming the call") {
  model::Stop stop;
  CHECK_NOTHROW(api::throw_if_stopped(stop, "x"));
  stop.request();
  CHECK_THROWS_WITH_AS(api::throw_if_stopped(stop, "GET /x"),
                       doctest::Contains("GET /x: cancelled"), api::ApiFailure);
}
