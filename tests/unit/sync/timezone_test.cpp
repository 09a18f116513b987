#include "sync/timezone.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace taosync::sync;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {
sys_seconds utc(year_month_day d, hours h = 0h, minutes m = 0min) {
  return sys_days(d) + h + m;
}
} // namespace

TEST_CASE("Asia/Taipei is UTC+8 today and was UTC+9 in summer 1979") {
  const auto tz = TimeZone::load("Asia/Taipei");
  CHECK(tz.name() == "Asia/Taipei");
  CHECK(tz.utc_offset(utc(2026y / November / 28, 16h, 30min)) == 8h);
  CHECK(tz.utc_offset(utc(1979y / July / 1)) == 9h);    // Taiwan kept DST until 1979
  CHECK(tz.utc_offset(utc(2100y / January / 1)) == 8h); // past the last transition
}

TEST_CASE("Europe/Berlin switches offsets at its DST transitions") {
  const auto tz = TimeZone::load("Europe/Berlin");
  CHECK(tz.utc_offset(utc(2026y / January / 15)) == 1h);
  CHECK(tz.utc_offset(utc(2026y / July / 15)) == 2h);
  // 2026-03-29 01:00Z: clocks jump from 02:00 CET to 03:00 CEST
  CHECK(tz.utc_offset(utc(2026y / March / 29, 0h, 59min)) == 1h);
  CHECK(tz.utc_offset(utc(2026y / March / 29, 1h)) == 2h);
}

TEST_CASE("local to UTC and back") {
  const auto tz = TimeZone::load("Asia/Taipei");
  const local_seconds midnight{local_days(2026y / November / 29).time_since_epoch()};
  CHECK(tz.to_utc(midnight) == utc(2026y / November / 28, 16h));
  CHECK(tz.to_local(utc(2026y / November / 28, 16h)) == midnight);
}

TEST_CASE("an ambiguous local time maps to its first occurrence, a skipped one near the gap") {
  const auto tz = TimeZone::load("Europe/Berlin");
  // 2026-10-25: 03:00 CEST -> 02:00 CET, so 02:30 happens at 00:30Z and again at 01:30Z
  const local_seconds twice{local_days(2026y / October / 25).time_since_epoch() + 2h + 30min};
  CHECK(tz.to_utc(twice) == utc(2026y / October / 25, 0h, 30min));
  // 2026-03-29: 02:30 does not exist; the offset before the jump (+1) gives 01:30Z
  const local_seconds skipped{local_days(2026y / March / 29).time_since_epoch() + 2h + 30min};
  CHECK(tz.to_utc(skipped) == utc(2026y / March / 29, 1h, 30min));
}

TEST_CASE("a fixed zone has one offset") {
  const auto tz = TimeZone::fixed("X", -5h);
  CHECK(tz.utc_offset(utc(2026y / July / 1)) == -5h);
  CHECK(tz.to_utc(local_seconds{0s}) == sys_seconds{5h});
}

TEST_CASE("unknown or malformed zone names are refused with the name in the message") {
  CHECK_THROWS_WITH_AS(TimeZone::load("Asia/Taipai"), doctest::Contains("Asia/Taipai"),
                       std::runtime_error);
  CHECK_THROWS_AS(TimeZone::load("../../etc/passwd"), std::runtime_error);
  CHECK_THROWS_AS(TimeZone::load(""), std::runtime_error);
  CHECK(timezone_problem("Asia/Taipei").empty());
  CHECK(timezone_problem("UTC").empty());
  CHECK(timezone_problem("Mars/Olympus").find("Mars/Olympus") != std::string::npos);
}

TEST_CASE("bytes that are not TZif are refused") {
  CHECK_THROWS_AS(TimeZone::parse("bad", "not a tzif file at all, no no no no no no no no"),
                  std::runtime_error);
  CHECK_THROWS_AS(TimeZone::parse("short", "TZif2"), std::runtime_error);
}
