#include "obs/metrics.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace taosync::obs;
using namespace std::chrono_literals;

namespace {
bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}
} // namespace

TEST_CASE("metrics render counters with HELP and TYPE lines, a shop's with its label") {
  Metrics m;
  ShopMetrics shop(m, "shop-a");
  shop.orders_synced(3);
  shop.orders_synced(4);
  shop.lines_synced(9);
  m.throttled();
  m.retried();
  m.retried();
  shop.rejected(2);
  const std::string text = m.render();
  CHECK(has_line(text, "# TYPE taosync_orders_synced_total counter"));
  CHECK(text.find("# HELP taosync_orders_synced_total ") != std::string::npos);
  CHECK(has_line(text, "taosync_orders_synced_total{shop=\"shop-a\"} 7"));
  CHECK(has_line(text, "taosync_lines_synced_total{shop=\"shop-a\"} 9"));
  CHECK(has_line(text, "taosync_api_throttled_total 1"));
  CHECK(has_line(text, "taosync_api_retries_total 2"));
  CHECK(has_line(text, "taosync_rejected_records_total{shop=\"shop-a\"} 2"));
}

TEST_CASE("shops are counted apart; a shop no longer synced keeps its counters, not its gauges") {
  Metrics m;
  auto a = std::make_unique<ShopMetrics>(m, "a");
  ShopMetrics b(m, "b");
  a->orders_synced(5);
  a->set_cursor_lag(12s);
  b.orders_synced(1);
  b.set_cursor_lag(3s);
  std::string text = m.render();
  CHECK(has_line(text, "taosync_orders_synced_total{shop=\"a\"} 5"));
  CHECK(has_line(text, "taosync_orders_synced_total{shop=\"b\"} 1"));
  CHECK(has_line(text, "taosync_cursor_lag_seconds{shop=\"a\"} 12"));
  CHECK(has_line(text, "taosync_cursor_lag_seconds{shop=\"b\"} 3"));
  CHECK(m.freshness().size() == 2);
  a.reset(); // shop a handed over to a peer
  text = m.render();
  CHECK(has_line(text, "taosync_orders_synced_total{shop=\"a\"} 5"));
  CHECK(text.find("taosync_cursor_lag_seconds{shop=\"a\"}") == std::string::npos);
  REQUIRE(m.freshness().size() == 1);
  CHECK(m.freshness().front().shop == "b");
  ShopMetrics again(m, "a"); // taken back: counting goes on
  again.orders_synced(2);
  CHECK(has_line(m.render(), "taosync_orders_synced_total{shop=\"a\"} 7"));
}

TEST_CASE("lease metrics: held, taken, taken over, lost") {
  Metrics m;
  m.lease_taken(false);
  m.lease_taken(true);
  m.set_leases_held(2);
  m.lease_lost();
  const std::string text = m.render();
  CHECK(has_line(text, "taosync_leases_held 2"));
  CHECK(has_line(text, "taosync_leases_taken_total 2"));
  CHECK(has_line(text, "taosync_lease_takeovers_total 1"));
  CHECK(has_line(text, "taosync_leases_lost_total 1"));
}

TEST_CASE("api calls are labelled by endpoint and outcome with a latency histogram") {
  Metrics m;
  m.api_call("/orders/get", "ok", 0.02s);
  m.api_call("/orders/get", "ok", 3s);
  m.api_call("/orders/get", "throttled", 0.001s);
  const std::string text = m.render();
  CHECK(has_line(text, "taosync_api_calls_total{endpoint=\"/orders/get\",outcome=\"ok\"} 2"));
  CHECK(
      has_line(text, "taosync_api_calls_total{endpoint=\"/orders/get\",outcome=\"throttled\"} 1"));
  CHECK(has_line(text, "# TYPE taosync_api_call_duration_seconds histogram"));
  CHECK(has_line(
      text, "taosync_api_call_duration_seconds_bucket{endpoint=\"/orders/get\",le=\"0.025\"} 2"));
  CHECK(has_line(
      text, "taosync_api_call_duration_seconds_bucket{endpoint=\"/orders/get\",le=\"+Inf\"} 3"));
  CHECK(has_line(text, "taosync_api_call_duration_seconds_count{endpoint=\"/orders/get\"} 3"));
}

TEST_CASE("label values are escaped") {
  Metrics m;
  m.api_call("a\"b\\c\nd", "ok", 0.1s);
  CHECK(m.render().find("endpoint=\"a\\\"b\\\\c\\nd\"") != std::string::npos);
}

TEST_CASE("gauges: lag, last success, init progress") {
  Metrics m;
  ShopMetrics shop(m, "s");
  const auto fresh = [&m] { return m.freshness().at(0); };
  CHECK(std::isinf(fresh().since_success));
  CHECK_FALSE(fresh().init_in_progress);
  shop.set_cursor_lag(37.5s);
  shop.set_last_success(std::chrono::system_clock::time_point(1700000000s));
  shop.set_init_progress(41, 100);
  CHECK(fresh().since_success < 1.0);
  CHECK(fresh().init_in_progress);
  CHECK(fresh().since_init_progress < 1.0);
  const std::string text = m.render();
  CHECK(has_line(text, "taosync_cursor_lag_seconds{shop=\"s\"} 37.5"));
  CHECK(has_line(text, "taosync_last_success_timestamp_seconds{shop=\"s\"} 1700000000"));
  CHECK(has_line(text, "taosync_init_progress_ratio{shop=\"s\"} 0.41"));
  CHECK(has_line(text, "taosync_init_orders_done{shop=\"s\"} 41"));
  CHECK(has_line(text, "taosync_init_orders_total{shop=\"s\"} 100"));
  shop.set_init_progress(100, 100);
  CHECK_FALSE(fresh().init_in_progress);
}

TEST_CASE("db write histogram counts observations cumulatively") {
  Metrics m;
  m.db_write(0.003s);
  m.db_write(0.2s);
  const std::string text = m.render();
  CHECK(has_line(text, "taosync_db_write_duration_seconds_bucket{le=\"0.001\"} 0"));
  CHECK(has_line(text, "taosync_db_write_duration_seconds_bucket{le=\"0.005\"} 1"));
  CHECK(has_line(text, "taosync_db_write_duration_seconds_bucket{le=\"0.25\"} 2"));
  CHECK(has_line(text, "taosync_db_write_duration_seconds_count 2"));
}

TEST_CASE("concurrent recording loses no increments") {
  Metrics m;
  ShopMetrics shop(m, "s");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, &shop] {
      for (int i = 0; i < 10000; ++i) {
        shop.orders_synced(1);
        m.api_call("/order/items/get", "ok", 0.01s);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const std::string text = m.render();
  CHECK(has_line(text, "taosync_orders_synced_total{shop=\"s\"} 40000"));
  CHECK(has_line(text,
                 "taosync_api_calls_total{endpoint=\"/order/items/get\",outcome=\"ok\"} 40000"));
}

TEST_CASE("metrics() is one process-wide instance") {
  CHECK(&metrics() == &metrics());
}
