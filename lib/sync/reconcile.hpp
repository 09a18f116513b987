#pragma once
// Daily reconciliation (docs/design.md §3): once a day, at a local time, re-sweep the previous
// local day's modification window, as the platform's docs advise. Pure: the clock and the zone are
// arguments.

#include "config/timezone.hpp"
#include "sync/window_planner.hpp"

#include <chrono>
#include <optional>

namespace taosync::sync {

using config::TimeZone;

/// One day to re-sweep: its local date and its UTC window [start of day, start of next day).
struct ReconcilePlan {
  std::chrono::sys_days day; ///< the local calendar date (as a date, not an instant)
  Window window;             ///< inclusive ends: [midnight, next midnight - 1ms] in UTC
};

/// The UTC window of local calendar day `day` in `tz`.
Window local_day_window(std::chrono::sys_days day, const TimeZone& tz);

/// The local calendar date of instant `t` in `tz`.
std::chrono::sys_days local_date(TimePoint t, const TimeZone& tz);

/// The previous local day, if the local time of day at `now` has reached `at` and that day has
/// not been reconciled yet (`last_done`); otherwise nullopt.
std::optional<ReconcilePlan> due_reconciliation(TimePoint now, std::chrono::minutes at,
                                                const TimeZone& tz,
                                                std::optional<std::chrono::sys_days> last_done);

/// The next instant strictly after `now` at which the local time of day is `at`.
TimePoint next_reconcile_time(TimePoint now, std::chrono::minutes at, const TimeZone& tz);

} // namespace taosync::sync
