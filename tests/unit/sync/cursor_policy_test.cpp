#include "sync/cursor_policy.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::sync;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

TimePoint at_ms(std::int64_t ms) {
  return TimePoint(milliseconds(ms));
}

store::SyncState polled_to(std::int64_t hwm_ms) {
  store::SyncState s;
  s.shop = "shop-a";
  s.init_done = true;
  s.hwm = at_ms(hwm_ms);
  s.last_reconciled_day = sys_days(2026y / November / 27);
  return s;
}

} // namespace

TEST_CASE("init: each window advances the checkpoint; only the last one ends the init") {
  store::SyncState before;
  before.shop = "shop-a";
  before.init_t0 = at_ms(5000);
  const auto day = sys_days(2026y / November / 30);
  const CursorFor cursor = init_cursor(before, at_ms(5000), day);

  const auto mid = cursor(at_ms(1000), false);
  REQUIRE(mid);
  CHECK(mid->init_cursor == at_ms(1000));
  CHECK_FALSE(mid->init_done);
  CHECK_FALSE(mid->hwm); // no incremental cursor before the whole range is stored
  CHECK_FALSE(mid->last_reconciled_day);

  const auto last = cursor(at_ms(5000), true);
  REQUIRE(last);
  CHECK(last->init_done);
  CHECK(last->hwm == at_ms(5000));
  CHECK(last->init_cursor == at_ms(5000));
  CHECK(last->last_reconciled_day == day);
  CHECK(last->shop == "shop-a");
}

TEST_CASE("poll: the high-water mark follows each window's end and never moves back") {
  const CursorFor cursor = poll_cursor(polled_to(10'000));
  const auto ahead = cursor(at_ms(12'000), false);
  REQUIRE(ahead);
  CHECK(ahead->hwm == at_ms(12'000));
  CHECK(ahead->last_cycle_at);
  CHECK(ahead->last_reconciled_day == sys_days(2026y / November / 27));

  // a window inside the overlap, before the mark
  const auto behind = cursor(at_ms(9'000), true);
  REQUIRE(behind);
  CHECK(behind->hwm == at_ms(10'000));
}

TEST_CASE("reconcile: the incremental cursor never moves; the last window marks the day") {
  const auto before = polled_to(10'000);
  const CursorFor cursor = reconcile_cursor(before, sys_days(2026y / November / 28));
  CHECK_FALSE(cursor(at_ms(50'000), false)); // windows before the last leave the state alone
  const auto last = cursor(at_ms(60'000), true);
  REQUIRE(last);
  CHECK(last->hwm == at_ms(10'000));
  CHECK(last->last_reconciled_day == sys_days(2026y / November / 28));
}
