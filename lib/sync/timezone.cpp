#include "sync/timezone.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace taosync::sync {

namespace {

constexpr std::size_t kHeaderSize = 44;

struct Counts {
  std::uint32_t isut, isstd, leap, time, type, chars;
};

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) |
         (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

std::int64_t be64(std::string_view b, std::size_t at) {
  return static_cast<std::int64_t>((std::uint64_t(be32(b, at)) << 32) | be32(b, at + 4));
}

[[noreturn]] void bad(const std::string& name, const std::string& why) {
  throw std::runtime_error("time zone '" + name + "': " + why);
}

Counts read_header(const std::string& name, std::string_view b, std::size_t at) {
  if (b.size() < at + kHeaderSize || b.substr(at, 4) != "TZif") {
    bad(name, "not a TZif file");
  }
  return Counts{be32(b, at + 20), be32(b, at + 24), be32(b, at + 28),
                be32(b, at + 32), be32(b, at + 36), be32(b, at + 40)};
}

std::size_t block_size(const Counts& c, std::size_t time_size) {
  return c.time * time_size + c.time + c.type * 6 + c.chars + c.leap * (time_size + 4) + c.isstd +
         c.isut;
}

bool valid_zone_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' ||
           ch == '+';
  });
}

} // namespace

TimeZone TimeZone::parse(const std::string& name, std::string_view b) {
  Counts c = read_header(name, b, 0);
  std::size_t at = kHeaderSize;
  std::size_t time_size = 4;
  if (b[4] >= '2') { // skip the 32-bit block: version 2+ repeats the data with 64-bit times
    at += block_size(c, 4);
    c = read_header(name, b, at);
    at += kHeaderSize;
    time_size = 8;
  }
  if (c.type == 0 || b.size() < at + block_size(c, time_size)) {
    bad(name, "truncated TZif data");
  }
  TimeZone tz;
  tz.name_ = name;
  const std::size_t idx_at = at + c.time * time_size;
  const std::size_t types_at = idx_at + c.time;
  auto type_offset = [&](std::size_t type) {
    if (type >= c.type) {
      bad(name, "bad local time type index");
    }
    return static_cast<std::int32_t>(be32(b, types_at + type * 6));
  };
  for (std::size_t i = 0; i < c.time; ++i) {
    tz.transitions_.push_back(time_size == 8 ? be64(b, at + i * 8)
                                             : std::int32_t(be32(b, at + i * 4)));
    tz.offsets_after_.push_back(type_offset(std::uint8_t(b[idx_at + i])));
  }
  tz.initial_offset_ = type_offset(0); // RFC 8536: type 0 applies before the first transition
  return tz;
}

TimeZone TimeZone::load(const std::string& name) {
  if (!valid_zone_name(name)) {
    bad(name, "not a valid zone name");
  }
  const std::string path = zoneinfo_dir() + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    bad(name, "unknown time zone (no " + path + ")");
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(name, bytes);
}

TimeZone TimeZone::fixed(std::string name, std::chrono::seconds offset) {
  TimeZone tz;
  tz.name_ = std::move(name);
  tz.initial_offset_ = static_cast<std::int32_t>(offset.count());
  return tz;
}

std::chrono::seconds TimeZone::utc_offset(std::chrono::sys_seconds t) const {
  const auto s = t.time_since_epoch().count();
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) {
    return std::chrono::seconds(initial_offset_);
  }
  return std::chrono::seconds(offsets_after_[std::size_t(it - transitions_.begin() - 1)]);
}

std::chrono::sys_seconds TimeZone::to_utc(std::chrono::local_seconds local) const {
  using std::chrono::days;
  const std::chrono::sys_seconds as_utc{local.time_since_epoch()};
  // Offsets change at most once around any instant in practice: try the offset of the day
  // before and of the day after; keep the earliest candidate that maps back to `local`.
  const auto before = utc_offset(as_utc - days(1));
  const auto after = utc_offset(as_utc + days(1));
  std::optional<std::chrono::sys_seconds> best;
  for (const auto off : {before, after}) {
    const auto candidate = as_utc - off;
    if (utc_offset(candidate) == off && (!best || candidate < *best)) {
      best = candidate;
    }
  }
  return best.value_or(as_utc - before); // in a DST gap: the offset before the jump
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds t) const {
  return std::chrono::local_seconds{(t + utc_offset(t)).time_since_epoch()};
}

std::string zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? std::string(dir) : std::string("/usr/share/zoneinfo");
}

std::string timezone_problem(const std::string& name) {
  try {
    (void)TimeZone::load(name);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

} // namespace taosync::sync
