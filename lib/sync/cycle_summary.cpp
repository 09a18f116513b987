#include "sync/cycle_summary.hpp"

#include <cstdio>

namespace taosync::sync {

model::CallCounters counter_delta(const model::CallCounters& before,
                                  const model::CallCounters& after) {
  return model::CallCounters{after.calls - before.calls, after.throttled - before.throttled,
                             after.retries - before.retries, after.refreshes - before.refreshes};
}

std::string summary_line(const CycleSummary& s) {
  std::string window = "nothing new";
  if (s.window) {
    window = "[" + model::format_time(s.window->from) + " .. " + model::format_time(s.window->to) +
             "] " + std::to_string(s.windows) + " window(s)";
  }
  char buf[400];
  std::snprintf(
      buf, sizeof buf,
      "%s %s: %llu listed, %llu new, %llu updated, %llu unchanged, %llu stale; %llu "
      "lines; %llu calls, %llu throttled, %llu retries; lag %llds; took %lldms",
      s.kind.c_str(), window.c_str(), static_cast<unsigned long long>(s.listed),
      static_cast<unsigned long long>(s.written.inserted),
      static_cast<unsigned long long>(s.written.updated),
      static_cast<unsigned long long>(s.written.unchanged),
      static_cast<unsigned long long>(s.written.stale),
      static_cast<unsigned long long>(s.written.lines),
      static_cast<unsigned long long>(s.calls.calls),
      static_cast<unsigned long long>(s.calls.throttled),
      static_cast<unsigned long long>(s.calls.retries),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(s.lag).count()),
      static_cast<long long>(s.took.count()));
  return buf;
}

} // namespace taosync::sync
