#include "model/time_text.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace std::chrono;

TEST_CASE("times read as RFC 3339 UTC, with or without milliseconds") {
  CHECK(model::format_time(sys_time<milliseconds>{milliseconds{1592990587586}}) ==
        "2020-06-24T09:23:07.586Z");
  CHECK(model::format_time(sys_time<milliseconds>{milliseconds{0}}) == "1970-01-01T00:00:00.000Z");
  CHECK(model::format_time_seconds(sys_seconds{seconds{1592990587}}) == "2020-06-24T09:23:07Z");
  CHECK(model::format_time(sys_time<milliseconds>{milliseconds{16725225600000}}) ==
        "2500-01-01T00:00:00.000Z");
}

TEST_CASE("days and ages for people") {
  CHECK(model::format_day(sys_days{year{2024} / 3 / 9}) == "2024-03-09");
  CHECK(model::format_age(seconds{37}) == "37s");
  CHECK(model::format_age(seconds{312}) == "5m12s");
  CHECK(model::format_age(seconds{3 * 3600 + 240}) == "3h04m");
  CHECK(model::format_age(seconds{2 * 86400 + 3 * 3600}) == "2d03h");
  CHECK(model::format_age(seconds{-5}) == "0s");
}
