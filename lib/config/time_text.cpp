#include "config/time_text.hpp"

#include "model/time_text.hpp"

#include <cctype>
#include <cstdio>
#include <optional>

namespace taosync::config::detail {

namespace {

/// Reads `n` digits at `p` (advancing it); nullopt if they are not all digits.
std::optional<int> digits(const std::string& s, std::size_t& p, std::size_t n) {
  if (p + n > s.size())
    return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i, ++p) {
    if (!std::isdigit(static_cast<unsigned char>(s[p])))
      return std::nullopt;
    v = v * 10 + (s[p] - '0');
  }
  return v;
}

bool expect(const std::string& s, std::size_t& p, char c) {
  return p < s.size() && s[p++] == c;
}

/// "YYYY-MM-DD" at the start of `s`.
std::optional<std::chrono::local_days> parse_date(const std::string& s, std::size_t& p) {
  const auto y = digits(s, p, 4);
  if (!y || !expect(s, p, '-'))
    return std::nullopt;
  const auto m = digits(s, p, 2);
  if (!m || !expect(s, p, '-'))
    return std::nullopt;
  const auto d = digits(s, p, 2);
  if (!d)
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                        std::chrono::month{static_cast<unsigned>(*m)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok())
    return std::nullopt;
  return std::chrono::local_days{ymd};
}

/// The "THH:MM:SS[.fff](Z|+HH:MM)" part of RFC 3339, as a UTC instant on `day`.
std::optional<TimePoint> parse_rfc3339_time(const std::string& s, std::size_t& p,
                                            std::chrono::local_days day) {
  using namespace std::chrono;
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
    return std::nullopt;
  ++p;
  const auto h = digits(s, p, 2);
  if (!h || !expect(s, p, ':'))
    return std::nullopt;
  const auto mi = digits(s, p, 2);
  if (!mi || !expect(s, p, ':'))
    return std::nullopt;
  const auto se = digits(s, p, 2);
  if (!se || *h > 23 || *mi > 59 || *se > 60)
    return std::nullopt;
  milliseconds frac{0};
  if (p < s.size() && s[p] == '.') {
    int scale = 100;
    for (++p; p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])); ++p, scale /= 10) {
      frac += milliseconds{(s[p] - '0') * scale};
    }
  }
  seconds offset{0};
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p++] == '-' ? -1 : 1;
    const auto oh = digits(s, p, 2);
    if (!oh || !expect(s, p, ':'))
      return std::nullopt;
    const auto om = digits(s, p, 2);
    if (!om)
      return std::nullopt;
    offset = seconds{sign * (*oh * 3600 + *om * 60)};
  } else {
    return std::nullopt;
  }
  const auto local = day.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*se} + frac;
  return TimePoint{duration_cast<milliseconds>(local - offset)};
}

} // namespace

std::chrono::minutes parse_time_of_day(const std::string& key, const std::string& text) {
  if (text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
      std::isdigit(static_cast<unsigned char>(text[1])) &&
      std::isdigit(static_cast<unsigned char>(text[3])) &&
      std::isdigit(static_cast<unsigned char>(text[4]))) {
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (h < 24 && m < 60)
      return std::chrono::minutes(h * 60 + m);
  }
  throw ConfigError(key, "expected a local time HH:MM (00:00..23:59), got '" + text + "'");
}

std::string format_time_of_day(std::chrono::minutes at) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(at.count() / 60),
                static_cast<int>(at.count() % 60));
  return buf;
}

TimePoint parse_instant(const std::string& key, const std::string& text, const TimeZone& tz) {
  std::size_t p = 0;
  if (const auto day = parse_date(text, p)) {
    if (p == text.size()) {
      return std::chrono::time_point_cast<std::chrono::milliseconds>(
          tz.to_sys(std::chrono::local_seconds{*day}));
    }
    if (const auto t = parse_rfc3339_time(text, p, *day); t && p == text.size())
      return *t;
  }
  throw ConfigError(key, "expected a date YYYY-MM-DD or an RFC 3339 time, got '" + text + "'");
}

std::string format_instant(TimePoint t) {
  return model::format_time_seconds(std::chrono::floor<std::chrono::seconds>(t));
}

} // namespace taosync::config::detail
