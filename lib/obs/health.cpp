#include "obs/health.hpp"

#include "config/config.hpp"

#include <string>
#include <vector>

namespace taosync::obs {

std::optional<std::string> health_problem(const Metrics& m,
                                          std::chrono::milliseconds healthy_within) {
  const std::string limit = config::format_duration(healthy_within);
  const auto pending = m.longest_db_pending();
  // "database write blocked for 12s", then what blocks it (if seen) after `middle`.
  auto describe = [&](const std::string& middle) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(pending->age);
    return "database " + pending->who + " blocked for " + std::to_string(secs.count()) + "s" +
           middle + (pending->blocker.empty() ? "" : " " + pending->blocker);
  };
  if (pending && pending->age > healthy_within)
    return describe(" (longer than metrics.healthy_within " + limit + ")") +
           (pending->blocker.empty()
                ? "; nothing seen holding a lock on it: the database is slow or unreachable"
                : "");
  if (auto clock = m.platform_clock(); !clock.problem.empty())
    return clock.problem;
  const double limit_s = std::chrono::duration<double>(healthy_within).count();
  // Every shop this daemon syncs must be fresh; one that is not is named (the first, and how
  // many more). A daemon syncing no shop is healthy only as a standby: its lease keeper has
  // looked and holds none (its peers hold them all).
  const auto shops = m.freshness();
  if (shops.empty()) {
    const auto leases = m.leases_held();
    if (leases && *leases == 0)
      return std::nullopt;
    return leases ? "holding " + std::to_string(*leases) + " shop lease(s), no shop syncing yet"
                  : std::string("no shop syncing yet");
  }
  std::vector<std::string> stale;
  for (const Metrics::ShopFreshness& shop : shops) {
    const bool fresh = shop.waiting || shop.since_success < limit_s ||
                       (shop.init_in_progress && shop.since_init_progress < limit_s);
    if (!fresh)
      stale.push_back(shop.shop);
  }
  if (stale.empty())
    return std::nullopt;
  // A write pending for less than the limit can still be why no cycle completed.
  std::string which = "shop " + stale.front();
  if (stale.size() > 1)
    which += " and " + std::to_string(stale.size() - 1) + " more";
  return "no successful sync cycle within metrics.healthy_within (" + limit + ") for " + which +
         (pending ? "; " + describe("") : "");
}

} // namespace taosync::obs
