#include "sync/cursor_policy.hpp"

#include <algorithm>

namespace taosync::sync {

CursorFor init_cursor(store::SyncState base, TimePoint t0,
                      std::optional<std::chrono::sys_days> reconciled_before) {
  return [base = std::move(base), t0, reconciled_before](TimePoint end, bool last) {
    auto s = base;
    s.init_cursor = end;
    s.last_cycle_at = std::chrono::system_clock::now();
    if (last) {
      s.hwm = t0;
      s.init_done = true;
      s.last_reconciled_day = reconciled_before;
    }
    return std::optional<store::SyncState>(s);
  };
}

CursorFor poll_cursor(store::SyncState base) {
  return [base = std::move(base)](TimePoint end, bool) {
    auto s = base;
    s.hwm = s.hwm ? std::max(*s.hwm, end) : end; // the overlap re-read never moves it back
    s.last_cycle_at = std::chrono::system_clock::now();
    return std::optional<store::SyncState>(s);
  };
}

CursorFor reconcile_cursor(store::SyncState base, std::chrono::sys_days day) {
  return [base = std::move(base), day](TimePoint, bool last) -> std::optional<store::SyncState> {
    if (!last)
      return std::nullopt;
    auto s = base;
    s.last_reconciled_day = day;
    return s;
  };
}

} // namespace taosync::sync
