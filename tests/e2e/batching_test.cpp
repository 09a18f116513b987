// Reduced versions of benchmarks 1 and 2: an init is correct and batched, i.e. it makes at
// most 1.5 x the minimum number of calls, ceil(orders/100) + ceil(lines/50), both unthrottled
// and under a 20 calls/s rate limit with latency.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <iostream>

namespace taosync::e2e {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

/// Runs the init, compares, and checks the number of data calls; returns the wall time.
double init_and_check(Scenario& s) {
  auto start = std::chrono::steady_clock::now();
  REQUIRE_MESSAGE(s.run_once(300s) == 0, s.last_log());
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());

  auto stats = s.stats();
  const auto calls = stat_calls(stats, "/orders/get") + stat_calls(stats, "/order/items/get");
  const auto minimum = ceil_div(report.truth_orders, 100) + ceil_div(report.truth_lines, 50);
  std::cout << "orders=" << report.truth_orders << " lines=" << report.truth_lines
            << " calls=" << calls << " minimum=" << minimum
            << " refused=" << stat_calls(stats, "", "ApiCallLimit") << " wall=" << wall << "s\n";
  CHECK(calls * 2 <= minimum * 3);
  CHECK(stat_calls(stats, "/order/get") == 0); // lines come in batches, not order by order
  return wall;
}

TEST_CASE("an unthrottled init of 3000 orders is batched and correct") {
  Scenario s({"--orders", "3000", "--seed", "81"});
  s.config().lag = "0ms";
  s.write_config();
  init_and_check(s);
}

TEST_CASE("an init under a 20 calls/s limit stays batched, near the floor, and correct") {
  Scenario s({"--orders", "1500", "--seed", "82", "--rate-limit", "20", "--burst", "20",
              "--latency-ms", "20"});
  s.config().requests_per_second = 20;
  s.config().burst = 20;
  s.write_config();
  const double wall = init_and_check(s);
  auto stats = s.stats();
  const auto calls = stat_calls(stats, "/orders/get") + stat_calls(stats, "/order/items/get");
  const double floor_s = static_cast<double>(calls) / 20.0;
  std::cout << "throttled wall " << wall << " s, floor by calls made " << floor_s << " s\n";
  CHECK(stat_calls(stats, "", "ApiCallLimit") * 20 <= calls); // refusals stay rare (<= 5 %)
}

} // namespace
} // namespace taosync::e2e
