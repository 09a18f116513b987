#include "config/timezone.hpp"

#include <doctest/doctest.h>

using namespace taosync::config;
using namespace std::chrono;

namespace {
sys_seconds utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / m / d} + hours{h} + minutes{mi};
}
local_seconds local(int y, unsigned m, unsigned d, int h = 0, int mi = 0) {
  return local_days{year{y} / m / d} + hours{h} + minutes{mi};
}
} // namespace

TEST_CASE("Asia/Taipei is UTC+8 without DST in recent years") {
  const TimeZone tz = TimeZone::load("Asia/Taipei");
  CHECK(tz.name() == "Asia/Taipei");
  CHECK(tz.offset_at(utc(2024, 1, 15)) == 8h);
  CHECK(tz.offset_at(utc(2024, 7, 15)) == 8h);
  CHECK(tz.offset_at(utc(2060, 7, 15)) == 8h); // past the table: the footer rule "CST-8"
  // 16:30 UTC is 00:30 the next local day: the daily reconcile boundary.
  CHECK(tz.to_local(utc(2024, 3, 9, 16, 30)) == local(2024, 3, 10, 0, 30));
  CHECK(tz.to_sys(local(2024, 3, 10, 0, 30)) == utc(2024, 3, 9, 16, 30));
}

TEST_CASE("Asia/Taipei had daylight saving time in 1979") {
  const TimeZone tz = TimeZone::load("Asia/Taipei");
  CHECK(tz.offset_at(utc(1979, 8, 1)) == 9h);
}

TEST_CASE("Europe/Berlin follows DST, also beyond its transition table") {
  const TimeZone tz = TimeZone::load("Europe/Berlin");
  CHECK(tz.offset_at(utc(2024, 1, 10)) == 1h);
  CHECK(tz.offset_at(utc(2024, 7, 10)) == 2h);
  // 2024-03-31 01:00 UTC the clocks go forward.
  CHECK(tz.offset_at(utc(2024, 3, 31, 0, 59)) == 1h);
  CHECK(tz.offset_at(utc(2024, 3, 31, 1, 0)) == 2h);
  // Far future: computed from the POSIX rule CET-1CEST,M3.5.0,M10.5.0/3.
  CHECK(tz.offset_at(utc(2077, 7, 1)) == 2h);
  CHECK(tz.offset_at(utc(2077, 12, 1)) == 1h);
  // Ambiguous local time at fall-back picks the earlier instant (still DST).
  CHECK(tz.to_sys(local(2024, 10, 27, 2, 30)) == utc(2024, 10, 27, 0, 30));
  // A local time in the spring-forward gap maps with the offset before the gap.
  CHECK(tz.to_sys(local(2024, 3, 31, 2, 30)) == utc(2024, 3, 31, 1, 30));
}

TEST_CASE("America/New_York: a southern-free, negative offset zone") {
  const TimeZone tz = TimeZone::load("America/New_York");
  CHECK(tz.offset_at(utc(2024, 1, 10)) == -5h);
  CHECK(tz.offset_at(utc(2099, 7, 10)) == -4h);
}

TEST_CASE("Australia/Sydney: DST spans the new year") {
  const TimeZone tz = TimeZone::load("Australia/Sydney");
  CHECK(tz.offset_at(utc(2090, 1, 10)) == 11h);
  CHECK(tz.offset_at(utc(2090, 7, 10)) == 10h);
}

TEST_CASE("unknown or malicious zone names are refused") {
  CHECK_THROWS_AS(TimeZone::load("Mars/Olympus_Mons"), std::runtime_error);
  CHECK_THROWS_AS(TimeZone::load("../../etc/passwd"), std::runtime_error);
  CHECK_THROWS_AS(TimeZone::load("/etc/passwd"), std::runtime_error);
  CHECK_THROWS_AS(TimeZone::load(""), std::runtime_error);
}

TEST_CASE("fixed zones") {
  const TimeZone tz = TimeZone::fixed(hours{-3});
  CHECK(tz.offset_at(utc(2024, 1, 1)) == -3h);
  CHECK(tz.to_sys(local(2024, 1, 1)) == utc(2024, 1, 1, 3));
}
