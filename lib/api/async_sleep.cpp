#include "api/async_sleep.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace taosync::api {

net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration,
                               const model::Stop* stop) {
  if (!stop) {
    net::steady_timer timer(co_await net::this_coro::executor, duration);
    co_await timer.async_wait(net::use_awaitable);
    co_return;
  }
  throw_if_stopped(*stop, "wait");
  co_await stop->wait(duration);
  throw_if_stopped(*stop, "wait");
}

} // namespace taosync::api
