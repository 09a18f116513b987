#include "config/config.hpp"

#include <doctest/doctest.h>

using namespace taosync::config;
using namespace std::chrono_literals;

TEST_CASE("parse_duration reads every unit") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("30s") == 30s);
  CHECK(parse_duration("2m") == 2min);
  CHECK(parse_duration("1h") == 1h);
  CHECK(parse_duration("1d") == 24h);
  CHECK(parse_duration("0") == 0ms);
  CHECK(parse_duration("0s") == 0ms);
}

TEST_CASE("parse_duration sums compound durations") {
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("1m500ms") == 60500ms);
}

TEST_CASE("parse_duration refuses missing units, junk and negatives") {
  for (const char* bad : {"", "30", "s", "30x", "-5s", "1.5s", "30 s", "5sec", "99999999999999d"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_duration(bad), std::invalid_argument);
  }
}

TEST_CASE("format_duration picks the largest exact unit and round-trips") {
  CHECK(format_duration(120000ms) == "2m");
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(48h) == "2d");
  CHECK(format_duration(0ms) == "0s");
  for (Millis d : {Millis(1), Millis(1500), Millis(61000), Millis(3601000), Millis(90000000)}) {
    CHECK(parse_duration(format_duration(d)) == d);
  }
}
