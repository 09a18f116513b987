// Database outages: PostgreSQL is killed (pg_ctl stop -m immediate) during the init and again
// during incremental polls, then started again. The daemon survives, reconnects, and the
// database converges to /_sim/truth.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <iostream>
#include <thread>

namespace taosync::e2e {
namespace {

/// Takes PostgreSQL away for `down`, then brings it back.
void outage(Scenario& s, testing::Process& daemon, std::chrono::milliseconds down) {
  s.pg().stop_immediate();
  std::this_thread::sleep_for(down);
  REQUIRE_MESSAGE(daemon.running(), "taosyncd exited during the outage:\n" << daemon.stderr_tail());
  s.pg().start();
}

TEST_CASE("PostgreSQL stopped mid-sync: the daemon survives, reconnects and converges") {
  Scenario s({"--orders", "3000", "--seed", "41", "--changes", "20"});
  s.config().requests_per_second = 80; // an init of a few seconds, to be interrupted
  s.config().burst = 5;
  s.config().batch_orders = 100;
  s.write_config();

  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(1200ms);
  CHECK(s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") != "t");
  outage(s, daemon, 3s); // during the init

  // Wait for the init to finish, then take the database away during polls.
  for (int i = 0;
       i < 120 && s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") != "t"; ++i)
    std::this_thread::sleep_for(250ms);
  REQUIRE(s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") == "t");
  outage(s, daemon, 2s);

  s.sim().freeze();
  auto report = converge(s, 40s);
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

} // namespace
} // namespace taosync::e2e
