#include "time_format.hpp"

#include <cstdio>

namespace taosync::daemon {

std::string format_day(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string format_age(std::chrono::seconds s) {
  const long long v = s.count() < 0 ? 0 : s.count();
  char buf[32];
  if (v < 60)
    std::snprintf(buf, sizeof buf, "%llds", v);
  else if (v < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", v / 60, v % 60);
  else if (v < 86400)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", v / 3600, v % 3600 / 60);
  else
    std::snprintf(buf, sizeof buf, "%lldd%02lldh", v / 86400, v % 86400 / 3600);
  return buf;
}

} // namespace taosync::daemon
