#pragma once
// Shutdown of one client's calls: cancel() ends every wait (rate limit, ban, backoff) and every
// network operation in flight at once, and every later call fails before it is sent, so a
// stalled call cannot hold the process past SIGTERM.

#include "api/outcome.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>

namespace taosync::api {

/// The error a cancelled call ends with (kind fatal, code "cancelled"): never retried.
ApiFailure cancelled_failure(std::string_view what);

/// A one-way switch with hooks. Single-threaded: use it on the executor of the calls.
class Cancellation {
public:
  /// Keeps a hook registered while it lives.
  class Registration {
  public:
    Registration() = default;
    Registration(Cancellation* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration();

  private:
    Cancellation* owner_ = nullptr;
    std::uint64_t id_ = 0;
  };

  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  /// True once cancel() ran.
  bool cancelled() const { return cancelled_; }

  /// Runs every registered hook once; later registrations run theirs at once.
  void cancel();

  /// Calls `hook` (which must not throw) on cancel() while the returned registration lives.
  [[nodiscard]] Registration on_cancel(std::function<void()> hook);

  /// Throws cancelled_failure(what) if cancel() ran.
  void throw_if_cancelled(std::string_view what) const;

private:
  std::map<std::uint64_t, std::function<void()>> hooks_;
  std::uint64_t next_id_ = 0;
  bool cancelled_ = false;
};

} // namespace taosync::api
