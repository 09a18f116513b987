#include "obs/health.hpp"

#include "config/config.hpp"

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
  const double limit_s = std::chrono::duration<double>(healthy_within).count();
  if (m.seconds_since_last_success() < limit_s)
    return std::nullopt;
  if (m.init_in_progress() && m.seconds_since_init_progress() < limit_s)
    return std::nullopt;
  // A write pending for less than the limit can still be why no cycle completed.
  return "no successful sync cycle within metrics.healthy_within (" + limit + ")" +
         (pending ? "; " + describe("") : "");
}

} // namespace taosync::obs
