#pragma once
// Orders by modification_time. Every change moves an order to the end (its new mtime is the
// newest), so the index is an append-only log of (mtime, order) with dead entries, plus one
// Fenwick tree per status that counts live entries: exact total_count for any window and
// status, and the k-th entry, both in O(log n).

#include "fenwick.hpp"
#include "status.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace taosync::sim {

/// The modification-time log. Positions ("slots") are stable until compact().
class MtimeIndex {
public:
  static constexpr std::uint32_t kDead = UINT32_MAX;
  /// Passed as a status to count or select over all statuses.
  static constexpr std::size_t kAll = kStatusCount;

  /// One live entry for build().
  struct Entry {
    std::int64_t mtime;
    std::uint32_t order;
    Status status;
  };

  /// Rebuilds from entries sorted by mtime; returns nothing, slots are the entries' positions.
  void build(const std::vector<Entry>& sorted);

  /// Appends an entry; mtime must be >= the last one. Returns its slot.
  std::uint32_t append(std::int64_t mtime, std::uint32_t order, Status status);

  /// Kills the entry at `slot`.
  void erase(std::uint32_t slot);

  /// Slots [lo, hi) whose mtime lies in [from, to].
  std::pair<std::uint32_t, std::uint32_t> range(std::int64_t from, std::int64_t to) const;

  /// Live entries of `status` (or kAll) in slots [lo, hi).
  std::int64_t count(std::size_t status, std::uint32_t lo, std::uint32_t hi) const;

  /// The slot of the rank-th (1-based) live entry of `status` counted from slot 0.
  std::uint32_t select(std::size_t status, std::int64_t rank) const;

  /// The order at a slot, or kDead.
  std::uint32_t order_at(std::uint32_t slot) const { return orders_[slot]; }

  /// The mtime at a slot.
  std::int64_t mtime_at(std::uint32_t slot) const { return mtimes_[slot]; }

  /// Number of slots, live or dead.
  std::uint32_t slots() const { return static_cast<std::uint32_t>(orders_.size()); }

  /// Live entries.
  std::int64_t live() const { return live_; }

  /// Drops dead slots when they outnumber live ones; `moved(order, new_slot)` is called for
  /// every live entry. Returns true if it compacted.
  bool maybe_compact(const std::function<void(std::uint32_t, std::uint32_t)>& moved);

private:
  std::vector<std::int64_t> mtimes_;
  std::vector<std::uint32_t> orders_;
  std::vector<Status> statuses_;
  std::array<Fenwick, kStatusCount + 1> counts_; // per status, then all
  std::int64_t live_ = 0;
};

} // namespace taosync::sim
