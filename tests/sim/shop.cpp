#include "shop.hpp"

#include "catalog.hpp"

#include <algorithm>
#include <array>

namespace taosync::sim {

namespace {

constexpr std::int64_t kDayMs = 86400000;

/// A plausible status for an order of this age at the anchor time.
Status status_for_age(std::int64_t age_ms, std::uint64_t h) {
  using enum Status;
  if (age_ms < kDayMs) {
    static constexpr std::array<int, 4> kW = {25, 35, 30, 10};
    static constexpr std::array<Status, 4> kS = {unpaid, pending, ready_to_ship, canceled};
    return kS[pick_weighted(h, kW)];
  }
  if (age_ms < 4 * kDayMs) {
    static constexpr std::array<int, 4> kW = {10, 30, 45, 15};
    static constexpr std::array<Status, 4> kS = {pending, ready_to_ship, shipped, canceled};
    return kS[pick_weighted(h, kW)];
  }
  if (age_ms < 10 * kDayMs) {
    static constexpr std::array<int, 3> kW = {35, 55, 10};
    static constexpr std::array<Status, 3> kS = {shipped, delivered, canceled};
    return kS[pick_weighted(h, kW)];
  }
  static constexpr std::array<int, 5> kW = {82, 10, 6, 1, 1};
  static constexpr std::array<Status, 5> kS = {delivered, canceled, returned, failed, lost};
  return kS[pick_weighted(h, kW)];
}

/// The next status of an active order.
Status next_status(Status from, std::uint64_t h) {
  using enum Status;
  auto roll = h % 100;
  switch (from) {
  case unpaid:
    return roll < 85 ? pending : canceled;
  case pending:
    return roll < 90 ? ready_to_ship : canceled;
  case ready_to_ship:
    return roll < 95 ? shipped : canceled;
  default:
    return delivered;
  }
}

} // namespace

Shop::Shop(const ShopConfig& config)
    : seed_(config.seed), step_(std::max<std::int64_t>(1, config.time_step_ms)),
      id_lane_(config.id_lane), id_lanes_(std::max(1u, config.id_lanes)),
      life_rng_(hash_of(config.seed, 0x11FEC7C1Eu)) {
  generate(config);
}

void Shop::generate(const ShopConfig& config) {
  Prng gen(hash_of(config.seed, 0x6E4E7A7Eu));
  auto generated = config.seed_orders ? (config.orders > 2 ? config.orders - 2 : 0) : config.orders;
  auto history_ms = static_cast<std::uint64_t>(config.history.count());
  std::vector<std::int64_t> created(generated);
  for (auto& c : created)
    c = on_step(config.anchor_ms - static_cast<std::int64_t>(gen.below(history_ms + 1)));
  std::sort(created.begin(), created.end());

  orders_.reserve(generated + 2);
  // The seed's orders, exactly as the seed shows them (ids below every generated id).
  if (config.seed_orders) {
    orders_.push_back(
        {kSeedOrderB, 1592640805902, 1592641475712, 0, OrderRec::kNone, Status::ready_to_ship, 1});
    orders_.push_back(
        {kSeedOrderA, 1592988843859, 1592990587586, 0, OrderRec::kNone, Status::ready_to_ship, 1});
  }
  for (auto c : created) {
    OrderRec o;
    o.id = next_id(gen);
    o.creation_ms = c;
    auto age = config.anchor_ms - c;
    o.status = status_for_age(age, gen.next());
    o.mtime_ms = c;
    if (o.status != Status::unpaid && age > 0) {
      auto span = static_cast<std::uint64_t>(std::min<std::int64_t>(age, 10 * kDayMs));
      o.mtime_ms = std::max(c, on_step(c + 1 + static_cast<std::int64_t>(gen.below(span))));
    }
    o.lines = static_cast<std::uint8_t>(line_count_of(seed_, o.id));
    orders_.push_back(o);
  }

  by_creation_.resize(orders_.size());
  std::vector<MtimeIndex::Entry> entries;
  entries.reserve(orders_.size());
  for (std::uint32_t i = 0; i < orders_.size(); ++i) {
    by_creation_[i] = i;
    entries.push_back({orders_[i].mtime_ms, i, orders_[i].status});
    line_total_ += orders_[i].lines;
    last_ms_ = std::max(last_ms_, orders_[i].mtime_ms);
    if (!is_seed_order(orders_[i].id))
      track_active(i);
  }
  auto by_time_then_id = [this](std::uint32_t a, std::uint32_t b) {
    return std::pair(orders_[a].creation_ms, orders_[a].id) <
           std::pair(orders_[b].creation_ms, orders_[b].id);
  };
  std::sort(by_creation_.begin(), by_creation_.end(), by_time_then_id);
  std::sort(entries.begin(), entries.end(), [this](const auto& a, const auto& b) {
    return std::pair(a.mtime, orders_[a.order].id) < std::pair(b.mtime, orders_[b.order].id);
  });
  by_mtime_.build(entries);
  for (std::uint32_t slot = 0; slot < entries.size(); ++slot)
    orders_[entries[slot].order].slot = slot;
}

std::optional<std::uint32_t> Shop::find(std::uint64_t id) const {
  auto it = std::lower_bound(orders_.begin(), orders_.end(), id,
                             [](const OrderRec& o, std::uint64_t v) { return o.id < v; });
  if (it == orders_.end() || it->id != id)
    return std::nullopt;
  return static_cast<std::uint32_t>(it - orders_.begin());
}

std::uint64_t Shop::next_id(Prng& rng) {
  // With one lane this is kIdBase + slot * kSlotStride + rng.below(kLineStride).
  auto offset = rng.below(kLineStride / id_lanes_) * id_lanes_ + id_lane_;
  return kIdBase + next_slot_++ * kSlotStride + offset;
}

std::int64_t Shop::stamp(std::int64_t now_ms) {
  // modification_time never goes backwards, whatever the wall clock does.
  last_ms_ = std::max(last_ms_, on_step(now_ms));
  return last_ms_;
}

void Shop::track_active(std::uint32_t index) {
  auto& o = orders_[index];
  bool want = is_active(o.status) && !is_seed_order(o.id);
  if (want && o.active_pos == OrderRec::kNone) {
    o.active_pos = static_cast<std::uint32_t>(active_.size());
    active_.push_back(index);
  } else if (!want && o.active_pos != OrderRec::kNone) {
    auto last = active_.back();
    active_[o.active_pos] = last;
    orders_[last].active_pos = o.active_pos;
    active_.pop_back();
    o.active_pos = OrderRec::kNone;
  }
}

void Shop::set_status(std::uint32_t index, Status to, std::int64_t ms) {
  auto& o = orders_[index];
  by_mtime_.erase(o.slot);
  o.status = to;
  o.mtime_ms = ms;
  o.slot = by_mtime_.append(ms, index, to);
  track_active(index);
  by_mtime_.maybe_compact([this](std::uint32_t order, std::uint32_t slot) {
    if (order != MtimeIndex::kDead)
      orders_[order].slot = slot;
  });
}

std::optional<Change> Shop::change_one(std::int64_t ms) {
  // Mostly move an active order forward; now and then return a delivered one.
  if (active_.empty() || life_rng_.below(100) < 3) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      auto index = static_cast<std::uint32_t>(life_rng_.below(orders_.size()));
      if (orders_[index].status == Status::delivered && !is_seed_order(orders_[index].id)) {
        set_status(index, Status::returned, ms);
        return Change{index, Status::delivered, Status::returned, ms};
      }
    }
    if (active_.empty())
      return std::nullopt;
  }
  auto index = active_[life_rng_.below(active_.size())];
  auto from = orders_[index].status;
  auto to = next_status(from, life_rng_.next());
  set_status(index, to, ms);
  return Change{index, from, to, ms};
}

std::vector<Change> Shop::apply_changes(int n, std::int64_t now_ms) {
  std::vector<Change> applied;
  auto ms = stamp(now_ms);
  for (int i = 0; i < n; ++i) {
    if (auto c = change_one(ms)) {
      applied.push_back(*c);
      ++changes_applied_;
    }
  }
  return applied;
}

std::uint32_t Shop::add_order(std::int64_t now_ms) {
  auto ms = stamp(now_ms);
  OrderRec o;
  o.id = next_id(life_rng_);
  o.creation_ms = ms;
  o.mtime_ms = ms;
  o.status = Status::unpaid;
  o.lines = static_cast<std::uint8_t>(line_count_of(seed_, o.id));
  auto index = static_cast<std::uint32_t>(orders_.size());
  orders_.push_back(o);
  orders_[index].slot = by_mtime_.append(ms, index, o.status);
  by_creation_.push_back(index);
  track_active(index);
  line_total_ += o.lines;
  ++arrivals_;
  return index;
}

} // namespace taosync::sim
