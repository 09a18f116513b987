#include "sync/init_progress.hpp"

#include <doctest/doctest.h>

using namespace taosync::sync;
using namespace std::chrono_literals;

TEST_CASE("init progress: percent, rate, ETA and the report line") {
  const InitProgress::Clock::time_point t0{};
  InitProgress p(100'000, t0);
  p.add(41'000);
  CHECK(p.percent() == doctest::Approx(41.0));
  CHECK(p.rate(t0 + 10s) == doctest::Approx(4100.0));
  REQUIRE(p.eta(t0 + 10s));
  CHECK(*p.eta(t0 + 10s) == 15s); // 59000 left at 4100/s
  CHECK(p.line(t0 + 10s) == "init 41% (41000/100000), 4100 orders/s, ETA 15s");
}

TEST_CASE("init progress reports every 10 s at most") {
  const InitProgress::Clock::time_point t0{};
  InitProgress p(10, t0);
  CHECK_FALSE(p.due(t0 + 9s));
  CHECK(p.due(t0 + 10s));
  CHECK_FALSE(p.due(t0 + 15s));
  CHECK(p.due(t0 + 20s));
}

TEST_CASE("init progress with an exceeded or zero estimate stays sane") {
  const InitProgress::Clock::time_point t0{};
  InitProgress p(10, t0);
  p.add(25);
  CHECK(p.percent() == 100.0);
  CHECK(*p.eta(t0 + 1s) == 0s);
  InitProgress empty(0, t0);
  CHECK(empty.percent() == 100.0);
  CHECK_FALSE(empty.eta(t0)); // no rate yet
  CHECK(empty.line(t0).find("ETA unknown") != std::string::npos);
}
