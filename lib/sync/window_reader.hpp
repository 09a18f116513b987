#pragma once
// Reads the planner's next window: one /orders/get page, or its pages as one set (the same
// total_count on each, no order twice; else one page per window for the rest of the sweep),
// shrinking it while it overflows; pages through a single millisecond that holds more than a
// window may until two passes agree.
// Every answer kept is verified first (answer_check.hpp): one that does not add up is re-read
// with backoff, a bounded number of times, and then the window is held, never taken as read.
// The orders of a window's pages may be handed on as each page is verified (EarlyOrders), so
// that their lines are fetched and written while the rest of the window is asked; the window
// still moves a cursor only once read whole.

#include "api/platform.hpp"
#include "config/config.hpp"
#include "model/stop.hpp"
#include "sync/answer_check.hpp"
#include "sync/window_planner.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace taosync::sync {

namespace net = boost::asio;

/// How hard a window is tried before it is held. No request is repeated in a tight loop:
/// re-reads wait, and every attempt has a budget of calls.
struct ReadLimits {
  int rereads{};                                ///< sync.verify.rereads
  std::chrono::milliseconds backoff{};          ///< sync.verify.backoff; doubles per re-read
  std::chrono::milliseconds future_tolerance{}; ///< sync.verify.future_tolerance
  int max_calls = 64;                           ///< calls one attempt may spend
  int max_ms_pages = 50;                        ///< pages one unit of time may take
  int pages_in_flight = 4;                      ///< pages of one window asked at once
  std::chrono::milliseconds pass_pause{200};    ///< between passes over one millisecond

  /// The limits of `sync.verify`.
  static ReadLimits from(const config::SyncConfig::Verify& verify);
  /// Called while a re-read waits: a bounded, deliberate wait, not a hang (feeds the watchdog).
  std::function<void()> on_wait;
};

/// Takes the orders of a window's verified pages before the window is read whole. They carry
/// no cursor: a window that then does not add up is read again, and its orders come again
/// (the monotonic upsert makes writing them twice harmless).
using EarlyOrders = std::function<net::awaitable<void>(std::vector<model::Order>)>;

/// One read window: completely and consistently read, or held.
struct WindowRead {
  Window window;
  std::vector<model::Order> orders; ///< those not already handed to EarlyOrders
  std::vector<model::RejectedRecord> rejected;
  std::uint64_t early = 0;      ///< orders handed to EarlyOrders, over every attempt
  std::uint64_t calls = 0;      ///< /orders/get calls it took
  std::uint64_t rereads = 0;    ///< re-reads after answers that did not add up
  bool paged = false;           ///< read by the paging fallback
  std::int64_t first_total = 0; ///< total_count of the first (widest) window tried
  /// Non-empty when the window could not be verified: what disagreed. The planner has not
  /// moved past it, and nothing of it may move a cursor.
  std::string held;
};

/// Reads the next window of `planner` and, unless it is held, moves the planner past it.
/// With `early`, the orders of a window of several pages go to it page by page instead of into
/// the result (a window of one page, or paged through one millisecond, comes whole).
/// Precondition: !planner.done(). Throws api::ApiFailure. Gives up waiting once `stop` is
/// requested.
net::awaitable<WindowRead> read_next_window(api::Platform& client, WindowPlanner& planner,
                                            const ReadLimits& limits, const model::Stop& stop,
                                            const EarlyOrders* early = nullptr);

} // namespace taosync::sync
