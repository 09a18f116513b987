// An access token that expires during the sync: it is refreshed exactly once through
// /auth/token/refresh, the sync goes on, the new tokens are kept in taosync.shop_tokens, and a
// restarted daemon uses them instead of the (expired) token in its config.

#include "scenario.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace taosync::e2e {
namespace {

constexpr const char* kRefresh = "/auth/token/refresh";

TEST_CASE("an expiring token is refreshed once, and the new one survives a restart") {
  Scenario s({"--orders", "800", "--seed", "61", "--token-ttl", "8s", "--changes", "10"});
  auto daemon = s.start_daemon();

  // The token dies 8 s after the simulator started; wait for the refresh.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (stat_calls(s.stats(), kRefresh, "ok") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  REQUIRE_MESSAGE(stat_calls(s.stats(), kRefresh, "ok") == 1, daemon.stderr_tail());

  // The sync goes on with the new token: cycles keep completing.
  const std::string cycle_before = s.query("SELECT last_cycle_at FROM taosync.sync_state WHERE "
                                           "shop = $1");
  std::this_thread::sleep_for(1500ms);
  CHECK(s.query("SELECT last_cycle_at FROM taosync.sync_state WHERE shop = $1") != cycle_before);
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);

  const std::string stored =
      s.query("SELECT access_token FROM taosync.shop_tokens WHERE shop = $1");
  CHECK(!stored.empty());
  CHECK(stored != "test-access-token");
  const auto refused_before = stat_calls(s.stats(), "", "IllegalAccessToken");
  CHECK(refused_before >= 1);

  // A restart with the same config (whose token has expired) uses the stored token.
  REQUIRE_MESSAGE(s.settle(1), s.last_log());
  auto stats = s.stats();
  CHECK(stat_calls(stats, kRefresh, "") == 1);
  CHECK(stat_calls(stats, "", "IllegalAccessToken") == refused_before);

  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(daemon.stderr_text().find(stored) == std::string::npos); // never logged
}

} // namespace
} // namespace taosync::e2e
