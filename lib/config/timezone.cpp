// TZif (RFC 8536) reading and POSIX TZ footer rules, enough for UTC offsets of any IANA zone.

#include "config/timezone.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace taosync::config {

namespace {

using namespace std::chrono;

std::uint64_t be(std::string_view b, std::size_t pos, std::size_t n) {
  if (pos + n > b.size())
    throw std::runtime_error("truncated");
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  return v;
}

/// Parses POSIX "[+-]hh[:mm[:ss]]" at `p`; returns seconds.
std::optional<std::int32_t> posix_time(std::string_view s, std::size_t& p) {
  int sign = 1;
  if (p < s.size() && (s[p] == '+' || s[p] == '-'))
    sign = s[p++] == '-' ? -1 : 1;
  std::int32_t total = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (p >= s.size() || s[p] != ':')
        break;
      ++p;
    }
    if (p >= s.size() || !std::isdigit(static_cast<unsigned char>(s[p])))
      return std::nullopt;
    std::int32_t v = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])))
      v = v * 10 + (s[p++] - '0');
    total += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
  }
  return sign * total;
}

/// Skips a zone abbreviation ("CST" or "<+0330>"); false if there is none.
bool posix_name(std::string_view s, std::size_t& p) {
  const std::size_t start = p;
  if (p < s.size() && s[p] == '<') {
    p = s.find('>', p);
    if (p == std::string_view::npos)
      return false;
    ++p;
    return true;
  }
  while (p < s.size() && std::isalpha(static_cast<unsigned char>(s[p])))
    ++p;
  return p - start >= 3;
}

} // namespace

/// Reads a TZif file's bytes into a TimeZone.
class TzifReader {
public:
  static TimeZone read(std::string name, std::string_view b) {
    if (b.substr(0, 4) != "TZif")
      throw std::runtime_error("not a TZif file");
    TimeZone tz;
    tz.name_ = std::move(name);
    std::size_t pos = 0;
    std::size_t time_size = 4;
    if (b[4] >= '2') {
      pos = 44 + block_size(b, 0, 4); // skip the 32-bit block; the 64-bit one follows
      time_size = 8;
    }
    const std::size_t end = read_block(tz, b, pos, time_size);
    if (time_size == 8)
      read_footer(tz, b.substr(end));
    return tz;
  }

private:
  static std::size_t block_size(std::string_view b, std::size_t hdr, std::size_t ts) {
    const auto isut = be(b, hdr + 20, 4), isstd = be(b, hdr + 24, 4), leap = be(b, hdr + 28, 4);
    const auto timecnt = be(b, hdr + 32, 4), typecnt = be(b, hdr + 36, 4),
               charcnt = be(b, hdr + 40, 4);
    return timecnt * ts + timecnt + typecnt * 6 + charcnt + leap * (ts + 4) + isstd + isut;
  }

  static std::size_t read_block(TimeZone& tz, std::string_view b, std::size_t hdr, std::size_t ts) {
    if (b.substr(hdr, 4) != "TZif")
      throw std::runtime_error("bad TZif header");
    const auto timecnt = be(b, hdr + 32, 4), typecnt = be(b, hdr + 36, 4);
    if (typecnt == 0)
      throw std::runtime_error("no local time types");
    const std::size_t times = hdr + 44, idx = times + timecnt * ts, types = idx + timecnt;
    auto type_offset = [&](std::uint64_t i) {
      if (i >= typecnt)
        throw std::runtime_error("bad type index");
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(be(b, types + i * 6, 4)));
    };
    tz.initial_offset_ = type_offset(0);
    for (std::uint64_t i = 0; i < timecnt; ++i) {
      const std::uint64_t raw = be(b, times + i * ts, ts);
      const std::int64_t at = ts == 8 ? static_cast<std::int64_t>(raw)
                                      : static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
      tz.transitions_.push_back({at, type_offset(be(b, idx + i, 1))});
    }
    return hdr + 44 + block_size(b, hdr, ts);
  }

  static std::optional<TimeZone::Rule> rule(std::string_view s, std::size_t& p) {
    if (p >= s.size() || s[p] != 'M')
      return std::nullopt; // Jn and n forms: not supported
    ++p;
    TimeZone::Rule r;
    int* fields[] = {&r.month, &r.week, &r.weekday};
    for (int i = 0; i < 3; ++i) {
      if (i > 0 && (p >= s.size() || s[p++] != '.'))
        return std::nullopt;
      if (p >= s.size() || !std::isdigit(static_cast<unsigned char>(s[p])))
        return std::nullopt;
      while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])))
        *fields[i] = *fields[i] * 10 + (s[p++] - '0');
    }
    if (p < s.size() && s[p] == '/') {
      ++p;
      const auto t = posix_time(s, p);
      if (!t)
        return std::nullopt;
      r.time = *t;
    }
    return r;
  }

  static void read_footer(TimeZone& tz, std::string_view f) {
    if (f.size() < 2 || f[0] != '\n')
      return;
    const std::string_view s = f.substr(1, f.find('\n', 1) - 1);
    std::size_t p = 0;
    if (!posix_name(s, p))
      return;
    const auto std_off = posix_time(s, p);
    if (!std_off)
      return;
    tz.std_offset_ = -*std_off; // POSIX offsets count west of UTC
    if (p == s.size()) {
      tz.dst_offset_ = tz.std_offset_;
      tz.has_footer_ = true;
      return;
    }
    if (!posix_name(s, p))
      return;
    tz.dst_offset_ = tz.std_offset_ + 3600;
    if (p < s.size() && s[p] != ',') {
      const auto d = posix_time(s, p);
      if (!d)
        return;
      tz.dst_offset_ = -*d;
    }
    if (p >= s.size() || s[p++] != ',')
      return;
    const auto start = rule(s, p);
    if (!start || p >= s.size() || s[p++] != ',')
      return;
    const auto end = rule(s, p);
    if (!end)
      return;
    tz.dst_start_ = *start;
    tz.dst_end_ = *end;
    tz.has_footer_ = true;
  }
};

TimeZone TimeZone::load(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) {
    throw std::runtime_error("invalid time zone name '" + name + "'");
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("unknown time zone '" + name + "' (no " + path + ")");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return TzifReader::read(name, bytes);
  } catch (const std::exception& e) {
    throw std::runtime_error("unreadable time zone '" + name + "': " + e.what());
  }
}

TimeZone TimeZone::fixed(std::chrono::seconds offset, std::string name) {
  TimeZone tz;
  tz.name_ = std::move(name);
  tz.initial_offset_ = static_cast<std::int32_t>(offset.count());
  return tz;
}

std::int32_t TimeZone::rule_offset(std::int64_t t) const {
  if (dst_start_.month == 0)
    return std_offset_;
  const auto local_day = floor<days>(sys_seconds{seconds{t + std_offset_}});
  const year y = year_month_day{local_day}.year();
  auto instant = [&](const Rule& r, std::int32_t offset_in_force) {
    const weekday wd{static_cast<unsigned>(r.weekday)};
    const month m{static_cast<unsigned>(r.month)};
    const sys_days day = r.week == 5 ? sys_days{y / m / wd[last]}
                                     : sys_days{y / m / wd[static_cast<unsigned>(r.week)]};
    return sys_seconds{day}.time_since_epoch().count() + r.time - offset_in_force;
  };
  const std::int64_t start = instant(dst_start_, std_offset_);
  const std::int64_t end = instant(dst_end_, dst_offset_);
  const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? dst_offset_ : std_offset_;
}

std::chrono::seconds TimeZone::offset_at(std::chrono::sys_seconds t) const {
  const std::int64_t s = t.time_since_epoch().count();
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s,
                                   [](std::int64_t v, const Transition& tr) { return v < tr.at; });
  if (it == transitions_.begin()) {
    return seconds{transitions_.empty() && has_footer_ ? rule_offset(s) : initial_offset_};
  }
  if (it == transitions_.end() && has_footer_)
    return seconds{rule_offset(s)};
  return seconds{std::prev(it)->offset};
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds t) const {
  return local_seconds{(t + offset_at(t)).time_since_epoch()};
}

std::chrono::sys_seconds TimeZone::to_sys(std::chrono::local_seconds t) const {
  const sys_seconds as_utc{t.time_since_epoch()};
  const seconds before = offset_at(as_utc - days{1});
  const seconds after = offset_at(as_utc + days{1});
  std::optional<sys_seconds> best;
  for (const seconds o : {before, after}) {
    const sys_seconds s = as_utc - o;
    if (offset_at(s) == o && (!best || s < *best))
      best = s;
  }
  return best ? *best : as_utc - before; // in a gap: the offset before it
}

} // namespace taosync::config
