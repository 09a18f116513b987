// taosync-compare over a simulator with several sellers: each seller's orders synced into the
// database shop of its name, compared one shop at a time (--shop) or all at once
// (--all-shops), which names the shop that differs and fails; and a daemon of two shops, one
// of them stopped, that goes on syncing the other.

#include "shops_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

namespace taosync::e2e {
namespace {

TEST_CASE("taosync-compare compares one named shop or every seller the simulator lists") {
  Scenario s({"--seller-orders", "300,200", "--seed", "23"});
  for (int n = 1; n <= 2; ++n) {
    s.config().shop = "shop-" + std::to_string(n);
    s.config().access_token = "test-access-token-" + std::to_string(n);
    s.config().refresh_token = "test-refresh-token-" + std::to_string(n);
    s.write_config();
    REQUIRE_MESSAGE(s.once_until_success(3), s.last_log());
  }

  std::string out;
  CHECK_MESSAGE(s.compare_shops({"--all-shops"}, out) == 0, out);
  CHECK(out.find("shop shop-1: compare: truth orders=300") != std::string::npos);
  CHECK(out.find("shop shop-2: compare: truth orders=200") != std::string::npos);
  CHECK(out.find("shops: 2 compared, 0 differ") != std::string::npos);
  CHECK_MESSAGE(s.compare_shops({"--shop", "shop-2"}, out) == 0, out);
  CHECK(out.find("truth orders=200 ") != std::string::npos);

  // One order of shop-2 lost: that shop, and only it, differs.
  s.config().shop = "shop-2";
  const auto lost = s.query("SELECT min(trade_order_id) FROM taosync.orders WHERE shop = $1");
  REQUIRE(!lost.empty());
  s.query("WITH gone AS (DELETE FROM taosync.orders WHERE shop = $1 AND trade_order_id = '" + lost +
          "' RETURNING 1) SELECT count(*) FROM gone");
  CHECK_MESSAGE(s.compare_shops({"--all-shops"}, out) == 1, out);
  CHECK(out.find("missing order " + lost) != std::string::npos);
  CHECK(out.find("shops: 2 compared, 1 differ") != std::string::npos);
  CHECK_MESSAGE(s.compare_shops({"--shop", "shop-1"}, out) == 0, out);
  CHECK_MESSAGE(s.compare_shops({"--shop", "shop-2"}, out) == 1, out);

  // A shop the simulator does not serve is a usage error naming it.
  CHECK(s.compare_shops({"--shop", "shop-9"}, out) == 2);
  CHECK(out.find("shop-9") != std::string::npos);
  CHECK(s.compare_shops({"--shop", "shop-1", "--all-shops"}, out) == 2);
}

TEST_CASE("a shop stopped for good leaves the daemon running its other shops") {
  Scenario s({"--seller-orders", "150,120", "--seed", "29", "--arrivals", "2"});
  std::string ha;
  SUBCASE("without leases") {
    ha = "ha: {leases: false}\n";
  }
  SUBCASE("with leases") {
    ha = "ha: {leases: true, lease_ttl: 5s}\n";
  }
  // shop-1's tokens are unknown to the simulator: the call is refused, and so is the refresh.
  s.config().extra_yaml = ha + "shops:\n"
                               "  - name: shop-1\n"
                               "    access_token: dead-access-token-1\n"
                               "    refresh_token: dead-refresh-token-1\n"
                               "  - name: shop-2\n"
                               "    access_token: test-access-token-2\n"
                               "    refresh_token: test-refresh-token-2\n";
  s.write_config();
  REQUIRE_MESSAGE(s.run({"migrate"}) == 0, s.last_log());
  const auto stopped = [&] {
    return s.query("SELECT stopped FROM taosync.sync_state WHERE shop = 'shop-1'") == "t";
  };
  // Running: shop-1's engine ends (the seller must re-authorize), shop-2's goes on.
  {
    auto daemon = s.start_daemon();
    CHECK_MESSAGE(wait_until([&] { return stopped() && shop_converged(s, "shop-2"); }, 60s),
                  daemon.stderr_tail());
    CHECK(daemon.stderr_text().find("shop shop-1 stopped syncing (exit code 77)") !=
          std::string::npos);
    REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
    daemon.kill(SIGTERM);
    CHECK(daemon.wait(15s) == 0);
  }
  // Started again: shop-1 is refused at its start, before any call; shop-2 is synced on.
  auto daemon = s.start_daemon();
  CHECK_MESSAGE(
      wait_until(
          [&] { return daemon.stderr_text().find("shop shop-1 is stopped") != std::string::npos; },
          20s),
      daemon.stderr_tail());
  std::this_thread::sleep_for(3s); // new orders arrive at shop-2's seller
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  s.sim().freeze();
  CHECK_MESSAGE(wait_until([&] { return shop_converged(s, "shop-2"); }, 30s), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

} // namespace
} // namespace taosync::e2e
