// The status document: what the database and the running engines say about each shop, as one
// JSON value; and the calls-per-minute measurement behind it.

#include "call_rate.hpp"
#include "status_document.hpp"

#include "obs/redact.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::daemon;
using namespace std::chrono_literals;

namespace {

const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 10h;

/// A shop that finished its init and has a lease row.
store::ShopReport idle_shop() {
  store::ShopReport r;
  r.state.shop = "shop-a";
  r.state.init_done = true;
  r.state.hwm = std::chrono::floor<std::chrono::milliseconds>(kNow - 37s);
  r.state.last_cycle_at = kNow - 5s;
  r.state.last_cycle_orders = 12;
  r.counts = {900, 1500, 2};
  r.owed.orders = 1;
  r.owed.lines = 3;
  store::Lease lease;
  lease.shop = "shop-a";
  lease.owner = "box:9:ab";
  lease.owner_host = "box";
  lease.owner_pid = 9;
  lease.epoch = 4;
  lease.live = true;
  lease.expires_at = kNow + 25s;
  r.lease = lease;
  return r;
}

} // namespace

TEST_CASE("from the database alone: the stored phase, lag, cycle, counts, owed and lease") {
  StatusInput in;
  in.now = kNow;
  in.leases = true;
  in.limit_per_minute = 600;
  in.shops.push_back({"shop-a", {}, idle_shop(), std::nullopt});
  const auto doc = status_document(in).as_object();
  CHECK(doc.at("source") == "database");
  CHECK(doc.at("generated_at") == "2026-12-01T10:00:00.000Z");
  CHECK(doc.at("api").at("limit_per_minute") == 600);
  const auto& shop = doc.at("shops").at(0).as_object();
  CHECK(shop.at("shop") == "shop-a");
  CHECK(shop.at("phase") == "incremental");
  CHECK(shop.at("running_here").is_null());
  CHECK(shop.at("lag_seconds") == 37);
  CHECK(shop.at("init").at("done") == true);
  CHECK(shop.at("last_cycle").at("ago_seconds") == 5);
  CHECK(shop.at("last_cycle").at("orders") == 12);
  CHECK(shop.at("last_cycle").at("outcome").is_null()); // only the daemon knows it
  CHECK(shop.at("counts").at("rejected") == 2);
  CHECK(shop.at("owed").at("lines") == 3);
  CHECK(shop.at("lease").at("host") == "box");
  CHECK(shop.at("lease").at("pid") == 9);
  CHECK(shop.at("lease").at("expires_in_seconds") == 25);
  CHECK(shop.at("lease").at("live") == true);
}

TEST_CASE("inside the daemon: the engine's phase, init progress with an ETA, outcome, calls") {
  obs::register_secret("token-abcdef");
  StatusInput in;
  in.now = kNow;
  in.source = "daemon";
  store::ShopReport stored;
  stored.state.shop = "shop-b";
  ShopLive live;
  sync::EngineStatus engine;
  engine.phase = sync::Phase::init;
  engine.init_done_orders = 400;
  engine.init_total_orders = 1000;
  engine.orders_per_second = 120;
  engine.last_failure = "listing failed with token-abcdef";
  live.engine = engine;
  live.calls_per_minute = 57.4;
  in.platform_clock_offset = -301.5;
  in.shops.push_back({"shop-b", {}, stored, live});
  in.shops.push_back({"shop-c", {}, std::nullopt, ShopLive{}}); // not read yet, not running
  in.errors.push_back({kNow, "error", "refresh failed for token-abcdef"});
  const auto doc = status_document(in).as_object();
  const auto& b = doc.at("shops").at(0).as_object();
  CHECK(b.at("phase") == "init");
  CHECK(b.at("running_here") == true);
  CHECK(b.at("init").at("percent") == 40.0);
  CHECK(b.at("init").at("eta_seconds") == 5); // 600 orders at 120/s
  CHECK(b.at("lag_seconds").is_null());       // no high-water mark before the init ends
  CHECK(b.at("last_cycle").at("outcome") == "failed");
  CHECK(b.at("last_cycle").at("failure") == "listing failed with ***");
  CHECK(b.at("calls_per_minute") == 57);
  CHECK(b.at("lease").is_null());
  const auto& c = doc.at("shops").at(1).as_object();
  CHECK(c.at("running_here") == false);
  CHECK(c.at("phase").is_null());
  CHECK(c.at("counts").is_null());
  CHECK(doc.at("recent_errors").at(0).at("message") == "refresh failed for ***");
  CHECK(doc.at("api").at("platform_clock_offset_seconds") == -301.5);
  obs::clear_secrets();
}

TEST_CASE("an init without a running engine is measured by the stored cursor's share of time") {
  StatusInput in;
  in.now = kNow;
  store::ShopReport r;
  r.state.shop = "s";
  const model::TimePoint start{};
  r.state.init_t0 = start + 1000s;
  r.state.init_cursor = start + 250s;
  in.shops.push_back({"s", start, r, std::nullopt});
  const auto doc = status_document(in);
  CHECK(doc.at("shops").at(0).at("init").at("percent") == 25.0);
  CHECK(doc.at("shops").at(0).at("init").at("eta_seconds").is_null());
  CHECK(doc.at("shops").at(0).at("phase") == "init");
}

TEST_CASE("calls per minute: the rise over the last minute, once samples span a few seconds") {
  CallRate rate;
  const CallRate::Clock::time_point t0{};
  rate.add(t0, 100);
  CHECK_FALSE(rate.per_minute());
  rate.add(t0 + 2s, 110);
  CHECK_FALSE(rate.per_minute()); // too short a span to tell
  rate.add(t0 + 10s, 150);
  CHECK(*rate.per_minute() == doctest::Approx(300.0)); // 50 calls in 10 s
  for (int s = 15; s <= 120; s += 5)
    rate.add(t0 + std::chrono::seconds(s), 150 + static_cast<std::uint64_t>(s - 10)); // 1/s
  CHECK(*rate.per_minute() == doctest::Approx(60.0).epsilon(0.1));
  rate.add(t0 + 125s, 3); // a restarted client: measured anew
  CHECK_FALSE(rate.per_minute());
}
