// EngineStatus::line(): the one-line summary for systemd STATUS= and logs.
#include "sync/engine.hpp"

#include <algorithm>
#include <cstdio>

namespace taosync::sync {

std::string EngineStatus::line() const {
  std::string out = progress_line();
  if (owed_orders > 0)
    out += ", " + std::to_string(owed_orders) + " order(s) owed";
  if (!held.empty())
    out += "; HELD " + held;
  return out;
}

std::string EngineStatus::progress_line() const {
  char buf[200];
  if (phase == "init") {
    const double pct = init_total_orders == 0
                           ? 0.0
                           : std::min(100.0, 100.0 * static_cast<double>(init_done_orders) /
                                                 static_cast<double>(init_total_orders));
    std::snprintf(buf, sizeof buf, "init %.0f%% (%llu/%llu), %.0f orders/s", pct,
                  static_cast<unsigned long long>(init_done_orders),
                  static_cast<unsigned long long>(init_total_orders), orders_per_second);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%s, lag %llds, last cycle %llu orders", phase.c_str(),
                static_cast<long long>(lag.count()),
                static_cast<unsigned long long>(last_cycle_orders));
  return buf;
}

} // namespace taosync::sync
