#include "mtime_index.hpp"

#include <algorithm>

namespace taosync::sim {

void MtimeIndex::build(const std::vector<Entry>& sorted) {
  mtimes_.clear();
  orders_.clear();
  statuses_.clear();
  mtimes_.reserve(sorted.size());
  orders_.reserve(sorted.size());
  statuses_.reserve(sorted.size());
  for (const auto& e : sorted) {
    mtimes_.push_back(e.mtime);
    orders_.push_back(e.order);
    statuses_.push_back(e.status);
  }
  std::vector<std::uint8_t> ones(sorted.size());
  for (std::size_t s = 0; s <= kStatusCount; ++s) {
    for (std::size_t i = 0; i < sorted.size(); ++i)
      ones[i] = s == kAll || static_cast<std::size_t>(statuses_[i]) == s ? 1 : 0;
    counts_[s].assign(ones);
  }
  live_ = static_cast<std::int64_t>(sorted.size());
}

std::uint32_t MtimeIndex::append(std::int64_t mtime, std::uint32_t order, Status status) {
  auto slot = static_cast<std::uint32_t>(orders_.size());
  mtimes_.push_back(mtime);
  orders_.push_back(order);
  statuses_.push_back(status);
  for (std::size_t s = 0; s <= kStatusCount; ++s)
    counts_[s].push_back(s == kAll || static_cast<std::size_t>(status) == s ? 1 : 0);
  ++live_;
  return slot;
}

void MtimeIndex::erase(std::uint32_t slot) {
  if (orders_[slot] == kDead)
    return;
  orders_[slot] = kDead;
  counts_[kAll].add(slot, -1);
  counts_[static_cast<std::size_t>(statuses_[slot])].add(slot, -1);
  --live_;
}

std::pair<std::uint32_t, std::uint32_t> MtimeIndex::range(std::int64_t from,
                                                          std::int64_t to) const {
  auto lo = std::lower_bound(mtimes_.begin(), mtimes_.end(), from) - mtimes_.begin();
  auto hi = std::upper_bound(mtimes_.begin(), mtimes_.end(), to) - mtimes_.begin();
  if (hi < lo)
    hi = lo;
  return {static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)};
}

std::int64_t MtimeIndex::count(std::size_t status, std::uint32_t lo, std::uint32_t hi) const {
  return counts_[status].prefix(hi) - counts_[status].prefix(lo);
}

std::uint32_t MtimeIndex::select(std::size_t status, std::int64_t rank) const {
  return static_cast<std::uint32_t>(counts_[status].select(rank));
}

bool MtimeIndex::maybe_compact(const std::function<void(std::uint32_t, std::uint32_t)>& moved) {
  auto dead = static_cast<std::int64_t>(orders_.size()) - live_;
  if (dead < 4096 || dead < live_)
    return false;
  std::vector<Entry> kept;
  kept.reserve(static_cast<std::size_t>(live_));
  for (std::size_t i = 0; i < orders_.size(); ++i)
    if (orders_[i] != kDead)
      kept.push_back({mtimes_[i], orders_[i], statuses_[i]});
  build(kept);
  for (std::uint32_t i = 0; i < orders_.size(); ++i)
    moved(orders_[i], i);
  return true;
}

} // namespace taosync::sim
