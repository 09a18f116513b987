// Churn while paging: the simulator changes orders between any two page requests, under each
// of its four paging orders, and a platform batch job stamps 250 orders with the same ms.
// After the daemon catches up, the database equals /_sim/truth.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::e2e {
namespace {

/// Init under churn with `once`, follow the live shop with `run` for a while, then settle.
void sync_under_churn(Scenario& s) {
  REQUIRE_MESSAGE(s.once_until_success(2), s.last_log());
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(2500ms);
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
}

void churn_case(const std::string& sort) {
  Scenario s({"--orders", "800", "--seed", "21", "--sort", sort, "--churn-per-page", "3",
              "--changes", "20", "--arrivals", "5"});
  s.config().page_size = 50; // more pages per sweep: more churn between them
  s.write_config();
  sync_under_churn(s);
  CHECK(stat_number(s.stats(), "orders") > 800); // arrivals happened while we synced
}

TEST_CASE("churn while paging, creation_desc: nothing missed") {
  churn_case("creation_desc");
}
TEST_CASE("churn while paging, modification_asc: nothing missed") {
  churn_case("modification_asc");
}
TEST_CASE("churn while paging, modification_desc: nothing missed") {
  churn_case("modification_desc");
}
TEST_CASE("churn while paging, id_asc: nothing missed") {
  churn_case("id_asc");
}

TEST_CASE("250 orders changed in the same millisecond are all synced") {
  Scenario s({"--orders", "1000", "--seed", "22", "--bulk-same-ms", "250", "--changes", "300",
              "--churn-per-page", "3"});
  sync_under_churn(s);
}

} // namespace
} // namespace taosync::e2e
