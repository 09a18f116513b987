#pragma once
// Reads the planner's next window with one /orders/get page, shrinking it while it overflows;
// pages through a single millisecond that holds more than a page until two passes agree.

#include "api/client.hpp"
#include "sync/window_planner.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <vector>

namespace taosync::sync {

namespace net = boost::asio;

/// One completely read window.
struct WindowRead {
  Window window;
  std::vector<api::Order> orders;
  std::vector<api::RejectedRecord> rejected;
  std::uint64_t calls = 0;      ///< /orders/get calls it took
  bool paged = false;           ///< read by the paging fallback
  std::int64_t first_total = 0; ///< total_count of the first (widest) window tried
};

/// Reads the next window of `planner` completely and moves the planner past it.
/// Precondition: !planner.done(). Throws api::ApiFailure.
net::awaitable<WindowRead> read_next_window(api::Client& client, WindowPlanner& planner);

} // namespace taosync::sync
