// Exponential backoff with full jitter.

#include "api/retry.hpp"

#include <doctest/doctest.h>

using namespace taosync::api;
using namespace std::chrono_literals;

TEST_CASE("the backoff ceiling doubles from the initial wait up to the cap") {
  const RetryPolicy policy{8, 200ms, 3s, 5min};
  CHECK(backoff_ceiling(policy, 1) == 200ms);
  CHECK(backoff_ceiling(policy, 2) == 400ms);
  CHECK(backoff_ceiling(policy, 3) == 800ms);
  CHECK(backoff_ceiling(policy, 4) == 1600ms);
  CHECK(backoff_ceiling(policy, 5) == 3s);
  CHECK(backoff_ceiling(policy, 500) == 3s); // no overflow
}

TEST_CASE("full jitter spreads the wait over [0, ceiling]") {
  CHECK(full_jitter(1000ms, 0.0) == 0ms);
  CHECK(full_jitter(1000ms, 0.5) == 500ms);
  CHECK(full_jitter(1000ms, 0.999) == 999ms);
  CHECK(full_jitter(1000ms, 7.0) == 1000ms);
}

TEST_CASE("drawn delays stay under the ceiling and are not all alike") {
  Backoff backoff(RetryPolicy{8, 100ms, 1s, 5min}, 42);
  std::chrono::milliseconds lowest = 1s, highest = 0ms;
  for (int i = 0; i < 200; ++i) {
    const auto d = backoff.delay(3);
    CHECK(d <= 400ms);
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  CHECK(lowest < 100ms);
  CHECK(highest > 300ms);
}

TEST_CASE("the policy follows api.retry and never allows zero attempts") {
  taosync::config::ApiConfig::Retry retry;
  retry.max_attempts = 0;
  retry.initial_backoff = 50ms;
  retry.max_backoff = 5s;
  const auto policy = RetryPolicy::from(retry);
  CHECK(policy.max_attempts == 1);
  CHECK(policy.initial_backoff == 50ms);
  CHECK(policy.max_backoff == 5s);
  CHECK(policy.max_retry_after == 5min); // the config's default
}
