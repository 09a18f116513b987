// One taosyncd syncing several shops of one app: each shop converges to its own seller's
// truth while a large shop inits; a shop whose refresh token dies stops alone; SIGHUP adds and
// removes shops live.

#include "shops_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>

namespace taosync::e2e {
namespace {

TEST_CASE("one daemon, six shops: each converges; a large init does not hold the small ones") {
  // shop-1 is large; it is still in its init while the five small shops are done.
  Scenario s({"--seller-orders", "20000,300,200,150,100,50", "--seed", "31", "--arrivals", "1",
              "--changes", "2"});
  s.config().extra_yaml = shops_yaml({1, 2, 3, 4, 5, 6});
  s.config().max_in_flight = 4;
  s.write_config();
  auto daemon = s.start_daemon();

  const auto init_done = [&](int n) {
    s.config().shop = "shop-" + std::to_string(n);
    try {
      return s.query("SELECT init_done FROM taosync.sync_state WHERE shop = $1") == "t";
    } catch (const std::exception&) {
      return false; // the daemon has not created the schema yet
    }
  };
  CHECK_MESSAGE(wait_until(
                    [&] {
                      for (int n = 2; n <= 6; ++n)
                        if (!init_done(n))
                          return false;
                      return true;
                    },
                    60s),
                daemon.stderr_tail());
  // The small shops finished their init while the large one was still sweeping.
  CHECK_FALSE(init_done(1));

  REQUIRE_MESSAGE(wait_until([&] { return init_done(1); }, 120s), daemon.stderr_tail());
  s.sim().freeze(); // a still truth to compare with; the daemon keeps polling
  for (int n = 1; n <= 6; ++n) {
    const std::string shop = "shop-" + std::to_string(n);
    CHECK_MESSAGE(wait_until([&] { return shop_converged(s, shop); }, 30s), shop);
  }
  std::string out;
  CHECK_MESSAGE(s.compare_shops({"--all-shops"}, out) == 0, out);
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

TEST_CASE("a dead refresh token stops its shop alone; SIGHUP adds and removes shops") {
  Scenario s({"--seller-orders", "200,150,100,80", "--seed", "37"});
  s.config().extra_yaml = shops_yaml({1, 2, 3});
  s.write_config();
  auto daemon = s.start_daemon();
  for (int n = 1; n <= 3; ++n) {
    const std::string shop = "shop-" + std::to_string(n);
    REQUIRE_MESSAGE(wait_until([&] { return shop_converged(s, shop); }, 60s),
                    std::string(shop + "\n" + daemon.stderr_tail()));
  }

  // shop-2's seller withdraws the app: its access token expires, its refresh token is refused.
  s.sim().control(R"({"seller":"shop-2","expire_access_token":true,"revoke_refresh_tokens":true})");
  s.config().shop = "shop-2";
  CHECK_MESSAGE(
      wait_until(
          [&] { return s.query("SELECT stopped FROM taosync.sync_state WHERE shop = $1") == "t"; },
          30s),
      daemon.stderr_tail());
  CHECK(daemon.running()); // the daemon goes on with the others
  const auto shop2_rows = s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1");

  // SIGHUP: shop-1 removed, shop-4 added; shop-3 goes on.
  s.config().extra_yaml = shops_yaml({3, 4});
  s.write_config();
  s.config().shop = "shop-1";
  const auto shop1_rows = s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1");
  daemon.kill(SIGHUP);
  CHECK_MESSAGE(wait_until([&] { return shop_converged(s, "shop-4"); }, 60s), daemon.stderr_tail());
  CHECK_MESSAGE(wait_until([&] { return shop_converged(s, "shop-3"); }, 30s), daemon.stderr_tail());
  CHECK(daemon.running());
  // The removed and the stopped shops keep their rows.
  CHECK(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1") == shop1_rows);
  s.config().shop = "shop-2";
  CHECK(s.query("SELECT count(*) FROM taosync.orders WHERE shop = $1") == shop2_rows);
  const auto log = daemon.stderr_text();
  CHECK(log.find("shop shop-1 was removed from the config") != std::string::npos);
  CHECK(log.find("shop shop-4 was added to the config") != std::string::npos);
  CHECK(log.find("shop shop-4: lease taken") != std::string::npos);
  CHECK(log.find("test-refresh-token") == std::string::npos); // no secret in the log
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

TEST_CASE("two daemons share six shops under leases; one killed, the other takes them all") {
  Scenario s({"--seller-orders", "300,250,200,150,100,50", "--seed", "41"});
  s.config().extra_yaml = shops_yaml({1, 2, 3, 4, 5, 6});
  s.write_config();
  auto a = s.start_daemon();
  auto b = s.start_daemon();
  const auto held = [&](testing::Process& p) { return held_by(s, p.pid()); };
  // Spread evenly once both see each other: 3 and 3.
  CHECK_MESSAGE(wait_until([&] { return held(a) == 3 && held(b) == 3; }, 60s),
                "a holds " << held(a) << ", b holds " << held(b) << "\n"
                           << a.stderr_tail() << b.stderr_tail());
  // kill -9: the survivor takes every shop within ttl (5s) plus a renew interval, with slack.
  a.kill(SIGKILL);
  CHECK(a.wait(10s) == 128 + SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  CHECK_MESSAGE(wait_until([&] { return held(b) == 6; }, 30s), b.stderr_tail());
  const auto took = std::chrono::steady_clock::now() - killed_at;
  MESSAGE("the survivor held all six shops "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms after the kill");
  CHECK(took < 5s + 5s / 3 + 5s); // ttl + one renew interval + slack
  for (int n = 1; n <= 6; ++n) {
    const std::string shop = "shop-" + std::to_string(n);
    CHECK_MESSAGE(wait_until([&] { return shop_converged(s, shop); }, 60s),
                  std::string(shop + "\n" + b.stderr_tail()));
  }
  // The killed daemon's uncommitted work never landed under the new epochs: every shop's
  // commits since the takeover are the survivor's.
  CHECK(s.query("SELECT count(*) FROM taosync.shop_leases WHERE owner_pid <> " +
                std::to_string(b.pid())) == "0");
  b.kill(SIGTERM);
  CHECK(b.wait(15s) == 0);
}

} // namespace
} // namespace taosync::e2e
