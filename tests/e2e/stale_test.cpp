// Older data never wins. After a sync of a shop whose orders moved on, (1) an older version of
// an order written through the store, and (2) a replay by the real daemon of the shop's older
// pages (a second simulator with the same seed, before the changes, and a rewound cursor)
// both leave the newer rows in place.

#include "scenario.hpp"

#include "store/order_rows.hpp"
#include "store/store.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

namespace taosync::e2e {
namespace {

TEST_CASE("replaying stale data leaves the newer rows") {
  Scenario s({"--orders", "400", "--seed", "71"});
  REQUIRE_MESSAGE(s.run_once() == 0, s.last_log());
  s.sim().mutate(150); // the shop moves on
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  REQUIRE(s.compare().differences() == 0);
  REQUIRE(s.query("SELECT count(*) FROM taosync.order_status_history WHERE shop = $1 AND "
                  "old_status IS NOT NULL") != "0"); // the shop really moved on
  const std::string newest = s.query("SELECT trade_order_id FROM taosync.orders WHERE shop = $1 "
                                     "ORDER BY modification_time DESC LIMIT 1");
  REQUIRE(!newest.empty());

  SUBCASE("an older version written through the store is ignored") {
    store::Store db(s.db_url());
    auto detail = db.read(
        "load_order", [&](auto& tx) { return store::select_order(tx, s.config().shop, newest); });
    REQUIRE(detail.has_value());
    store::Batch batch;
    batch.shop = s.config().shop;
    model::Order older = detail->order;
    older.modification_time -= std::chrono::hours(1);
    older.status = "unpaid";
    older.delivery.city = "舊城市";
    batch.orders.push_back(older);
    for (auto line : detail->lines) {
      line.modification_time -= std::chrono::hours(1);
      line.quantity = 99;
      line.shipments.clear();
      batch.lines.push_back(line);
    }
    batch.lines_for.push_back(newest);
    auto result = db.write(batch);
    CHECK(result.stale == 1);
    CHECK(result.inserted + result.updated == 0);
  }
  SUBCASE("the daemon re-reading the shop's older pages changes nothing") {
    // Same seed, no changes: every order as it was before the mutations.
    testing::SimProcess old_shop({"--orders", "400", "--seed", "71"}, s.dir());
    testing::DaemonConfig replay = s.config();
    replay.rest_url = old_shop.rest_url();
    replay.max_length = "400d"; // one window over the whole history
    auto replay_config = testing::write_daemon_config(s.dir() / "replay.yaml", replay);
    // Rewind the cursor before the simulated history (90 days), so the next cycle re-reads it.
    s.query("UPDATE taosync.sync_state SET hwm = now() - interval '100 days' WHERE shop = $1 "
            "RETURNING shop");
    auto daemon = testing::start_daemon(replay_config, {"once"}, s.dir());
    REQUIRE_MESSAGE(daemon.wait(120s) == 0, daemon.stderr_tail());
    auto resync = testing::start_daemon(replay_config, {"resync", newest}, s.dir());
    CHECK_MESSAGE(resync.wait(60s) == 0, resync.stderr_tail());
    // The old pages were really served: every order of the old shop was listed again.
    auto old_stats = boost::json::parse(old_shop.stats_json());
    CHECK(stat_calls(old_stats, "/orders/get", "ok") >= 1);
    CHECK(stat_calls(old_stats, "/order/get", "ok") == 1);
  }
  auto report = s.compare(); // against the newer shop
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.stale == 0);
}

} // namespace
} // namespace taosync::e2e
