// taosync-compare over a simulator with several sellers: each seller's orders synced into the
// database shop of its name, compared one shop at a time (--shop) or all at once
// (--all-shops), which names the shop that differs and fails.

#include "scenario.hpp"

#include <doctest/doctest.h>

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

} // namespace
} // namespace taosync::e2e
