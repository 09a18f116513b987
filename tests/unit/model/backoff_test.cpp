// The one exponential backoff: its sequence, ceiling, reset, and jitter.

#include "model/backoff.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace taosync::model;
using namespace std::chrono_literals;

namespace {

/// Hands out the given draws in turn.
UnitDraw draws(std::vector<double> values) {
  return [values = std::move(values), i = std::size_t{0}]() mutable { return values.at(i++); };
}

} // namespace

TEST_CASE("each delay is the one before times the factor, up to the cap") {
  Backoff b({200ms, 2.0, 3s});
  CHECK(b.next() == 200ms);
  CHECK(b.next() == 400ms);
  CHECK(b.next() == 800ms);
  CHECK(b.next() == 1600ms);
  CHECK(b.next() == 3s);
  CHECK(b.next() == 3s);
}

TEST_CASE("a factor other than two grows by that factor") {
  Backoff b({100ms, 3.0, 1s});
  CHECK(b.next() == 100ms);
  CHECK(b.next() == 300ms);
  CHECK(b.next() == 900ms);
  CHECK(b.next() == 1s);
}

TEST_CASE("the cap holds however long the failures last") {
  Backoff b({1ms, 2.0, 5min});
  b.skip(5000);
  CHECK(b.next() == 5min);
  CHECK(b.next() == 5min);
  Backoff uncapped({1s});
  uncapped.skip(200); // far past any duration: saturates rather than overflows
  CHECK(uncapped.next() == std::chrono::milliseconds::max());
}

TEST_CASE("an initial delay above the cap starts at the cap") {
  Backoff b({10min, 2.0, 5min});
  CHECK(b.next() == 5min);
}

TEST_CASE("a zero or negative initial delay never waits") {
  Backoff zero({0ms, 2.0, 1s});
  CHECK(zero.next() == 0ms);
  CHECK(zero.next() == 0ms);
  Backoff negative({-5ms, 2.0, 1s});
  CHECK(negative.next() == 0ms);
}

TEST_CASE("reset starts the run again at the initial delay") {
  Backoff b({100ms, 2.0, 1s});
  b.next();
  b.next();
  CHECK(b.next() == 400ms);
  b.reset();
  CHECK(b.next() == 100ms);
  CHECK(b.next() == 200ms);
}

TEST_CASE("skip resumes a run counted elsewhere") {
  Backoff b({1s, 2.0, 1min});
  CHECK(b.skip(3).next() == 8s);
  CHECK(b.next() == 16s);
  CHECK(Backoff({1s, 2.0, 1min}).skip(0).next() == 1s);
  CHECK(Backoff({1s, 2.0, 1min}).skip(-4).next() == 1s);
}

TEST_CASE("full jitter spreads each delay over [0, its ceiling]") {
  Backoff b({1000ms, 2.0, 10s, true}, draws({0.0, 0.5, 0.999, 7.0, -1.0}));
  CHECK(b.next() == 0ms);    // ceiling 1 s
  CHECK(b.next() == 1000ms); // half of 2 s
  CHECK(b.next() == 3996ms); // 0.999 of 4 s, rounded
  CHECK(b.next() == 8000ms); // a draw past 1 counts as 1
  CHECK(b.next() == 0ms);    // one below 0 as 0
}

TEST_CASE("jittered delays from a seeded source stay under the ceiling and vary") {
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::chrono::milliseconds lowest = 1s, highest = 0ms;
  for (int i = 0; i < 200; ++i) {
    Backoff b({100ms, 2.0, 1s, true}, [&] { return unit(engine); });
    const auto d = b.skip(2).next(); // the third delay: ceiling 400 ms
    CHECK(d >= 0ms);
    CHECK(d <= 400ms);
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  CHECK(lowest < 100ms);
  CHECK(highest > 300ms);
}

TEST_CASE("without an injected source, jitter still stays within bounds") {
  Backoff b({100ms, 2.0, 1s, true});
  for (int i = 0; i < 50; ++i) {
    const auto d = b.next();
    CHECK(d >= 0ms);
    CHECK(d <= 1s);
  }
}
