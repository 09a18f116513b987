#pragma once
// Waiting without blocking the network thread.

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace taosync::api {

namespace net = boost::asio;

/// Suspends the calling coroutine for `duration` on its executor's steady timer.
net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration);

} // namespace taosync::api
