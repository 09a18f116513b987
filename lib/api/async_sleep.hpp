#pragma once
// Waiting without blocking the network thread.

#include "api/cancellation.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace taosync::api {

namespace net = boost::asio;

/// Suspends the calling coroutine for `duration` on its executor's steady timer. With
/// `cancel`, its cancel() ends the wait at once with cancelled_failure (also if it ran before).
net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration,
                               Cancellation* cancel = nullptr);

} // namespace taosync::api
