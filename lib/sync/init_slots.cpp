#include "sync/init_slots.hpp"

#include <algorithm>
#include <chrono>

namespace taosync::sync {
namespace {

/// How often a waiter looks whether its turn came. Inits last seconds to hours: a slot freed
/// is taken within this, which costs nothing worth a wake-up mechanism of its own.
constexpr std::chrono::milliseconds kRecheck{200};

} // namespace

InitSlots::InitSlots(std::size_t slots) : slots_(std::max<std::size_t>(slots, 1)) {}

InitSlots::Slot& InitSlots::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void InitSlots::Slot::release() {
  if (owner_ != nullptr)
    --owner_->in_use_;
  owner_ = nullptr;
}

net::awaitable<std::optional<InitSlots::Slot>>
InitSlots::acquire(const model::Stop& stop, const std::function<void()>& alive) {
  const std::uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  while (queue_.front() != ticket || in_use_ >= slots_) {
    if (stop.requested()) {
      queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
      co_return std::nullopt;
    }
    co_await stop.wait(kRecheck, alive);
  }
  queue_.pop_front();
  ++in_use_;
  co_return Slot(this);
}

} // namespace taosync::sync
