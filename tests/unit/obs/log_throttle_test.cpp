#include "obs/log_throttle.hpp"

#include <doctest/doctest.h>

using namespace taosync::obs;
using namespace std::chrono_literals;

namespace {
const LogThrottle::Clock::time_point t0{};
}

TEST_CASE("the first line of a cause goes out, repeats within the interval are held back") {
  LogThrottle throttle(10s);
  CHECK(throttle.admit("accept", "accept failed: Too many open files", t0) ==
        "accept failed: Too many open files");
  for (int i = 1; i <= 412; ++i)
    CHECK_FALSE(throttle.admit("accept", "accept failed: Too many open files", t0 + i * 20ms));
  // The next line after the interval carries the count of what was held back.
  CHECK(throttle.admit("accept", "accept failed: Too many open files", t0 + 10s) ==
        "accept failed: Too many open files (412 more in the last 10s)");
  CHECK_FALSE(throttle.admit("accept", "x", t0 + 19s));
}

TEST_CASE("a line after a quiet interval has no count") {
  LogThrottle throttle(10s);
  CHECK(throttle.admit("c", "one", t0));
  CHECK(throttle.admit("c", "two", t0 + 25s) == "two");
}

TEST_CASE("causes are throttled independently") {
  LogThrottle throttle(1s);
  CHECK(throttle.admit("a", "a1", t0));
  CHECK(throttle.admit("b", "b1", t0 + 1ms));
  CHECK_FALSE(throttle.admit("a", "a2", t0 + 2ms));
  CHECK_FALSE(throttle.admit("b", "b2", t0 + 3ms));
  CHECK_FALSE(throttle.admit("b", "b3", t0 + 4ms));
  CHECK(throttle.admit("a", "a3", t0 + 1500ms) == "a3 (1 more in the last 1s)");
  CHECK(throttle.admit("b", "b4", t0 + 3s) == "b4 (2 more in the last 2s)");
}

TEST_CASE("a flood of distinct causes still lets each new cause through") {
  LogThrottle throttle(10s);
  for (std::size_t i = 0; i < 10 * LogThrottle::kMaxCauses; ++i)
    CHECK(throttle.admit("cause " + std::to_string(i), "m", t0 + std::chrono::milliseconds(i)));
  CHECK(throttle.admit("one more", "m", t0 + 1h));
}
