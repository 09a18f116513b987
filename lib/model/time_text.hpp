#pragma once
// Times as people and logs read them. One spelling everywhere: UTC, RFC 3339, "Z". And the
// one piece every parser of a fixed-layout time shares: its fixed-width numbers.

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::model {

namespace time_text_detail {

/// `t` as date, "T", time (with milliseconds if `millis`) and "Z".
inline std::string ymd_hms(std::chrono::sys_time<std::chrono::milliseconds> t, bool millis) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[48];
  const int n =
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                    static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                    static_cast<int>(hms.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (millis) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(hms.subseconds().count()));
    out += buf;
  }
  return out + "Z";
}

} // namespace time_text_detail

/// The number the `width` decimal digits of `text` at `pos` spell, or nullopt when `text` ends
/// first or one of them is not a digit.
inline std::optional<int> fixed_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos > text.size() || width > text.size() - pos)
    return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

/// "2026-11-28T16:30:00.123Z".
inline std::string format_time(std::chrono::sys_time<std::chrono::milliseconds> t) {
  return time_text_detail::ymd_hms(t, true);
}

/// "2026-11-28T16:30:00Z" (whole seconds).
inline std::string format_time_seconds(std::chrono::sys_seconds t) {
  return time_text_detail::ymd_hms(t, false);
}

/// "2026-11-28".
inline std::string format_day(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

/// An age for people: "37s", "5m12s", "3h04m", "2d03h".
inline std::string format_age(std::chrono::seconds s) {
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

} // namespace taosync::model
