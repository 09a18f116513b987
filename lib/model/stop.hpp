#pragma once
// The one way taosync stops work in progress: a one-way switch that the sync's loops, every
// deliberate wait and every platform call in flight see. Stopping a part of the daemon is
// request() on its Stop; what is waiting ends at once, through the hooks the waits and calls
// registered (a timer or a socket cancelled), and what is about to start sees requested().
//
// Why hooks rather than Asio's per-operation cancellation slots: one request must reach every
// operation of a part at once (a shop's line fan-out has dozens of calls in flight, each in
// its own coroutine), and an Asio slot holds one handler; and a database write awaited when
// the request comes must still commit (the cursor it earned with it), so the request may not
// cancel whatever the coroutine happens to await. A hook names exactly what a request ends.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

namespace taosync::model {

namespace net = boost::asio;

/// How often a long Stop::wait reports that it is alive.
inline constexpr std::chrono::seconds kAliveTick{5};

class Stop {
public:
  /// Keeps a hook registered while it lives.
  class Registration {
  public:
    Registration() = default;
    Registration(const Stop* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration();

  private:
    const Stop* owner_ = nullptr;
    std::uint64_t id_ = 0;
  };

  /// request() runs the hooks on the calling thread: call it where the waits and calls run.
  Stop() = default;
  /// request() may come from any thread: the hooks run on `executor`, where the waits and
  /// calls run.
  explicit Stop(net::any_io_executor executor) : executor_(std::move(executor)) {}
  Stop(const Stop&) = delete;
  Stop& operator=(const Stop&) = delete;

  /// Asks to stop: runs every registered hook once; later registrations run theirs at once.
  void request();
  /// True once request() ran (on any thread).
  bool requested() const { return requested_.load(); }

  /// Calls `hook` (which must not throw) on request() while the returned registration lives;
  /// at once if a stop was already requested. Call it on the executor.
  [[nodiscard]] Registration on_request(std::function<void()> hook) const;

  /// Waits `duration` unless a stop is requested first (or was already). Calls `alive` (if
  /// set) at least every kAliveTick while it waits, so that a patient wait is not taken for a
  /// hung one. Call it on the executor.
  net::awaitable<void> wait(std::chrono::steady_clock::duration duration,
                            const std::function<void()>& alive = {}) const;

private:
  void run_hooks();

  std::optional<net::any_io_executor> executor_;
  std::atomic<bool> requested_{false};
  // Observing a stop (on_request, wait) is const: a `const Stop&` is a stop one may see but not
  // request.
  mutable std::map<std::uint64_t, std::function<void()>> hooks_; ///< on the executor only
  mutable std::uint64_t next_id_ = 0;
};

} // namespace taosync::model
