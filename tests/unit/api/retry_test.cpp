// Exponential backoff with full jitter.

#include "api/retry.hpp"

#include <doctest/doctest.h>

#include <utility>

using namespace taosync::api;
using namespace std::chrono_literals;

TEST_CASE("the backoff ceiling doubles from the initial wait up to the cap") {
  const RetryPolicy policy{8, 200ms, 3s, 5min};
  // A draw of 1, as high as full jitter goes, is each delay's ceiling.
  taosync::model::Backoff backoff(policy.backoff(), [] { return 1.0; });
  CHECK(backoff.next() == 200ms);
  CHECK(backoff.next() == 400ms);
  CHECK(backoff.next() == 800ms);
  CHECK(backoff.next() == 1600ms);
  CHECK(backoff.next() == 3s);
  CHECK(backoff.skip(494).next() == 3s); // no overflow
}

TEST_CASE("full jitter spreads the wait over [0, ceiling]") {
  const RetryPolicy policy{8, 1000ms, 1000ms, 5min};
  for (const auto& [unit, wait] : {std::pair{0.0, 0ms}, std::pair{0.5, 500ms},
                                   std::pair{0.999, 999ms}, std::pair{7.0, 1000ms}}) {
    taosync::model::Backoff backoff(policy.backoff(), [unit = unit] { return unit; });
    CHECK(backoff.next() == wait);
  }
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
