#include "api/async_sleep.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace taosync::api {

net::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration, Cancellation* cancel) {
  net::steady_timer timer(co_await net::this_coro::executor, duration);
  Cancellation::Registration registration;
  if (cancel) {
    cancel->throw_if_cancelled("wait");
    registration = cancel->on_cancel([&timer] { timer.cancel(); });
  }
  // operation_aborted is how a cancel() ends the wait; it is checked right below.
  auto [ec] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  if (cancel)
    cancel->throw_if_cancelled("wait");
  if (ec)
    throw boost::system::system_error(ec);
}

} // namespace taosync::api
