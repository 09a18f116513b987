#include "planner_sweep.hpp"
#include "sync/window_planner.hpp"
#include "test_orders.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace taosync::sync;
using namespace taosync::sync::test;
using taosync::testing::at;
using namespace std::chrono_literals;

namespace {

// 20,000 orders spread evenly over 90 days from the epoch.
Shop uniform_shop() {
  Shop shop;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> t(0, 90LL * 86'400'000);
  for (int i = 0; i < 20'000; ++i) {
    shop.times.push_back(t(rng));
  }
  std::sort(shop.times.begin(), shop.times.end());
  return shop;
}

// Sweeps uniform_shop() whole with windows of up to `max_pages` pages of 100; checks that the
// windows cover the 90 days exactly and read every order.
SweepResult sweep_uniform_shop(int max_pages) {
  const Shop shop = uniform_shop();
  const TimePoint until = at(90LL * 86'400'000);
  WindowPlanner p(PlannerSettings{100, max_pages, 0.8, Millis(91LL * 86'400'000)});
  auto r = sweep(p, shop, at(0), until);
  require_contiguous(r, at(0), until);
  CHECK(r.orders == 20'000);
  return r;
}

PlannerSettings settings(Millis max_length = 24h) {
  return PlannerSettings{100, 1, 0.8, max_length};
}

} // namespace

TEST_CASE("an empty range is done at once") {
  WindowPlanner p(settings());
  p.start(at(1000), at(999));
  CHECK(p.done());
}

TEST_CASE("with no density estimate the first window runs to max_length") {
  WindowPlanner p(settings(1h));
  p.start(at(0), at(10'000'000'000));
  CHECK(p.next() == Window{at(0), at(3'600'000 - 1)});
}

TEST_CASE("a window never runs past the end of the range") {
  WindowPlanner p(settings(24h));
  p.start(at(5000), at(5999));
  CHECK(p.next() == Window{at(5000), at(5999)});
}

TEST_CASE("a one-millisecond range is one window") {
  WindowPlanner p(settings());
  p.start(at(42), at(42));
  CHECK(p.next() == Window{at(42), at(42)});
  CHECK(p.observe(p.next(), 3) == Verdict::accept);
  CHECK(p.done());
}

TEST_CASE("a window that fits in a page is accepted and the sweep moves past it") {
  WindowPlanner p(settings());
  p.start(at(0), at(1'000'000));
  const Window w = p.next();
  CHECK(p.observe(w, 100) == Verdict::accept);
  CHECK(p.position() == w.to + 1ms);
}

TEST_CASE("an overfull window is split in proportion to its overflow, from the same start") {
  WindowPlanner p(settings(1000s));
  p.start(at(0), at(10'000'000));
  const Window w = p.next();
  REQUIRE(w.length() == 1000s);
  CHECK(p.observe(w, 1000) == Verdict::split);
  // 1000 orders in 1,000,000 ms: between exact counts it aims at 92 orders, 92,000 ms
  CHECK(p.next() == Window{at(0), at(92'000 - 1)});
  CHECK(p.density() == doctest::Approx(0.001));
}

TEST_CASE("a barely overfull window still shrinks by at least one millisecond") {
  WindowPlanner p(PlannerSettings{100, 1, 1.0, Millis(2)});
  p.start(at(0), at(100));
  const Window w = p.next();
  REQUIRE(w.length() == 2ms);
  CHECK(p.observe(w, 101) == Verdict::split);
  CHECK(p.next().length() == 1ms);
}

TEST_CASE("one millisecond holding more than a page falls back to paging") {
  WindowPlanner p(settings());
  p.start(at(7), at(7));
  CHECK(p.observe(p.next(), 250) == Verdict::page_through);
  CHECK_FALSE(p.done());
  p.accept(Window{at(7), at(7)}, 250);
  CHECK(p.done());
}

TEST_CASE("the next window is sized to hold about 80% of a page") {
  WindowPlanner p(settings());
  p.start(at(0), at(100'000'000));
  // a window of 10,000 ms holding 50 orders: 0.005 orders/ms -> 16,000 ms for 80 orders
  CHECK(p.observe(Window{at(0), at(9'999)}, 50) == Verdict::accept);
  CHECK(p.next() == Window{at(10'000), at(10'000 + 16'000 - 1)});
}

TEST_CASE("empty windows let the window grow fourfold up to max_length") {
  WindowPlanner p(settings(24h));
  p.start(at(0), at(1'000'000'000'000));
  CHECK(p.observe(Window{at(0), at(999)}, 80) == Verdict::accept); // dense: 1000 ms windows
  Millis previous = p.next().length();
  CHECK(previous == 1000ms);
  for (int i = 0; i < 5; ++i) {
    const Window w = p.next();
    CHECK(p.observe(w, 0) == Verdict::accept);
    CHECK(p.next().length() == std::min<Millis>(previous * 4, 24h));
    previous = p.next().length();
  }
  for (int i = 0; i < 60; ++i) {
    CHECK(p.observe(p.next(), 0) == Verdict::accept);
  }
  CHECK(p.next().length() == 24h);
}

TEST_CASE("the density estimate survives a new sweep") {
  WindowPlanner p(settings());
  p.start(at(0), at(1'000'000));
  CHECK(p.observe(Window{at(0), at(999)}, 80) == Verdict::accept);
  p.start(at(2'000'000), at(3'000'000));
  CHECK(p.next() == Window{at(2'000'000), at(2'000'999)});
}

TEST_CASE("settings can change between sweeps") {
  WindowPlanner p(settings(24h));
  p.set_settings(settings(1min));
  p.start(at(0), at(1'000'000'000));
  CHECK(p.next().length() == 1min);
}

TEST_CASE("a sweep over uniform data covers the range exactly with near-minimal calls") {
  const auto r = sweep_uniform_shop(1);
  CHECK(r.page_throughs == 0);
  // 200 calls is the floor at full pages; 80% fill costs 25%, the splits a little more
  CHECK(r.calls <= 330);
}

TEST_CASE("an init from the epoch over a 90-day history finds the data in few calls") {
  Shop shop;
  std::mt19937_64 rng(3);
  const std::int64_t base = 1'700'000'000'000;
  std::uniform_int_distribution<std::int64_t> t(base, base + 90LL * 86'400'000);
  for (int i = 0; i < 20'000; ++i) {
    shop.times.push_back(t(rng));
  }
  std::sort(shop.times.begin(), shop.times.end());
  const TimePoint until = at(base + 90LL * 86'400'000);
  WindowPlanner p(PlannerSettings{100, 1, 0.8, until - at(0) + 1ms});
  const auto r = sweep(p, shop, at(0), until);
  require_contiguous(r, at(0), until);
  CHECK(r.orders == 20'000);
  CHECK(r.calls <= 290); // 250 at 80% fill, plus ~10 halvings through 53 empty years
}

TEST_CASE("a split never reads the known-overfull range whole again") {
  WindowPlanner p(settings(1000s));
  p.start(at(0), at(10'000'000));
  CHECK(p.observe(p.next(), 1000) == Verdict::split); // [0, 999999] holds 1000
  // the shrunk window is empty: the orders sit further in, so halve what is left
  const Window empty = p.next();
  CHECK(empty == Window{at(0), at(91'999)});
  CHECK(p.observe(empty, 0) == Verdict::accept);
  const Window half = p.next();
  CHECK(half.from == at(92'000));
  CHECK(half.to == at(92'000 + 454'000 - 1)); // half of the 908,000 ms left of the range
  CHECK(half.to < at(999'999));
}

TEST_CASE("orders an overfull answer showed cut the next window where it is certain to fit") {
  WindowPlanner p(settings(1000s));
  p.start(at(0), at(10'000'000));
  const Window w{at(0), at(999'999)};
  // 120 orders in w; the answer showed 100 of them, 30 modified at or after 900,000
  std::vector<SeenOrder> seen;
  for (std::uint64_t i = 0; i < 100; ++i) {
    seen.push_back(SeenOrder{
        at(i < 30 ? 900'000 + static_cast<std::int64_t>(i) : 10'000 + static_cast<std::int64_t>(i)),
        i});
  }
  CHECK(p.observe(w, 120, seen) == Verdict::split);
  // [0, t) holds at most 120 - 20 = 100 orders when t is the 20th latest seen time (900,010)
  CHECK(p.next() == Window{at(0), at(900'010 - 1)});
}

TEST_CASE("an order seen twice counts once when cutting") {
  WindowPlanner p(settings(1000s));
  p.start(at(0), at(10'000'000));
  std::vector<SeenOrder> seen(50, SeenOrder{at(999'500), 7}); // one late order, 50 times
  for (std::uint64_t i = 0; i < 50; ++i) {
    seen.push_back(SeenOrder{at(100 + static_cast<std::int64_t>(i)), 100 + i});
  }
  CHECK(p.observe(Window{at(0), at(999'999)}, 102, seen) == Verdict::split);
  // one late order does not leave [0, 999,499] two orders short of 102: not certain to fit
  CHECK(p.next().to < at(999'499));
}

TEST_CASE("after the last known orders the quiet rest of the range is read in one window") {
  Shop shop;
  for (std::int64_t i = 0; i < 150; ++i) {
    shop.times.push_back(1'000'000 + i * 1000);
  }
  const TimePoint until = at(1'000'000'000'000);
  WindowPlanner p(PlannerSettings{100, 1, 0.8, until - at(0) + 1ms});
  const auto r = sweep(p, shop, at(0), until);
  require_contiguous(r, at(0), until);
  CHECK(r.orders == 150);
  // [0, until] holds 150: once 50 or more are read, the rest of it is known to fit a page
  CHECK(r.accepted.back().from <= at(1'149'000));
  CHECK(r.calls <= 30);
}

TEST_CASE("a sweep over bursts separated by huge gaps stays correct and cheap") {
  Shop shop;
  std::mt19937_64 rng(11);
  for (std::int64_t burst = 0; burst < 6; ++burst) {
    const std::int64_t base = 1'000'000'000 + burst * 40LL * 86'400'000; // 40 days apart
    std::uniform_int_distribution<std::int64_t> t(base, base + 3'600'000);
    for (int i = 0; i < 2000; ++i) {
      shop.times.push_back(t(rng));
    }
  }
  std::sort(shop.times.begin(), shop.times.end());
  const TimePoint until = at(shop.times.back() + 86'400'000);
  WindowPlanner p(PlannerSettings{100, 1, 0.8, until - at(0) + 1ms}); // init: no max length
  const auto r = sweep(p, shop, at(0), until);
  require_contiguous(r, at(0), until);
  CHECK(r.orders == 12'000);
  // floor 120; each quiet stretch costs a few growing empty windows and a few halvings
  CHECK(r.calls <= 340);
}

TEST_CASE("many orders in one millisecond are paged through, their neighbours are not") {
  Shop shop;
  for (int i = 0; i < 250; ++i) {
    shop.times.push_back(5'000'000);
  }
  for (std::int64_t i = 0; i < 500; ++i) {
    shop.times.push_back(4'000'000 + i * 3000);
  }
  std::sort(shop.times.begin(), shop.times.end());
  WindowPlanner p(settings());
  const auto r = sweep(p, shop, at(0), at(10'000'000));
  require_contiguous(r, at(0), at(10'000'000));
  CHECK(r.orders == 750);
  CHECK(r.page_throughs == 1);
}

TEST_CASE("a sweep of an empty shop is one call per max_length") {
  WindowPlanner p(settings(24h));
  const auto r = sweep(p, Shop{}, at(0), at(3 * 86'400'000 - 1));
  CHECK(r.calls == 3);
  require_contiguous(r, at(0), at(3 * 86'400'000 - 1));
}

TEST_CASE("incremental range: from hwm - overlap to now - lag") {
  const taosync::config::WindowConfig cfg{2min, 30s, 24h};
  const auto r = incremental_range(at(10'000'000), at(10'000'000 + 90'000), cfg, 1ms);
  REQUIRE(r);
  CHECK(r->from == at(10'000'000 - 120'000));
  CHECK(r->to == at(10'000'000 + 60'000));
}

TEST_CASE("incremental range: nothing to do when now - lag has not passed hwm") {
  const taosync::config::WindowConfig cfg{2min, 30s, 24h};
  CHECK_FALSE(incremental_range(at(10'000'000), at(10'000'000 + 30'000), cfg, 1ms));
  CHECK_FALSE(incremental_range(at(10'000'000), at(10'000'000 + 10'000), cfg, 1ms));
  // the degenerate case: now - lag even before hwm - overlap (clock stepped back)
  CHECK_FALSE(incremental_range(at(10'000'000), at(10'000'000 - 600'000), cfg, 1ms));
}

TEST_CASE("incremental range after days of downtime spans the gap; windows cap it") {
  const taosync::config::WindowConfig cfg{2min, 30s, 24h};
  const auto r = incremental_range(at(0) + 24h * 1000, at(0) + 24h * 1003, cfg, 1ms);
  REQUIRE(r);
  CHECK(r->length() == 72h + 2min - 30s + 1ms);
  WindowPlanner p(settings(cfg.max_length));
  const auto s = sweep(p, Shop{}, r->from, r->to);
  CHECK(s.calls == 4);
  require_contiguous(s, r->from, r->to);
}

TEST_CASE("incremental range with zero overlap and zero lag") {
  const taosync::config::WindowConfig cfg{0ms, 0ms, 24h};
  const auto r = incremental_range(at(1000), at(1001), cfg, 1ms);
  REQUIRE(r);
  CHECK(*r == Window{at(1000), at(1001)});
}

TEST_CASE("init range: a fresh init records T0 = now - lag and sweeps from the start") {
  const auto r = init_range(std::nullopt, std::nullopt, at(500), at(100'000), 30s, 1ms);
  CHECK(r.t0 == at(70'000));
  REQUIRE(r.remaining);
  CHECK(*r.remaining == Window{at(500), at(70'000)});
}

TEST_CASE("init range: a resumed init keeps its T0 and continues after the cursor") {
  const auto r = init_range(at(70'000), at(40'000), at(500), at(900'000), 30s, 1ms);
  CHECK(r.t0 == at(70'000));
  REQUIRE(r.remaining);
  CHECK(*r.remaining == Window{at(40'001), at(70'000)});
}

TEST_CASE("init range: a cursor at T0 means the sweep is complete") {
  const auto r = init_range(at(70'000), at(70'000), at(500), at(900'000), 30s, 1ms);
  CHECK_FALSE(r.remaining);
}

TEST_CASE("init range: a start after T0 leaves nothing to sweep") {
  const auto r = init_range(std::nullopt, std::nullopt, at(200'000), at(100'000), 30s, 1ms);
  CHECK_FALSE(r.remaining);
}

TEST_CASE("two page-through passes agree on the same orders in any order") {
  taosync::model::Order a, b, c;
  a.trade_order_id = "1";
  a.modification_time = at(5);
  b.trade_order_id = "2";
  b.modification_time = at(5);
  c = b;
  CHECK(passes_agree({a, b}, {b, a}));
  CHECK(passes_agree({a, b, b}, {a, b})); // a page boundary repeat is not a difference
  c.modification_time = at(6);
  CHECK_FALSE(passes_agree({a, b}, {a, c}));
  CHECK_FALSE(passes_agree({a, b}, {a}));
  CHECK(passes_agree({}, {}));
}

TEST_CASE("planner settings come from sync.* with the one window fill") {
  taosync::config::SyncConfig sync;
  sync.page_size = 40;
  sync.window.max_length = 6h;
  sync.window.max_pages = 7;
  const PlannerSettings s = PlannerSettings::from(sync, taosync::model::ListingRules{});
  CHECK(s.page_size == 40);
  CHECK(s.max_pages == 7);
  CHECK(s.max_length == 6h);
  CHECK(s.fill == kWindowFill);
}

TEST_CASE("a window may hold max_pages pages of orders, or one page once narrowed") {
  WindowPlanner p(PlannerSettings{100, 20, 0.8, 1000s});
  p.start(at(0), at(10'000'000));
  CHECK(p.capacity() == 2000);
  CHECK(p.observe(p.next(), 1500) == Verdict::accept); // fifteen pages, read as one set
  p.narrow();                                          // the orders changed while paging a window
  CHECK(p.capacity() == 100);
  CHECK(p.observe(p.next(), 150) == Verdict::split);
  p.start(at(0), at(10'000'000)); // a new sweep tries the full capacity again
  CHECK(p.capacity() == 2000);
}

TEST_CASE("with windows of twenty pages a sweep costs close to one call per page") {
  const auto r = sweep_uniform_shop(20);
  // 200 pages is the floor; with one page per window the same sweep takes about 300 calls
  CHECK(r.calls <= 225);
}
