// A Lazada shop end to end: taosyncd against taosync-sim --platform lazada (whole seconds,
// offset paging under the 5,000 cap, items by order id, prices as strings) leaves the database
// equal to the truth a correct Lazada sync stores, under churn while paging and live changes.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::e2e {
namespace {

// The daemon config of one Lazada shop of the simulator's first seller.
void as_lazada_shop(Scenario& s) {
  auto& c = s.config();
  c.extra_yaml = "lazada:\n"
                 "  app_key: \"" +
                 c.app_key +
                 "\"\n"
                 "  app_secret: \"" +
                 c.app_secret +
                 "\"\n"
                 "  auth_url: \"" +
                 c.rest_url +
                 "\"\n"
                 "  rate_limit: {requests_per_second: 1000, burst: 100}\n"
                 "shops:\n"
                 "  - name: \"" +
                 c.shop +
                 "\"\n"
                 "    platform: lazada\n"
                 "    country: sg\n"
                 "    base_url: \"" +
                 c.rest_url +
                 "\"\n"
                 "    access_token: \"" +
                 c.access_token +
                 "\"\n"
                 "    refresh_token: \"" +
                 c.refresh_token + "\"\n";
  s.write_config();
}

// Freezes the simulator, waits until its last change lies before the daemon's last whole
// second (lag, a second of rounding and the Date's second), and runs `once` to success.
bool settle_seconds(Scenario& s) {
  s.sim().freeze();
  std::this_thread::sleep_for(std::chrono::milliseconds(std::stoll(s.config().lag)) + 2500ms);
  return s.once_until_success(5);
}

std::int64_t number(const std::string& text) {
  return text.empty() ? -1 : std::stoll(text);
}

} // namespace

TEST_CASE("taosyncd once syncs a Lazada shop equal to truth, in whole seconds and by order id") {
  Scenario s({"--platform", "lazada", "--orders", "600", "--seed", "31"});
  as_lazada_shop(s);
  REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.truth_orders == 600);
  CHECK(report.db_orders == 600);
  CHECK(report.db_lines == report.truth_lines);
  CHECK(report.db_shipments == report.truth_shipments);
  // Amounts in the country's currency; one line per unit; times in whole seconds.
  CHECK(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1 AND "
                "actual_fee_currency_code <> 'SGD'") == "0");
  CHECK(s.query("SELECT count(*) FROM taosync.order_lines WHERE shop = $1 AND quantity <> 1") ==
        "0");
  CHECK(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1 AND "
                "modification_time <> date_trunc('second', modification_time)") == "0");
  // Items by order id, 50 orders a call: no more calls than the orders need.
  const auto stats = s.stats();
  const auto items = stat_calls(stats, "/orders/items/get", "ok");
  CHECK(items >= 12);
  CHECK(items <= 14);
  CHECK(stat_calls(stats, "/order/items/get") == 0);
  CHECK(stat_calls(stats, "/orders/get", "E014") == 0); // never a page past the offset cap
}

TEST_CASE("a Lazada shop under churn while paging and live changes misses nothing") {
  Scenario s({"--platform", "lazada", "--orders", "1500", "--seed", "32", "--churn-per-page", "3",
              "--changes", "20", "--arrivals", "5", "--sort", "modification_asc"});
  s.config().page_size = 50; // more pages per sweep: more churn between them
  as_lazada_shop(s);
  REQUIRE_MESSAGE(s.once_until_success(2), s.last_log());
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(3s);
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
  REQUIRE_MESSAGE(settle_seconds(s), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
  CHECK(stat_number(s.stats(), "orders") > 1500); // arrivals happened while we synced
  CHECK(number(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1")) > 1500);
}

TEST_CASE("a window of more than 5,000 orders is cut so that no page passes the offset cap") {
  // 7,000 orders over a day, every window allowed 80 pages of 100: the cap, not the setting,
  // bounds them.
  Scenario s({"--platform", "lazada", "--orders", "7000", "--seed", "33", "--history", "1d"});
  s.config().max_pages = 80;
  as_lazada_shop(s);
  REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == 7000);
  const auto stats = s.stats();
  CHECK(stat_calls(stats, "/orders/get", "E014") == 0);
  CHECK(stat_calls(stats, "/orders/get", "ok") >= 70);
}

TEST_CASE("more orders updated in one second than the offset cap reaches are read by creation") {
  // An hour of 12,000 young orders, then one platform job stamps thousands of them in the same
  // second: that second alone holds more than offset 5,000 can reach.
  Scenario s({"--platform", "lazada", "--orders", "12000", "--seed", "34", "--history", "1h"});
  as_lazada_shop(s);
  s.sim().mutate(12000);
  std::this_thread::sleep_for(2500ms); // the stamped second ends before the init's T0
  REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());
  const auto crowded =
      number(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1 AND modification_time = "
                     "(SELECT modification_time FROM taosync.orders WHERE shop = $1 GROUP BY 1 "
                     "ORDER BY count(*) DESC LIMIT 1)"));
  CHECK(crowded > 5000);
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == 12000);
  CHECK(stat_calls(s.stats(), "/orders/get", "E014") == 0);
  CHECK(s.last_stderr().find("reading it in slices of creation time") != std::string::npos);
}

} // namespace taosync::e2e
