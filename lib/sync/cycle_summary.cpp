#include "sync/cycle_summary.hpp"

#include <cstdio>

namespace taosync::sync {

std::string format_time(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

api::CallCounters counter_delta(const api::CallCounters& before, const api::CallCounters& after) {
  return api::CallCounters{after.calls - before.calls, after.throttled - before.throttled,
                           after.retries - before.retries, after.refreshes - before.refreshes};
}

std::string summary_line(const CycleSummary& s) {
  std::string window = "nothing new";
  if (s.window) {
    window = "[" + format_time(s.window->from) + " .. " + format_time(s.window->to) + "] " +
             std::to_string(s.windows) + " window(s)";
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
