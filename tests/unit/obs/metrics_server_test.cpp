#include "obs/api_ban.hpp"
#include "obs/metrics_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <doctest/doctest.h>

#include <thread>

using namespace taosync;
using namespace std::chrono_literals;
namespace net = boost::asio;

namespace {

/// A server on 127.0.0.1:<free port> running on its own io thread.
struct RunningServer {
  net::io_context io;
  obs::Metrics metrics;
  obs::MetricsServer server;
  std::thread thread;
  explicit RunningServer(obs::MetricsServerLimits limits = obs::MetricsServerLimits::from({}))
      : server(io.get_executor(), "127.0.0.1:0", metrics, 2s, limits) {
    net::co_spawn(io, server.run(), [](std::exception_ptr) {});
    thread = std::thread([this] { io.run(); });
  }
  ~RunningServer() {
    net::post(io, [this] { server.stop(); });
    io.stop();
    thread.join();
  }
  /// Sends one raw request; returns the whole response.
  std::string request(const std::string& method, const std::string& target) {
    net::io_context client;
    net::ip::tcp::socket s(client);
    s.connect({net::ip::make_address("127.0.0.1"), server.port()});
    const std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    net::write(s, net::buffer(req));
    std::string out;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(out), ec); // until the server closes
    return out;
  }
};

} // namespace

TEST_CASE("GET /metrics serves the Prometheus exposition") {
  RunningServer srv;
  obs::ShopMetrics shop(srv.metrics, "default");
  shop.orders_synced(42);
  srv.metrics.api_call("/orders/get", "ok", 0.05s);
  const std::string res = srv.request("GET", "/metrics");
  CHECK(res.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(res.find("Content-Type: text/plain; version=0.0.4") != std::string::npos);
  CHECK(res.find("\ntaosync_orders_synced_total{shop=\"default\"} 42\n") != std::string::npos);
  CHECK(res.find("taosync_api_calls_total{endpoint=\"/orders/get\",outcome=\"ok\"} 1") !=
        std::string::npos);
}

TEST_CASE("/healthz is 503 before any success, 200 after, 503 once stale") {
  RunningServer srv;
  obs::ShopMetrics shop(srv.metrics, "default");
  CHECK(srv.request("GET", "/healthz").rfind("HTTP/1.1 503", 0) == 0);
  shop.set_last_success(std::chrono::system_clock::now());
  CHECK(srv.request("GET", "/healthz").rfind("HTTP/1.1 200", 0) == 0);
  srv.server.set_healthy_within(1ms);
  std::this_thread::sleep_for(5ms);
  CHECK(srv.request("GET", "/healthz").rfind("HTTP/1.1 503", 0) == 0);
}

TEST_CASE("/healthz is 200 during an init that keeps moving") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  CHECK_FALSE(obs::is_healthy(m, 1s));
  shop.set_init_progress(10, 1000);
  CHECK(obs::is_healthy(m, 1s));
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(obs::is_healthy(m, 10ms)); // init stalled
  shop.set_init_progress(20, 1000);
  CHECK(obs::is_healthy(m, 10ms));
}

TEST_CASE("unknown paths are 404, other methods 405, HEAD has no body") {
  RunningServer srv;
  CHECK(srv.request("GET", "/nope").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(srv.request("POST", "/metrics").rfind("HTTP/1.1 405", 0) == 0);
  const std::string head = srv.request("HEAD", "/metrics");
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(head.substr(head.find("\r\n\r\n") + 4).empty());
}

TEST_CASE("parse_listen reads IPv4 and bracketed IPv6") {
  CHECK(obs::parse_listen("127.0.0.1:9464").port() == 9464);
  CHECK(obs::parse_listen("[::1]:9100").address().is_v6());
  CHECK_THROWS_AS(obs::parse_listen("nonsense"), std::invalid_argument);
  CHECK_THROWS_AS(obs::parse_listen("example.com:80"), std::invalid_argument);
}

TEST_CASE("binding a busy port fails with the address in the message") {
  net::io_context io;
  obs::Metrics m;
  obs::MetricsServer first(io.get_executor(), "127.0.0.1:0", m, 1s);
  const std::string addr = "127.0.0.1:" + std::to_string(first.port());
  CHECK_THROWS_WITH(obs::MetricsServer(io.get_executor(), addr, m, 1s),
                    doctest::Contains(addr.c_str()));
}

namespace {

/// A blocking client connection to the server.
struct Client {
  net::io_context io;
  net::ip::tcp::socket socket{io};
  explicit Client(unsigned short port) {
    socket.connect({net::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& target) {
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    net::write(socket, net::buffer(req));
  }
  /// Reads until the server closes, or `timeout`; returns what arrived and whether it closed.
  std::pair<std::string, bool> read_all(std::chrono::milliseconds timeout) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    socket.non_blocking(true);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      const auto n = socket.read_some(net::buffer(buf), ec);
      if (ec == net::error::would_block) {
        std::this_thread::sleep_for(10ms);
        continue;
      }
      if (ec)
        return {out, true}; // eof or reset: the server closed
      out.append(buf, n);
    }
    return {out, false};
  }
};

} // namespace

TEST_CASE("accept backoff: 100 ms doubling to 1 s, back to 100 ms after a success") {
  model::Backoff b(obs::kAcceptBackoff);
  CHECK(b.next() == 100ms);
  CHECK(b.next() == 200ms);
  CHECK(b.next() == 400ms);
  CHECK(b.next() == 800ms);
  CHECK(b.next() == 1000ms);
  CHECK(b.next() == 1000ms);
  b.reset();
  CHECK(b.next() == 100ms);
}

TEST_CASE("an idle connection is closed after read_timeout") {
  RunningServer srv({16, 200ms});
  Client idle(srv.server.port());
  const auto [text, closed] = idle.read_all(5s);
  CHECK(closed);
  CHECK(text.empty());
}

TEST_CASE("at max_connections, a new client waits until a connection ends") {
  RunningServer srv({2, 60s});
  obs::ShopMetrics shop(srv.metrics, "default"); // synced, never successfully: 503
  Client a(srv.server.port());
  Client b(srv.server.port());
  Client c(srv.server.port()); // completes in the kernel's backlog, not accepted yet
  c.send("/healthz");
  // Two idle clients hold both slots: the third is not served while they stay.
  CHECK_FALSE(c.read_all(500ms).second);
  CHECK(srv.server.connections() == 2);
  a.socket.close(); // frees a slot
  const auto [text, closed] = c.read_all(5s);
  CHECK(closed);
  CHECK(text.rfind("HTTP/1.1 503", 0) == 0);
}

TEST_CASE("/healthz stays 200 during a ban of known length and says until when") {
  obs::api_ban().clear();
  RunningServer srv;
  obs::ShopMetrics shop(srv.metrics, "default");
  CHECK(srv.request("GET", "/healthz").rfind("HTTP/1.1 503", 0) == 0); // no success yet
  const auto until = std::chrono::system_clock::now() + 1h;
  obs::api_ban().record(until);
  const std::string res = srv.request("GET", "/healthz");
  CHECK(res.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(res.find("ok: banned by the platform (ApiCallLimit) until " + obs::format_utc(until)) !=
        std::string::npos);
  // The metrics carry the ban's end for alerting.
  CHECK(srv.request("GET", "/metrics").find("taosync_api_ban_until_timestamp_seconds ") !=
        std::string::npos);
  obs::api_ban().clear();
  CHECK(srv.request("GET", "/healthz").rfind("HTTP/1.1 503", 0) == 0);
}

TEST_CASE("describe_ban rounds the time left up and formats the end in UTC") {
  const auto until = std::chrono::system_clock::time_point(std::chrono::seconds(1710074096));
  CHECK(obs::describe_ban(until, until - 36500ms) ==
        "banned by the platform (ApiCallLimit) until 2024-03-10T12:34:56Z, 37s left");
}

TEST_CASE("GET / and /status.json serve the status source's document as a page and as JSON") {
  net::io_context io;
  obs::Metrics metrics;
  obs::MetricsServer server(io.get_executor(), "127.0.0.1:0", metrics, 2s);
  int asked = 0;
  bool fail = false;
  server.set_status_source([&]() -> net::awaitable<boost::json::value> {
    ++asked;
    if (fail)
      throw std::runtime_error("the database did not answer");
    co_return boost::json::value{{"generated_at", "2026-12-01T10:00:00.000Z"},
                                 {"shops", boost::json::array{{{"shop", "shop-a"}}}}};
  });
  net::co_spawn(io, server.run(), [](std::exception_ptr) {});
  std::thread thread([&io] { io.run(); });
  auto request = [&](const std::string& target) {
    net::io_context client;
    net::ip::tcp::socket s(client);
    s.connect({net::ip::make_address("127.0.0.1"), server.port()});
    net::write(s,
               net::buffer("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string out;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(out), ec);
    return out;
  };
  const std::string page = request("/");
  CHECK(page.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(page.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(page.find("<td class=\"shop\">shop-a</td>") != std::string::npos);
  const std::string doc = request("/status.json?x=1");
  CHECK(doc.find("Content-Type: application/json") != std::string::npos);
  CHECK(doc.find(
            "{\"generated_at\":\"2026-12-01T10:00:00.000Z\",\"shops\":[{\"shop\":\"shop-a\"}]}") !=
        std::string::npos);
  CHECK(asked == 2);
  fail = true;
  const std::string failed = request("/status.json");
  CHECK(failed.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(failed.find("status unavailable: the database did not answer") != std::string::npos);
  CHECK(request("/metrics").rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  net::post(io, [&server] { server.stop(); });
  io.stop();
  thread.join();
}

TEST_CASE("without a status source, / is not found and says where to look") {
  RunningServer srv;
  const std::string res = srv.request("GET", "/");
  CHECK(res.rfind("HTTP/1.1 404", 0) == 0);
  CHECK(res.find("try /, /status.json, /metrics or /healthz") != std::string::npos);
}

// /healthz's decision: a database job pending past healthy_within is unhealthy, and says why.

TEST_CASE("a database write pending past healthy_within is unhealthy, naming its blocker") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  shop.set_last_success(std::chrono::system_clock::now()); // cycles were fine until now
  const auto now = std::chrono::steady_clock::now();
  m.set_db_pending("write", now - 2s);
  CHECK_FALSE(obs::health_problem(m, 5s).has_value()); // pending, but not for long
  m.set_db_blocker("write", "waiting for RowExclusiveLock on taosync.orders, held by pid 42");
  const auto problem = obs::health_problem(m, 1s);
  REQUIRE(problem.has_value());
  CHECK(problem->find("database write blocked for 2s (longer than metrics.healthy_within 1s)") !=
        std::string::npos);
  CHECK(problem->find("held by pid 42") != std::string::npos);
  CHECK_FALSE(obs::is_healthy(m, 1s));
  m.set_db_pending("write", std::nullopt); // the write committed
  CHECK_FALSE(obs::health_problem(m, 1s).has_value());
  CHECK(m.render().find("\ntaosync_db_pending_seconds 0\n") != std::string::npos);
}

TEST_CASE("the longest-pending job of several is the one reported") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  shop.set_last_success(std::chrono::system_clock::now());
  const auto now = std::chrono::steady_clock::now();
  m.set_db_pending("lookup", now - 1s);
  m.set_db_pending("write", now - 9s);
  const auto problem = obs::health_problem(m, 3s);
  REQUIRE(problem.has_value());
  CHECK(problem->starts_with("database write blocked for 9s"));
  CHECK(problem->find("nothing seen holding a lock") != std::string::npos);
}

TEST_CASE("without a pending job the cycle rule still decides, with its reason") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  const auto problem = obs::health_problem(m, 5min);
  REQUIRE(problem.has_value());
  CHECK(*problem == "no successful sync cycle within metrics.healthy_within (5m) for shop default");
}

TEST_CASE("every shop synced must be fresh: a stale one is named; no shop synced is healthy") {
  obs::Metrics m;
  CHECK(obs::health_problem(m, 1s) == "no shop syncing yet"); // starting
  m.set_leases_held(0);
  CHECK_FALSE(obs::health_problem(m, 1s).has_value()); // a standby: its peers hold the shops
  m.set_leases_held(2);
  CHECK(obs::health_problem(m, 1s) == "holding 2 shop lease(s), no shop syncing yet");
  obs::ShopMetrics a(m, "a");
  obs::ShopMetrics b(m, "b");
  obs::ShopMetrics c(m, "c");
  a.set_last_success(std::chrono::system_clock::now());
  b.set_init_progress(10, 100); // an init moving forward
  auto problem = obs::health_problem(m, 1min);
  REQUIRE(problem.has_value());
  CHECK(problem->ends_with("for shop c"));
  {
    obs::ShopMetrics d(m, "d");
    problem = obs::health_problem(m, 1min);
    REQUIRE(problem.has_value());
    CHECK(problem->ends_with("for shop c and 1 more"));
  }
  c.set_waiting(true); // its init waits its turn: not late
  CHECK_FALSE(obs::health_problem(m, 1min).has_value());
  c.set_waiting(false);
  c.set_last_success(std::chrono::system_clock::now());
  CHECK_FALSE(obs::health_problem(m, 1min).has_value());
}
