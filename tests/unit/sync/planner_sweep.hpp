#pragma once
// The window planner driven over a fake shop as the window reader drives it, checking its
// invariants at every call: shared by the planner's tests.

#include "sync/window_planner.hpp"
#include "test_orders.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace taosync::sync::test {

using namespace std::chrono_literals;

// A fake shop: sorted modification times; counts what an /orders/get window would report.
struct Shop {
  std::vector<std::int64_t> times;
  std::int64_t count(const Window& w) const {
    const auto lo = std::lower_bound(times.begin(), times.end(), w.from.time_since_epoch().count());
    const auto hi = std::upper_bound(times.begin(), times.end(), w.to.time_since_epoch().count());
    return hi - lo;
  }
};

struct SweepResult {
  std::vector<Window> accepted;
  std::int64_t calls = 0;
  std::int64_t orders = 0;
  std::int64_t page_throughs = 0;
};

// Drives the planner over [from, until] like the window reader does, checking invariants per
// call; a window of several pages costs a call per page.
inline SweepResult sweep(WindowPlanner& p, const Shop& shop, TimePoint from, TimePoint until) {
  SweepResult r;
  p.start(from, until);
  while (!p.done()) {
    const Window w = p.next();
    REQUIRE(w.from == p.position());
    REQUIRE(w.to >= w.from);
    REQUIRE(w.to <= until);
    REQUIRE(w.length() <= p.settings().max_length);
    const auto unit = p.settings().resolution;
    REQUIRE(w.from.time_since_epoch() % unit == 0ms); // whole units of the listing's step
    REQUIRE(w.length() % unit == 0ms);
    const auto n = shop.count(w);
    ++r.calls;
    const auto v = p.observe(w, n);
    if (v == Verdict::accept) {
      REQUIRE(n <= p.capacity());
      r.accepted.push_back(w);
      r.orders += n;
      const std::int64_t page = p.settings().page_size;
      r.calls += std::max<std::int64_t>(0, (n + page - 1) / page - 1); // its other pages
    } else if (v == Verdict::page_through) {
      REQUIRE(w.length() == unit);
      REQUIRE(n > p.capacity());
      ++r.page_throughs;
      p.accept(w, n);
      r.accepted.push_back(w);
      r.orders += n;
    } else {
      REQUIRE(p.next().from == w.from); // a split keeps the start...
      REQUIRE(p.next().to < w.to);      // ...and shrinks the end
    }
    REQUIRE(r.calls < 1'000'000);
  }
  return r;
}

inline void require_contiguous(const SweepResult& r, TimePoint from, TimePoint until) {
  REQUIRE_FALSE(r.accepted.empty());
  CHECK(r.accepted.front().from == from);
  CHECK(r.accepted.back().to == until);
  for (std::size_t i = 1; i < r.accepted.size(); ++i) {
    REQUIRE(r.accepted[i].from == r.accepted[i - 1].to + 1ms);
  }
}

} // namespace taosync::sync::test
