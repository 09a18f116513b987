// The Fenwick tree and the modification-time index against brute force.

#include "fenwick.hpp"
#include "mtime_index.hpp"
#include "prng.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

namespace taosync::sim {

TEST_CASE("Fenwick prefix sums and selection match brute force while it grows") {
  Prng rng(3);
  Fenwick tree;
  std::vector<int> values;
  std::vector<std::uint8_t> initial(37);
  for (auto& v : initial)
    v = static_cast<std::uint8_t>(rng.below(2));
  tree.assign(initial);
  values.assign(initial.begin(), initial.end());
  for (int step = 0; step < 2000; ++step) {
    if (rng.below(3) == 0) {
      int v = static_cast<int>(rng.below(2));
      tree.push_back(v);
      values.push_back(v);
    } else {
      auto pos = rng.below(values.size());
      if (values[pos] > 0) {
        tree.add(pos, -1);
        --values[pos];
      } else {
        tree.add(pos, 1);
        ++values[pos];
      }
    }
    auto n = rng.below(values.size() + 1);
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i)
      sum += values[i];
    REQUIRE(tree.prefix(n) == sum);
  }
  std::int64_t running = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == 0)
      continue;
    running += values[i];
    CHECK(tree.select(running) == i);
  }
  CHECK(tree.select(running + 1) == values.size());
}

TEST_CASE("MtimeIndex counts and selects per status across erase, append and compaction") {
  Prng rng(8);
  MtimeIndex index;
  std::vector<MtimeIndex::Entry> entries;
  for (std::uint32_t i = 0; i < 300; ++i)
    entries.push_back({static_cast<std::int64_t>(i / 3), i, static_cast<Status>(rng.below(4))});
  index.build(entries);
  std::vector<std::uint32_t> slot_of(300);
  std::vector<Status> status_of(300);
  for (std::uint32_t i = 0; i < 300; ++i) {
    slot_of[i] = i;
    status_of[i] = entries[i].status;
  }
  std::int64_t clock = 100;
  bool compacted = false;
  for (int step = 0; step < 12000; ++step) {
    auto order = static_cast<std::uint32_t>(rng.below(300));
    index.erase(slot_of[order]);
    clock += static_cast<std::int64_t>(rng.below(2));
    status_of[order] = static_cast<Status>(rng.below(4));
    slot_of[order] = index.append(clock, order, status_of[order]);
    compacted |= index.maybe_compact([&](std::uint32_t o, std::uint32_t s) { slot_of[o] = s; });
  }
  CHECK(compacted);
  CHECK(index.live() == 300);
  for (std::uint32_t o = 0; o < 300; ++o)
    CHECK(index.order_at(slot_of[o]) == o);
  // Brute force over the live slots of each window, per status and for all.
  for (std::int64_t from : {std::int64_t{0}, std::int64_t{105}, clock - 400, clock - 50}) {
    auto [lo, hi] = index.range(from, from + 300);
    for (auto s = lo; s < hi; ++s)
      CHECK(index.mtime_at(s) >= from);
    for (std::size_t status : {std::size_t{0}, std::size_t{1}, std::size_t{3}, MtimeIndex::kAll}) {
      CAPTURE(status);
      std::vector<std::uint32_t> live;
      for (auto s = lo; s < hi; ++s) {
        auto o = index.order_at(s);
        if (o != MtimeIndex::kDead &&
            (status == MtimeIndex::kAll || static_cast<std::size_t>(status_of[o]) == status))
          live.push_back(s);
      }
      REQUIRE(index.count(status, lo, hi) == static_cast<std::int64_t>(live.size()));
      auto before = index.count(status, 0, lo);
      for (std::size_t k = 0; k < live.size(); ++k)
        CHECK(index.select(status, before + static_cast<std::int64_t>(k) + 1) == live[k]);
    }
  }
}

} // namespace taosync::sim
