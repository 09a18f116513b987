#include "sync/engine_status.hpp"

#include <doctest/doctest.h>

using namespace taosync::sync;
using namespace std::chrono_literals;

TEST_CASE("the status line shows init progress") {
  EngineStatus s;
  s.phase = Phase::init;
  s.init_done_orders = 41000;
  s.init_total_orders = 100000;
  s.orders_per_second = 5200;
  CHECK(s.line() == "init 41% (41000/100000), 5200 orders/s");
}

TEST_CASE("the status line shows lag and the last cycle when idle") {
  EngineStatus s;
  s.phase = Phase::idle;
  s.lag = 37s;
  s.last_cycle_orders = 12;
  CHECK(s.line() == "idle, lag 37s, last cycle 12 orders");
}
