#include "api/async_sleep.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace taosync::api {

net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration) {
  net::steady_timer timer(co_await net::this_coro::executor, duration);
  co_await timer.async_wait(net::use_awaitable);
}

} // namespace taosync::api
