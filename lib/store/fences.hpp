#pragma once
// The fences this daemon holds: for each shop whose lease it holds, the epoch a write for that
// shop must still hold in the database to commit. The lease keeper updates it from the network
// thread; the writer thread reads it as each write begins.

#include "store/leases.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace taosync::store {

/// A thread-safe registry of held fences, and whether leases are in use at all.
class Fences {
public:
  /// Leases in use: every write for a shop needs that shop's fence. Off (the default), writes
  /// run unfenced, as with a single daemon.
  void set_in_use(bool in_use);
  /// Whether leases are in use.
  bool in_use() const;

  /// Records that this daemon holds `shop`'s lease as `fence`.
  void hold(const std::string& shop, Fence fence);
  /// Forgets `shop`'s fence: later writes for it are refused.
  void drop(const std::string& shop);
  /// The fence held for `shop`, if any.
  std::optional<Fence> held(const std::string& shop) const;

  /// What a write for `shop` must check before it commits: nullopt with leases off, the held
  /// fence with leases on. Throws LeaseLost naming the shop when leases are on and none is held.
  std::optional<Fence> for_write(const std::string& shop) const;

private:
  std::atomic<bool> in_use_{false};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Fence> held_; ///< guarded by mutex_
};

} // namespace taosync::store
