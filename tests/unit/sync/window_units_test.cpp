// The planner under a listing of whole seconds and an offset cap (Lazada's): every window is
// whole units, cuts fall between units, ranges end on them, and no window needs a page past the
// cap.

#include "planner_sweep.hpp"
#include "sync/window_planner.hpp"
#include "test_orders.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace taosync::sync;
using namespace taosync::sync::test;
using taosync::testing::at;
using namespace std::chrono_literals;

namespace {

// 20,000 orders over 30 days in whole seconds, 3,000 of them in one second.
Shop shop_in_seconds() {
  Shop shop;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int64_t> second(0, 30LL * 86'400);
  for (int i = 0; i < 17'000; ++i) {
    shop.times.push_back(second(rng) * 1000);
  }
  shop.times.insert(shop.times.end(), 3'000, 12LL * 86'400'000);
  std::sort(shop.times.begin(), shop.times.end());
  return shop;
}

} // namespace

TEST_CASE("with a listing of whole seconds every window is whole seconds and every order is "
          "read once") {
  const Shop shop = shop_in_seconds();
  PlannerSettings s{100, 20, 0.8, Millis(31LL * 86'400'000), 1s};
  WindowPlanner p(s);
  // A range that starts and ends inside seconds is read as the whole seconds inside it.
  auto r = sweep(p, shop, at(250), at(31LL * 86'400'000 + 400));
  require_contiguous(r, at(0), at(31LL * 86'400'000 - 1));
  CHECK(r.orders == 20'000);
  CHECK(r.page_throughs == 1); // the crowded second, and only it
  for (const auto& w : r.accepted) {
    CHECK((w.to.time_since_epoch() + 1ms) % 1s == 0ms);
  }
  // Close to one call per page: 200 pages at least, the crowded second's 30 among them.
  CHECK(r.calls < 290);
}

TEST_CASE("a one-second listing cuts an overfull window at a second, never inside one") {
  WindowPlanner p(PlannerSettings{100, 1, 0.8, 1h, 1s});
  p.start(at(0), at(3'600'000 - 1));
  const Window w = p.next();
  CHECK(w == Window{at(0), at(3'600'000 - 1)});
  // 400 orders: the next window is cut about a quarter in, on the end of a second.
  CHECK(p.observe(w, 400) == Verdict::split);
  const Window cut = p.next();
  CHECK(cut.from == at(0));
  CHECK(cut.to < w.to);
  CHECK((cut.to.time_since_epoch() + 1ms) % 1s == 0ms);
  // Cut again and again, it stays on seconds until one second is left.
  Window last = cut;
  while (last.length() > 1s) {
    CHECK(p.observe(last, 400) == Verdict::split);
    const Window next = p.next();
    CHECK(next.to < last.to);
    CHECK((next.to.time_since_epoch() + 1ms) % 1s == 0ms);
    last = next;
  }
  CHECK(last == Window{at(0), at(999)});
  // One second that overflows is paged through, not split.
  PlannerSettings one{100, 1, 0.8, 1h, 1s};
  WindowPlanner q(one);
  q.start(at(5'000), at(5'999));
  CHECK(q.observe(q.next(), 500) == Verdict::page_through);
}

TEST_CASE("incremental and init ranges in whole seconds end by now - lag") {
  const taosync::config::WindowConfig cfg{2min, 30s, 24h};
  const auto r = incremental_range(at(10'000'999), at(10'090'500), cfg, 1s);
  REQUIRE(r);
  CHECK(r->from == at(9'880'000)); // the start of hwm - overlap's second
  CHECK(r->to == at(10'059'999));  // the end of the last second that ends by now - lag
  CHECK_FALSE(incremental_range(at(10'059'999), at(10'090'500), cfg, 1s));
  const auto init = init_range(std::nullopt, std::nullopt, at(500), at(100'250), 30s, 1s);
  CHECK(init.t0 == at(69'999));
  REQUIRE(init.remaining);
  CHECK(*init.remaining == Window{at(0), at(69'999)});
  const auto resumed = init_range(init.t0, at(29'999), at(500), at(900'000), 30s, 1s);
  REQUIRE(resumed.remaining);
  CHECK(*resumed.remaining == Window{at(30'000), at(69'999)});
}

TEST_CASE("planner settings keep a window's pages within the listing's offset cap") {
  taosync::config::SyncConfig sync;
  sync.page_size = 100;
  sync.window.max_pages = 80;
  sync.window.max_length = 1500ms;
  taosync::model::ListingRules lazada;
  lazada.resolution = 1s;
  lazada.offset_cap = 5'000;
  const PlannerSettings s = PlannerSettings::from(sync, lazada);
  CHECK(s.max_pages == 50); // the 51st page would start at offset 5,000
  CHECK(s.resolution == 1s);
  CHECK(s.max_length == 1s); // a whole number of seconds
  sync.window.max_pages = 20;
  CHECK(PlannerSettings::from(sync, lazada).max_pages == 20);
  sync.page_size = 7;
  sync.window.max_pages = 1000;
  CHECK(PlannerSettings::from(sync, lazada).max_pages == 714); // 714 * 7 = 4,998 < 5,000
}
