#include "sync/cycle_summary.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace std::chrono;
using namespace std::chrono_literals;

TEST_CASE("times are logged as UTC RFC 3339 with milliseconds") {
  CHECK(model::format_time(model::TimePoint(1592990587586ms)) == "2020-06-24T09:23:07.586Z");
  CHECK(model::format_time(model::TimePoint(0ms)) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("the cycle summary names the window, the counts, the calls, the lag and the time") {
  sync::CycleSummary s;
  s.kind = "poll";
  s.window = sync::Window{model::TimePoint(0ms), model::TimePoint(59'999ms)};
  s.windows = 1;
  s.listed = 12;
  s.written.inserted = 3;
  s.written.updated = 2;
  s.written.unchanged = 7;
  s.written.lines = 9;
  s.calls = sync::counter_delta(model::CallCounters{10, 1, 2, 0}, model::CallCounters{13, 1, 3, 0});
  s.lag = 31'500ms;
  s.took = 120ms;
  CHECK(sync::summary_line(s) ==
        "poll [1970-01-01T00:00:00.000Z .. 1970-01-01T00:00:59.999Z] 1 window(s): 12 listed, 3 "
        "new, 2 updated, 7 unchanged, 0 stale; 9 lines; 3 calls, 0 throttled, 1 retries; lag "
        "31s; took 120ms");
}

TEST_CASE("a cycle with nothing new says so") {
  sync::CycleSummary s;
  s.kind = "poll";
  CHECK(sync::summary_line(s).rfind("poll nothing new: 0 listed", 0) == 0);
}
