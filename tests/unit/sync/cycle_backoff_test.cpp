// A shop's own backoff after failed or held cycles: doubling, capped, and never shorter than
// the poll interval.

#include "sync/cycle_backoff.hpp"

#include <doctest/doctest.h>

using namespace taosync::sync;
using namespace std::chrono_literals;

TEST_CASE("failed cycles in a row: the poll, then doubling up to five minutes") {
  CHECK(failure_backoff(10s, 0) == 10s);
  CHECK(failure_backoff(10s, 1) == 10s);
  CHECK(failure_backoff(10s, 2) == 20s);
  CHECK(failure_backoff(10s, 3) == 40s);
  CHECK(failure_backoff(10s, 6) == 5min);
  CHECK(failure_backoff(10s, 1000) == 5min); // no overflow however long it fails
  CHECK(failure_backoff(10min, 4) == 10min); // a poll longer than the cap stays the poll
}

TEST_CASE("held cycles: from the verify backoff, doubling, capped") {
  CHECK(held_backoff(1s, 30s, 0) == 30s);
  CHECK(held_backoff(1s, 30s, 1) == 60s);
  CHECK(held_backoff(1s, 30s, 20) == 5min);
  CHECK(held_backoff(1min, 30s, 0) == 1min);
}
