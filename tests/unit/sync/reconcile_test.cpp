#include "sync/reconcile.hpp"

#include <doctest/doctest.h>

using namespace taosync::sync;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {
TimePoint utc(year_month_day d, hours h = 0h, minutes m = 0min) {
  return TimePoint(sys_days(d) + h + m);
}
} // namespace

TEST_CASE("at 00:30 Taipei on the 29th the 28th local day is re-swept") {
  const auto tz = TimeZone::load("Asia/Taipei");
  const auto plan = due_reconciliation(utc(2026y / November / 28, 16h, 30min), 30min, tz, {});
  REQUIRE(plan);
  CHECK(plan->day == sys_days(2026y / November / 28));
  CHECK(plan->window.from == utc(2026y / November / 27, 16h));
  CHECK(plan->window.to == utc(2026y / November / 28, 16h) - 1ms);
}

TEST_CASE("before the reconcile time the previous day is not yet due") {
  const auto tz = TimeZone::load("Asia/Taipei");
  // 00:29 Taipei on the 29th
  CHECK_FALSE(due_reconciliation(utc(2026y / November / 28, 16h, 29min), 30min, tz, {}));
  // 23:59 Taipei on the 28th: the 27th is the previous day, and it is done already
  CHECK_FALSE(due_reconciliation(utc(2026y / November / 28, 15h, 59min), 30min, tz,
                                 sys_days(2026y / November / 27)));
}

TEST_CASE("a day is reconciled once") {
  const auto tz = TimeZone::load("Asia/Taipei");
  const auto now = utc(2026y / November / 28, 20h);
  CHECK(due_reconciliation(now, 30min, tz, sys_days(2026y / November / 27)));
  CHECK_FALSE(due_reconciliation(now, 30min, tz, sys_days(2026y / November / 28)));
}

TEST_CASE("after downtime only the previous day is re-swept") {
  const auto tz = TimeZone::load("Asia/Taipei");
  const auto plan =
      due_reconciliation(utc(2026y / December / 5, 3h), 30min, tz, sys_days(2026y / November / 20));
  REQUIRE(plan);
  CHECK(plan->day == sys_days(2026y / December / 4));
}

TEST_CASE("the local date differs from the UTC date around midnight in Taipei") {
  const auto tz = TimeZone::load("Asia/Taipei");
  CHECK(local_date(utc(2026y / November / 28, 15h, 59min), tz) == sys_days(2026y / November / 28));
  CHECK(local_date(utc(2026y / November / 28, 16h), tz) == sys_days(2026y / November / 29));
}

TEST_CASE("a local day across a DST change is 23 or 25 hours long") {
  const auto tz = TimeZone::load("Europe/Berlin");
  CHECK(local_day_window(sys_days(2026y / March / 29), tz).length() == 23h);
  CHECK(local_day_window(sys_days(2026y / October / 25), tz).length() == 25h);
  CHECK(local_day_window(sys_days(2026y / June / 1), tz).length() == 24h);
}

TEST_CASE("the next reconcile time is today's if still ahead, else tomorrow's") {
  const auto tz = TimeZone::load("Asia/Taipei");
  CHECK(next_reconcile_time(utc(2026y / November / 28, 16h, 0min), 30min, tz) ==
        utc(2026y / November / 28, 16h, 30min));
  CHECK(next_reconcile_time(utc(2026y / November / 28, 16h, 30min), 30min, tz) ==
        utc(2026y / November / 29, 16h, 30min));
}

TEST_CASE("UTC reconciliation at midnight") {
  const auto tz = TimeZone::fixed(0s, "UTC");
  const auto plan = due_reconciliation(utc(2026y / January / 1, 0h), 0min, tz, {});
  REQUIRE(plan);
  CHECK(plan->window.from == utc(2025y / December / 31));
  CHECK(plan->window.to == utc(2026y / January / 1) - 1ms);
}
