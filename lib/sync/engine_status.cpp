// EngineStatus::line(): the one-line summary for systemd STATUS= and logs.
#include "sync/engine_status.hpp"

#include <array>

#include <algorithm>
#include <cstdio>

namespace taosync::sync {

namespace {

// "init 41% (41000/100000), 5200 orders/s" or "idle, lag 37s, last cycle 12 orders".
std::string progress_line(const EngineStatus& s);

} // namespace

std::string_view to_string(Phase phase) {
  static constexpr std::array<std::string_view, 6> kNames = {"starting", "init",        "idle",
                                                             "polling",  "reconciling", "stopped"};
  return kNames[static_cast<std::size_t>(phase)];
}

std::string EngineStatus::line() const {
  std::string out = progress_line(*this);
  if (owed_orders > 0)
    out += ", " + std::to_string(owed_orders) + " order(s) owed";
  if (!held.empty())
    out += "; HELD " + held;
  return out;
}

namespace {

std::string progress_line(const EngineStatus& s) {
  const auto& [phase, init_done_orders, init_total_orders, orders_per_second, lag,
               last_cycle_orders, held, owed_orders, last_failure] = s;
  char buf[200];
  if (phase == Phase::init) {
    const double pct = init_total_orders == 0
                           ? 0.0
                           : std::min(100.0, 100.0 * static_cast<double>(init_done_orders) /
                                                 static_cast<double>(init_total_orders));
    std::snprintf(buf, sizeof buf, "init %.0f%% (%llu/%llu), %.0f orders/s", pct,
                  static_cast<unsigned long long>(init_done_orders),
                  static_cast<unsigned long long>(init_total_orders), orders_per_second);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%s, lag %llds, last cycle %llu orders",
                std::string(to_string(phase)).c_str(), static_cast<long long>(lag.count()),
                static_cast<unsigned long long>(last_cycle_orders));
  return buf;
}

} // namespace

} // namespace taosync::sync
