// A platform on a bad day: 20 % of calls fail (5xx, resets, truncated or malformed bodies,
// stalls past the client's timeout), a rate limit bans the app, and 1 % of the records are
// broken. Every good record converges; every broken one is in rejected_records with a reason
// and never stored at its broken version.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::e2e {
namespace {

TEST_CASE("faults, bans and broken records: good records converge, broken ones are rejected") {
  Scenario s({"--orders", "1500", "--seed", "51", "--fault-rate", "0.2", "--rate-limit", "40",
              "--burst", "10", "--ban-seconds", "1", "--bad-record-rate", "0.01", "--stall-ms",
              "1500", "--changes", "5"});
  s.config().timeout = "1s";           // shorter than the simulated stall
  s.config().requests_per_second = 80; // faster than the platform allows: bans happen
  s.config().burst = 20;
  s.config().max_attempts = 12;
  s.config().initial_backoff = "20ms";
  s.config().max_backoff = "500ms";
  s.write_config();

  REQUIRE_MESSAGE(s.once_until_success(6, 180s), s.last_log());
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(3s);
  CHECK_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
  REQUIRE_MESSAGE(s.settle(6), s.last_log());

  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.truth_bad > 0); // the scenario really served broken records
  CHECK(report.db_rejected > 0);

  auto stats = s.stats();
  CHECK(stat_calls(stats, "", "ApiCallLimit") > 0); // bans really happened
  CHECK(stat_number(stats, "throttled") > 0);
  std::int64_t faults = 0;
  if (auto* f = stats.as_object().if_contains("faults"); f && f->is_object())
    for (const auto& [kind, n] : f->as_object())
      if (n.is_number())
        faults += n.to_number<std::int64_t>();
  CHECK(faults > 0);
}

} // namespace
} // namespace taosync::e2e
