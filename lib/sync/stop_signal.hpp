#pragma once
// A stop request that every deliberate wait of the sync sees. request() may come from any
// thread (the service's signal handling); a wait in progress ends at once, and long waits
// say they are alive while they wait, so a patient engine is never taken for a hung one.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <set>

namespace taosync::sync {

namespace net = boost::asio;

/// How often a long wait reports that it is alive.
inline constexpr std::chrono::seconds kAliveTick{5};

class StopSignal {
public:
  /// Waits run on `executor`, the sync's one thread.
  explicit StopSignal(net::any_io_executor executor);
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  /// Asks the sync to stop. Thread-safe; waits in progress end.
  void request();
  /// True once request() ran.
  bool requested() const { return requested_.load(); }

  /// Waits `duration` unless a stop is requested first (or was already). Calls `alive` (if
  /// set) at least every kAliveTick while it waits. Call it on the executor.
  net::awaitable<void> wait(std::chrono::steady_clock::duration duration,
                            const std::function<void()>& alive = {}) const;

private:
  net::any_io_executor executor_;
  std::atomic<bool> requested_{false};
  mutable std::set<net::steady_timer*> waiting_; ///< used on the executor only
};

} // namespace taosync::sync
