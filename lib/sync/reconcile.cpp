#include "sync/reconcile.hpp"

namespace taosync::sync {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

TimePoint local_midnight_utc(sys_days day, const TimeZone& tz) {
  return TimePoint(tz.to_sys(local_seconds{day.time_since_epoch()}));
}

} // namespace

Window local_day_window(sys_days day, const TimeZone& tz) {
  return Window{local_midnight_utc(day, tz), local_midnight_utc(day + days(1), tz) - Millis(1)};
}

sys_days local_date(TimePoint t, const TimeZone& tz) {
  const auto local = tz.to_local(floor<seconds>(t));
  return sys_days{floor<days>(local).time_since_epoch()};
}

std::optional<ReconcilePlan> due_reconciliation(TimePoint now, std::chrono::minutes at,
                                                const TimeZone& tz,
                                                std::optional<sys_days> last_done) {
  const auto local = tz.to_local(floor<seconds>(now));
  const auto today = floor<days>(local);
  if (local - today < at) {
    return std::nullopt; // today's reconciliation time has not come yet
  }
  const sys_days yesterday{(today - days(1)).time_since_epoch()};
  if (last_done && *last_done >= yesterday) {
    return std::nullopt;
  }
  return ReconcilePlan{yesterday, local_day_window(yesterday, tz)};
}

TimePoint next_reconcile_time(TimePoint now, std::chrono::minutes at, const TimeZone& tz) {
  const auto today = local_date(now, tz);
  for (int d = 0; d < 3; ++d) {
    const auto local = local_seconds{(today + days(d)).time_since_epoch()} + at;
    const TimePoint t(tz.to_sys(local));
    if (t > now) {
      return t;
    }
  }
  return now + days(1); // unreachable for real zones; a safe fallback
}

} // namespace taosync::sync
