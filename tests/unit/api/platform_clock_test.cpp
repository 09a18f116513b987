// The platform's clock as the answers show it: Date headers and modification times, carried
// forward on the steady clock, whatever the host's clock does.

#include "api/platform_clock.hpp"

#include <doctest/doctest.h>

using namespace taosync::api;
using namespace std::chrono;
using namespace std::chrono_literals;
using Steady = steady_clock;

namespace {

const sys_seconds kDate = sys_days{2026y / December / 1} + 10h;
const Steady::time_point kT0 = Steady::time_point{} + 1000h;

// A Date answered by a call sent at `sent` that took `round_trip`, the host's clock reading
// `host` when it arrived.
DateSample sample(sys_seconds date, Steady::time_point sent, Steady::duration round_trip,
                  system_clock::time_point host) {
  return DateSample{date, sent, sent + round_trip, host};
}

taosync::model::TimePoint ms(sys_seconds t) {
  return time_point_cast<milliseconds>(t);
}

} // namespace

TEST_CASE("parse_http_date reads IMF-fixdate and refuses anything else") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") ==
        sys_days{1994y / November / 6} + 8h + 49min + 37s);
  CHECK(parse_http_date("Tue, 01 Dec 2026 10:00:00 GMT") == kDate);
  CHECK_FALSE(parse_http_date(""));
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT")); // RFC 850: never sent today
  CHECK_FALSE(parse_http_date("Sun Nov  6 08:49:37 1994"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Now 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 24:49:37 GMT"));
}

TEST_CASE("a clock without any Date knows nothing, and ignores modification times") {
  PlatformClock clock;
  clock.observe_time(ms(kDate), kT0);
  CHECK_FALSE(clock.lower_bound(kT0));
  CHECK_FALSE(clock.offset());
}

TEST_CASE("the lower bound is the Date carried forward on the steady clock") {
  PlatformClock clock;
  clock.observe_date(sample(kDate, kT0, 100ms, system_clock::time_point{kDate}));
  CHECK(clock.lower_bound(kT0 + 100ms) == ms(kDate));
  CHECK(clock.lower_bound(kT0 + 100ms + 5min) == ms(kDate) + 5min);
}

TEST_CASE("the host's clock stepping moves neither the bound nor the windows, only the offset") {
  PlatformClock clock;
  // The host reads the same as the platform, then its clock steps 10 minutes ahead.
  clock.observe_date(sample(kDate, kT0, 0ms, system_clock::time_point{kDate}));
  CHECK(clock.offset() == 500ms);
  clock.observe_date(
      sample(kDate + 60s, kT0 + 60s, 0ms, system_clock::time_point{kDate} + 60s + 10min));
  CHECK(clock.lower_bound(kT0 + 61s) == ms(kDate) + 61s);
  CHECK(clock.offset() == -10min + 500ms);
  CHECK(clock.steps_back() == 0);
}

TEST_CASE("the offset is the Date's middle against the host's clock at the call's middle") {
  PlatformClock clock;
  // The platform runs 5 minutes behind; the call took 2 s.
  const auto host = system_clock::time_point{kDate} + 5min + 2s;
  clock.observe_date(sample(kDate, kT0, 2s, host));
  CHECK(clock.offset() == -5min + 500ms - 1s);
}

TEST_CASE("the highest reading wins: a later Date, or a modification time within the bounds") {
  PlatformClock clock;
  clock.observe_date(sample(kDate, kT0, 1s, {}));
  // Stamped just before the header's second ticked over: 999 ms past the Date.
  clock.observe_time(ms(kDate) + 999ms, kT0 + 1s);
  CHECK(clock.lower_bound(kT0 + 1s) == ms(kDate) + 999ms);
  // A Date that says less than the bound already does changes nothing.
  clock.observe_date(sample(kDate, kT0 + 1s, 0ms, {}));
  CHECK(clock.lower_bound(kT0 + 2s) == ms(kDate) + 1999ms);
}

TEST_CASE("a modification time from the platform's future is a lie, not a clock reading") {
  PlatformClock clock;
  clock.observe_date(sample(kDate, kT0, 100ms, {}));
  clock.observe_time(ms(kDate) + 1h, kT0 + 100ms);
  CHECK(clock.lower_bound(kT0 + 100ms) == ms(kDate));
  // Just past what the Date allows (its second plus the call's round trip): refused too.
  clock.observe_time(ms(kDate) + 1101ms, kT0 + 100ms);
  CHECK(clock.lower_bound(kT0 + 100ms) == ms(kDate));
}

TEST_CASE(
    "a Date that contradicts the bound means the platform's clock went back: it is followed") {
  PlatformClock clock;
  clock.observe_date(sample(kDate, kT0, 100ms, {}));
  // 60 s later by the steady clock the platform says it is 10 minutes earlier.
  clock.observe_date(sample(kDate - 9min, kT0 + 60s, 100ms, {}));
  CHECK(clock.steps_back() == 1);
  CHECK(clock.lower_bound(kT0 + 60s + 100ms) == ms(kDate) - 9min);
  // And a step forward is followed at once.
  clock.observe_date(sample(kDate + 20min, kT0 + 61s, 100ms, {}));
  CHECK(clock.lower_bound(kT0 + 61s + 100ms) == ms(kDate) + 20min);
  CHECK(clock.steps_back() == 1);
  // Modification times are checked against the newest Date's bounds only.
  clock.observe_time(ms(kDate) + 20min + 500ms, kT0 + 61s + 100ms);
  CHECK(clock.lower_bound(kT0 + 61s + 100ms) == ms(kDate) + 20min + 500ms);
}

TEST_CASE("a slow round trip widens what a Date allows, never the lower bound") {
  PlatformClock clock;
  clock.observe_date(sample(kDate, kT0, 3s, {}));
  CHECK(clock.lower_bound(kT0 + 3s) == ms(kDate));
  // A later, quick call whose Date is within the first's uncertainty is no step.
  clock.observe_date(sample(kDate + 1s, kT0 + 3s, 10ms, {}));
  CHECK(clock.steps_back() == 0);
  CHECK(clock.lower_bound(kT0 + 3s + 10ms) == ms(kDate) + 1s);
}
