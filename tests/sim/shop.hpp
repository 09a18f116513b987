#pragma once
// The simulated shop: every order's id, times and status (the rest is derived, see
// catalog.hpp), indexes by modification and creation time, and the order lifecycle.

#include "mtime_index.hpp"
#include "prng.hpp"
#include "status.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace taosync::sim {

/// One order as stored: 40 bytes.
struct OrderRec {
  std::uint64_t id = 0;
  std::int64_t creation_ms = 0;
  std::int64_t mtime_ms = 0;        ///< of the order and of all its lines
  std::uint32_t slot = 0;           ///< position in the modification-time index
  std::uint32_t active_pos = kNone; ///< position in the lifecycle's active list
  Status status = Status::unpaid;   ///< of the order and of all its lines
  std::uint8_t lines = 1;
  static constexpr std::uint32_t kNone = UINT32_MAX;
};

/// One applied lifecycle change.
struct Change {
  std::uint32_t order;
  Status from;
  Status to;
  std::int64_t mtime_ms;
};

/// How the initial data is generated.
struct ShopConfig {
  std::uint64_t seed = 1;
  std::uint64_t orders = 1000; ///< total, the seed's two included
  std::int64_t anchor_ms = 1593076987000;
  std::chrono::milliseconds history = std::chrono::days{90};
  bool seed_orders = true; ///< holds the seed's two orders
  /// Order ids of several shops never collide: shop `id_lane` of `id_lanes` draws the random
  /// part of its ids from the residue class id_lane modulo id_lanes.
  std::uint32_t id_lane = 0;
  std::uint32_t id_lanes = 1;
  /// Every time is a multiple of this (1000: whole seconds, as Lazada's are).
  std::int64_t time_step_ms = 1;
};

/// All orders, sorted by id (new orders get ever larger ids).
class Shop {
public:
  /// Generates the initial orders, deterministically from the config.
  explicit Shop(const ShopConfig& config);

  /// Orders sorted by trade_order_id.
  const std::vector<OrderRec>& orders() const { return orders_; }

  /// Index into orders() of an id, if present.
  std::optional<std::uint32_t> find(std::uint64_t id) const;

  /// The modification-time index.
  const MtimeIndex& by_mtime() const { return by_mtime_; }

  /// Order indexes sorted by (creation_time, id).
  const std::vector<std::uint32_t>& by_creation() const { return by_creation_; }

  /// The data seed.
  std::uint64_t seed() const { return seed_; }

  /// Lines over all orders.
  std::int64_t line_total() const { return line_total_; }

  /// Applies n lifecycle changes, all stamped with the same ms: max(now, newest mtime).
  /// The seed's orders never change. Returns what changed (maybe fewer than n).
  std::vector<Change> apply_changes(int n, std::int64_t now_ms);

  /// Adds a new unpaid order created now; returns its index.
  std::uint32_t add_order(std::int64_t now_ms);

  /// Lifecycle changes applied so far.
  std::int64_t changes_applied() const { return changes_applied_; }

  /// Orders added since start.
  std::int64_t arrivals() const { return arrivals_; }

private:
  std::int64_t stamp(std::int64_t now_ms);
  std::uint64_t next_id(Prng& rng);
  std::optional<Change> change_one(std::int64_t ms);
  void set_status(std::uint32_t index, Status to, std::int64_t ms);
  void track_active(std::uint32_t index);
  void generate(const ShopConfig& config);

  /// `ms` floored to a multiple of step_.
  std::int64_t on_step(std::int64_t ms) const { return ms - ((ms % step_) + step_) % step_; }

  std::uint64_t seed_;
  std::int64_t step_ = 1; ///< ShopConfig::time_step_ms
  std::uint32_t id_lane_;
  std::uint32_t id_lanes_;
  std::vector<OrderRec> orders_;
  MtimeIndex by_mtime_;
  std::vector<std::uint32_t> by_creation_;
  std::vector<std::uint32_t> active_; // orders the lifecycle can move forward
  Prng life_rng_;
  std::uint64_t next_slot_ = 0;
  std::int64_t last_ms_ = 0;
  std::int64_t line_total_ = 0;
  std::int64_t changes_applied_ = 0;
  std::int64_t arrivals_ = 0;
};

} // namespace taosync::sim
