// Token-bucket arithmetic with an injected clock.

#include "api/token_bucket.hpp"

#include <doctest/doctest.h>

using taosync::api::TokenBucket;
using namespace std::chrono_literals;

namespace {
const TokenBucket::TimePoint t0{std::chrono::seconds(1000)};
}

TEST_CASE("a full bucket lets a burst through, then spaces callers 1/rate apart") {
  TokenBucket bucket(10.0, 3, t0);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 0ms);
  CHECK(bucket.reserve(t0) == 100ms);
  CHECK(bucket.reserve(t0) == 200ms);
  CHECK(bucket.tokens(t0) == doctest::Approx(-2.0));
}

TEST_CASE("tokens refill at the rate and never beyond the burst") {
  TokenBucket bucket(4.0, 2, t0);
  bucket.reserve(t0);
  bucket.reserve(t0);
  CHECK(bucket.tokens(t0) == doctest::Approx(0.0));
  CHECK(bucket.tokens(t0 + 250ms) == doctest::Approx(1.0));
  CHECK(bucket.tokens(t0 + 10s) == doctest::Approx(2.0));
  CHECK(bucket.reserve(t0 + 250ms) == 0ms);
  CHECK(bucket.reserve(t0 + 250ms) == 250ms);
}

TEST_CASE("a sustained caller gets exactly the rate") {
  TokenBucket bucket(20.0, 1, t0);
  auto now = t0;
  int granted = 0;
  while (now < t0 + 10s) {
    now += bucket.reserve(now);
    ++granted;
  }
  CHECK(granted == doctest::Approx(201).epsilon(0.01)); // 1 burst + 20/s * 10 s
}

TEST_CASE("a restart after a ban holds calls until the ban ends") {
  TokenBucket bucket(10.0, 10, t0);
  bucket.restart_at(t0 + 2s, 1.0);
  CHECK(bucket.reserve(t0) == 2s);         // the one token is usable at the ban's end
  CHECK(bucket.reserve(t0) == 2s + 100ms); // the next one is earned 1/rate later
  CHECK(bucket.reserve(t0 + 3s) == 0ms);   // by then the bucket refilled
}

TEST_CASE("a rate of zero is unlimited") {
  TokenBucket bucket(0.0, 1, t0);
  for (int i = 0; i < 1000; ++i)
    CHECK(bucket.reserve(t0) == 0ms);
}

TEST_CASE("a new rate keeps the balance, capped at the new burst") {
  TokenBucket bucket(10.0, 10, t0);
  bucket.set_rate(1.0, 2, t0);
  CHECK(bucket.tokens(t0) == doctest::Approx(2.0));
  bucket.reserve(t0);
  bucket.reserve(t0);
  CHECK(bucket.reserve(t0) == 1s);
}
