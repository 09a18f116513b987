// Crash safety: taosyncd is killed with SIGKILL at random moments during its init sweep and
// during incremental polls of a live shop, and restarted each time. Nothing is lost, nothing
// is written twice, and the database ends equal to /_sim/truth.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <iostream>
#include <thread>

namespace taosync::e2e {
namespace {

/// Runs `taosyncd run`, kills it with SIGKILL after `after`; returns whether init was done at
/// the moment of the kill.
bool run_and_kill(Scenario& s, std::chrono::milliseconds after) {
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(after);
  const bool init_done = s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") == "t";
  REQUIRE_MESSAGE(daemon.running(), "taosyncd exited before the kill:\n" << daemon.stderr_tail());
  daemon.kill(SIGKILL);
  REQUIRE(daemon.wait(10s) == 128 + SIGKILL);
  return init_done;
}

TEST_CASE("kill -9 during init and polls, then restart: nothing lost, nothing duplicated") {
  Scenario s({"--orders", "3000", "--seed", "31", "--changes", "20", "--arrivals", "3"});
  // A paced client and small write batches make the init last a few seconds and commit often,
  // so that kills land between and inside transactions.
  s.config().requests_per_second = 60;
  s.config().burst = 5;
  s.config().batch_orders = 100;
  s.config().page_size = 50;
  s.write_config();

  int init_kills = 0;
  int poll_kills = 0;
  while (init_kills < 6 && poll_kills == 0 && init_kills + poll_kills < 14) {
    if (run_and_kill(s, random_between(150ms, 900ms)))
      ++poll_kills;
    else
      ++init_kills;
  }
  while (init_kills + poll_kills < 12 || poll_kills < 4) {
    // Wait for init to finish before counting poll kills.
    if (run_and_kill(s, random_between(300ms, 1800ms)))
      ++poll_kills;
    else
      ++init_kills;
    REQUIRE(init_kills + poll_kills < 40);
  }
  std::cout << "killed " << init_kills << " times during init, " << poll_kills
            << " times during polls\n";
  CHECK(init_kills >= 3);
  CHECK(poll_kills >= 4);

  REQUIRE_MESSAGE(s.settle(), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
  CHECK(s.query("SELECT count(*) FROM taosync.rejected_records WHERE shop = $1") == "0");
}

} // namespace
} // namespace taosync::e2e
