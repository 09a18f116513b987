#pragma once
// Waiting without blocking the network thread.

#include "api/outcome.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace taosync::api {

namespace net = boost::asio;

/// Suspends the calling coroutine for `duration` on its executor's steady timer. With `stop`,
/// its request ends the wait at once with cancelled_failure (also if it came before).
net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration,
                               const model::Stop* stop = nullptr);

} // namespace taosync::api
