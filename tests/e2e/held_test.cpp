// A window the platform never answers consistently: the cursor waits before it, and the
// operator sees it everywhere: `taosyncd status`, the taosync_sync_held metric, and /healthz
// turning 503 once no cycle has succeeded within healthy_within. Honest again, it all clears
// and the database converges.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::e2e {
namespace {

// `taosyncd status` output.
std::string status_of(Scenario& s) {
  std::string out;
  testing::run_command(
      {(testing::bin_dir() / "taosyncd").string(), "--config", s.config_path().string(), "status"},
      30s, &out);
  return out;
}

// The hwm as text (the cursor).
std::string hwm_of(Scenario& s) {
  return s.query("SELECT hwm::text FROM taosync.sync_state WHERE shop = $1");
}

TEST_CASE("a held window: the cursor waits, status, metrics and /healthz say so, then it "
          "clears") {
  Scenario s({"--orders", "200", "--seed", "91", "--changes", "2"});
  const int port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(port);
  s.config().healthy_within = "3s";
  s.write_config();
  REQUIRE_MESSAGE(s.once_until_success(3), s.last_log());

  auto daemon = s.start_daemon();
  REQUIRE_MESSAGE(wait_until([&] { return get_or_nothing(port, "/healthz").status == 200; }, 60s),
                  daemon.stderr_tail());

  // From now on no listing answer adds up.
  s.sim().control(R"({"lies":{"unstable_count":1}})");
  auto held = [&] {
    return get_or_nothing(port, "/metrics").body.find("taosync_sync_held{shop=\"default\"} 1") !=
           std::string::npos;
  };
  REQUIRE_MESSAGE(wait_until(held, 60s), daemon.stderr_tail());
  CHECK_MESSAGE(wait_until([&] { return get_or_nothing(port, "/healthz").status == 503; }, 60s),
                daemon.stderr_tail());
  const auto held_hwm = hwm_of(s);
  const auto status = status_of(s);
  CHECK_MESSAGE(status.find("held:         [") != std::string::npos, status);
  CHECK_MESSAGE(status.find("total_count") != std::string::npos, status);
  std::this_thread::sleep_for(3s);
  CHECK(hwm_of(s) == held_hwm); // the cursor never passes what was not verified
  CHECK(daemon.running());

  // Honest again: the window is read, the cursor moves, /healthz recovers.
  s.sim().control(R"({"lies":{"unstable_count":0}})");
  CHECK_MESSAGE(wait_until([&] { return get_or_nothing(port, "/healthz").status == 200; }, 90s),
                daemon.stderr_tail());
  CHECK(get_or_nothing(port, "/metrics").body.find("taosync_sync_held{shop=\"default\"} 0") !=
        std::string::npos);
  CHECK(hwm_of(s) != held_hwm);
  CHECK(status_of(s).find("held:         no") != std::string::npos);
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
  REQUIRE_MESSAGE(s.settle(3), s.last_log());
  CHECK(s.compare().differences() == 0);
  // No hot loop while it was held.
  CHECK(stat_number(s.stats(), "repeats.max_identical_per_second") <= 6);
}

} // namespace
} // namespace taosync::e2e
