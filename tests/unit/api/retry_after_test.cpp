// Retry-After as delta-seconds or an HTTP date, and the wait it makes: never shorter than the
// answer asked, never longer than api.retry.max_retry_after.

#include "api/retry_after.hpp"

#include <doctest/doctest.h>

using namespace taosync::api;
using namespace std::chrono_literals;

namespace {

// Wed, 21 Oct 2015 07:28:00 GMT
const auto kNow = std::chrono::system_clock::time_point(
                      std::chrono::sys_days(std::chrono::year(2015) / std::chrono::October / 21)) +
                  7h + 28min;

const RetryPolicy kPolicy{8, 200ms, 30s, 5min};

} // namespace

TEST_CASE("Retry-After in delta-seconds is that many seconds") {
  CHECK(parse_retry_after("3", kNow) == 3s);
  CHECK(parse_retry_after("0", kNow) == 0s);
  CHECK(parse_retry_after(" 120 ", kNow) == 120s);
  CHECK(parse_retry_after("99999999999999999999999", kNow) == std::chrono::days(3650));
}

TEST_CASE("Retry-After as an HTTP date is the time left until it, in every form") {
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:03 GMT", kNow) == 3s);
  CHECK(parse_retry_after("Wednesday, 21-Oct-15 07:30:00 GMT", kNow) == 120s);
  CHECK(parse_retry_after("Wed Oct 21 08:28:00 2015", kNow) == 3600s);
  CHECK(parse_retry_after("Wed Oct  1 07:28:00 2015", kNow) == 0s); // past: at once
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", kNow + 500ms) == 0s);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:01 GMT", kNow + 500ms) == 1s); // rounded up
}

TEST_CASE("a Retry-After that is neither is ignored") {
  for (const char* bad : {"", "soon", "-3", "3.5", "1e3", "Wed, 32 Oct 2015 07:28:00 GMT",
                          "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT",
                          "Wed, 21 Oct 2015 07:28:00 CET", "Wed, 21 Oct 215 07:28:00 GMT"}) {
    CAPTURE(bad);
    CHECK(parse_retry_after(bad, kNow) == std::nullopt);
  }
}

TEST_CASE("the wait is at least what the answer asked, held to max_retry_after") {
  CHECK(honour_retry_after(200ms, std::nullopt, kPolicy) == 200ms);
  CHECK(honour_retry_after(200ms, 3s, kPolicy) == 3s);
  CHECK(honour_retry_after(10s, 3s, kPolicy) == 10s); // a longer backoff or ban stands
  CHECK(honour_retry_after(200ms, 3600s, kPolicy) == 5min);
}

TEST_CASE("the log line says what the answer asked and when it was held") {
  CHECK(retry_after_note(std::nullopt, kPolicy).empty());
  CHECK(retry_after_note(3s, kPolicy) == "; Retry-After: 3s");
  CHECK(retry_after_note(900s, kPolicy) ==
        "; Retry-After: 900s, held to api.retry.max_retry_after 300s");
  CHECK(retry_after_note(2s, RetryPolicy{8, 200ms, 30s, 1500ms}) ==
        "; Retry-After: 2s, held to api.retry.max_retry_after 1500ms");
}
