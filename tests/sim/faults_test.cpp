// Injected faults and latency: each kind happens, looks like it should to a client, and is
// counted in /_sim/stats.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <map>
#include <thread>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

/// Classifies what a client saw.
std::string classify(const HttpResult& r) {
  if (r.error == "timeout")
    return "stall";
  if (r.error == "partial_message")
    return "truncated";
  if (!r.ok())
    return "reset"; // reset by peer, or closed before any byte
  if (r.status >= 500)
    return "http_" + std::to_string(r.status);
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec)
    return "malformed";
  return "none";
}

} // namespace

TEST_CASE("every fault kind happens and is counted") {
  auto options = small_options(30);
  options.live.fault_rate = 1.0;
  options.stall = std::chrono::milliseconds(800);
  SimHarness sim(options);
  HttpClient client(sim.port(), std::chrono::milliseconds(400)); // shorter than the stall
  std::map<std::string, int> seen;
  constexpr int kCalls = 80;
  for (int i = 0; i < kCalls; ++i)
    ++seen[classify(call_api(client, "/orders/get", {{"Page_Size", "20"}}))];
  CHECK(seen.size() == 7);
  CHECK_FALSE(seen.contains("none"));
  HttpClient admin(sim.port());
  auto stats = json::parse(admin.get("/_sim/stats").body);
  int counted = 0;
  for (const auto& [kind, n] : stats.at("faults").as_object()) {
    CAPTURE(kind);
    CHECK(n == seen[std::string(kind)]);
    counted += static_cast<int>(n.as_int64());
  }
  CHECK(counted == kCalls);
  // Faults never reach the admin endpoints.
  CHECK(admin.get("/_sim/stats").status == 200);
}

TEST_CASE("a partial fault rate leaves most calls intact, and control can turn it off") {
  auto options = small_options(30);
  options.live.fault_rate = 0.2;
  options.stall = std::chrono::milliseconds(800);
  SimHarness sim(options);
  HttpClient client(sim.port(), std::chrono::milliseconds(400));
  int good = 0;
  for (int i = 0; i < 60; ++i)
    good += classify(call_api(client, "/orders/get", {})) == "none";
  CHECK(good > 30);
  CHECK(good < 60);
  HttpClient admin(sim.port());
  CHECK(admin.post("/_sim/control", R"({"fault_rate":0})").status == 200);
  for (int i = 0; i < 20; ++i)
    CHECK(classify(call_api(client, "/orders/get", {})) == "none");
}

TEST_CASE("--retry-after puts a Retry-After header on 503 faults and on ApiCallLimit") {
  auto options = small_options(30);
  options.live.fault_rate = 1.0;
  options.live.retry_after = 3;
  options.stall = std::chrono::milliseconds(800);
  SimHarness sim(options);
  HttpClient client(sim.port(), std::chrono::milliseconds(400));
  int with_header = 0;
  for (int i = 0; i < 60; ++i) {
    auto r = call_api(client, "/orders/get", {});
    if (r.ok() && r.status == 503) {
      CHECK(r.retry_after == "3");
      ++with_header;
    } else if (r.ok()) {
      CHECK(r.retry_after.empty()); // only 503s say when to come back
    }
  }
  CHECK(with_header > 0);
  HttpClient admin(sim.port());
  REQUIRE(admin.post("/_sim/control", R"({"fault_rate":0,"rate_limit":1,"burst":1})").status ==
          200);
  CHECK(call_api(client, "/orders/get", {}).retry_after.empty());
  auto banned = call_api(client, "/orders/get", {});
  CHECK(code_of(banned) == "ApiCallLimit");
  CHECK(banned.retry_after == "3");
}

TEST_CASE(
    "unavailable_calls answers the next calls 503 or 429 and says when the client came back") {
  SimHarness sim(small_options(30));
  HttpClient client(sim.port()), admin(sim.port());
  auto on = admin.post("/_sim/control", R"({"unavailable_calls":2,"retry_after":1})");
  REQUIRE(on.status == 200);
  CHECK(parse(on).at("unavailable_calls") == 2);
  for (int i = 0; i < 2; ++i) {
    auto r = call_api(client, "/orders/get", {});
    CHECK(r.status == 503);
    CHECK(r.retry_after == "1");
  }
  auto stats = parse(admin.get("/_sim/stats"));
  CHECK(stats.at("unavailable").at("served") == 2);
  CHECK(stats.at("unavailable").at("next_call_ms") == 0); // nobody came back yet
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  stats = parse(admin.get("/_sim/stats"));
  const auto back = stats.at("unavailable").at("next_call_ms").as_int64() -
                    stats.at("unavailable").at("last_ms").as_int64();
  CHECK(back >= 300);
  CHECK(stats.at("calls").at("/orders/get").at("http_503") == 2);
  REQUIRE(
      admin.post("/_sim/control", R"({"unavailable_calls":1,"unavailable_status":429})").status ==
      200);
  CHECK(call_api(client, "/orders/get", {}).status == 429);
  CHECK(admin.post("/_sim/control", R"({"unavailable_status":500})").status == 400);
}

TEST_CASE("latency delays answers by about the configured mean") {
  auto options = small_options(20);
  options.live.latency_mean = std::chrono::milliseconds(60);
  options.live.latency_jitter = std::chrono::milliseconds(10);
  SimHarness sim(options);
  HttpClient client(sim.port());
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i)
    CHECK(code_of(call_api(client, "/orders/get", {})) == "0");
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed >= std::chrono::milliseconds(5 * 50));
  CHECK(elapsed < std::chrono::milliseconds(3000)); // generous: the machine may be busy
}

TEST_CASE("connections stay open across calls (keep-alive) and several clients are served") {
  SimHarness sim(small_options(50));
  HttpClient a(sim.port()), b(sim.port());
  for (int i = 0; i < 10; ++i) {
    CHECK(code_of(call_api(a, "/orders/get", {})) == "0");
    CHECK(code_of(call_api(b, "/order/get", {{"trade_order_id", "558757367941"}})) == "0");
  }
  CHECK(a.connections() == 1);
  CHECK(b.connections() == 1);
}

} // namespace taosync::sim::test
