#pragma once
// How many shops of a daemon run their init at once. An init is the heavy part of a shop's
// life: its pipeline holds a few batches of orders in memory and keeps calls queued. With
// many shops, inits take turns (first come, first served) so memory stays bounded and the
// shops already synced keep their share of the rate limit for their polls.

#include "model/stop.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

namespace taosync::sync {

namespace net = boost::asio;

class InitSlots {
public:
  /// At most `slots` (at least 1) inits at once. Use it on one executor only.
  explicit InitSlots(std::size_t slots);
  InitSlots(const InitSlots&) = delete;
  InitSlots& operator=(const InitSlots&) = delete;

  /// A slot held: returned to the slots when destroyed.
  class Slot {
  public:
    explicit Slot(InitSlots* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }

  private:
    void release();
    InitSlots* owner_;
  };

  /// Waits for a slot, in turn with the other waiters; nullopt if `stop` came first. Calls
  /// `alive` while it waits (see model::Stop::wait).
  net::awaitable<std::optional<Slot>> acquire(const model::Stop& stop,
                                              const std::function<void()>& alive = {});
  /// True if a slot is free for a newcomer now (nobody holds it or waits for it).
  bool free_now() const { return queue_.empty() && in_use_ < slots_; }
  std::size_t in_use() const { return in_use_; }
  std::size_t slots() const { return slots_; }

private:
  std::size_t slots_;
  std::size_t in_use_ = 0;
  std::uint64_t next_ticket_ = 0;
  std::deque<std::uint64_t> queue_; ///< tickets waiting, first come first
};

} // namespace taosync::sync
