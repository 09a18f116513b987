// Crash safety: taosyncd is killed with SIGKILL at random moments during its init sweep and
// during incremental polls of a live shop, and restarted each time. Nothing is lost, nothing
// is written twice, and the database ends equal to /_sim/truth.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <iostream>
#include <thread>

namespace taosync::e2e {
namespace {

/// What the kills hit, and how the init's checkpoint moved between them.
struct Kills {
  int during_init = 0;
  int during_polls = 0;
  int init_advances = 0;        ///< kills after which the init checkpoint had moved on
  std::int64_t init_cursor = 0; ///< ms; a checkpoint never moves back
};

/// Runs `taosyncd run` and kills it with SIGKILL after `after`; classifies the kill by the
/// state committed at that moment.
void run_and_kill(Scenario& s, std::chrono::milliseconds after, Kills& kills) {
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(after);
  REQUIRE_MESSAGE(daemon.running(), "taosyncd exited before the kill:\n" << daemon.stderr_tail());
  daemon.kill(SIGKILL);
  REQUIRE(daemon.wait(10s) == 128 + SIGKILL);
  // On a loaded machine the first kill can land before the migrations have run: it hit
  // neither the init nor a poll.
  if (s.query("SELECT to_regclass('taosync.sync_state') IS NOT NULL") != "t")
    return;
  if (s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") == "t") {
    ++kills.during_polls;
    return;
  }
  ++kills.during_init;
  const std::string cursor = s.query("SELECT (extract(epoch FROM init_cursor) * 1000)::bigint "
                                     "FROM taosync.sync_state WHERE shop = $1");
  const std::int64_t ms = cursor.empty() ? 0 : std::stoll(cursor);
  CHECK(ms >= kills.init_cursor);
  if (ms > kills.init_cursor)
    ++kills.init_advances;
  kills.init_cursor = std::max(kills.init_cursor, ms);
}

TEST_CASE("kill -9 during init and polls, then restart: nothing lost, nothing duplicated") {
  Scenario s({"--orders", "3000", "--seed", "31", "--changes", "20", "--arrivals", "3"});
  // A paced client, small windows and small write batches make the init last a few seconds
  // and commit often, so that kills land between and inside transactions. (A window is read
  // whole before its first batch is written: twenty pages at 60 calls/s would take most of a
  // run before its first commit.)
  s.config().requests_per_second = 60;
  s.config().burst = 5;
  s.config().batch_orders = 100;
  s.config().page_size = 50;
  s.config().max_pages = 2;
  s.write_config();

  Kills kills;
  while (kills.during_init < 6 && kills.during_polls == 0)
    run_and_kill(s, random_between(150ms, 900ms), kills);
  while (kills.during_init + kills.during_polls < 12 || kills.during_polls < 4) {
    run_and_kill(s, random_between(300ms, 1800ms), kills);
    REQUIRE(kills.during_init + kills.during_polls < 40);
  }
  std::cout << "killed " << kills.during_init << " times during init (checkpoint moved "
            << kills.init_advances << " times), " << kills.during_polls << " times during polls\n";
  CHECK(kills.during_init >= 3);
  CHECK(kills.init_advances >= 2); // a killed init resumes from its checkpoint
  CHECK(kills.during_polls >= 4);

  REQUIRE_MESSAGE(s.settle(), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
  CHECK(s.query("SELECT count(*) FROM taosync.rejected_records WHERE shop = $1") == "0");
}

} // namespace
} // namespace taosync::e2e
