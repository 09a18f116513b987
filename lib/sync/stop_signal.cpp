#include "sync/stop_signal.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace taosync::sync {

StopSignal::StopSignal(net::any_io_executor executor) : executor_(std::move(executor)) {}

void StopSignal::request() {
  requested_ = true;
  net::post(executor_, [this] {
    for (auto* timer : waiting_)
      timer->cancel();
  });
}

net::awaitable<void> StopSignal::wait(std::chrono::steady_clock::duration duration,
                                      const std::function<void()>& alive) const {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + duration;
  net::steady_timer timer(executor_);
  waiting_.insert(&timer);
  struct Leave {
    std::set<net::steady_timer*>& waiting;
    net::steady_timer* timer;
    ~Leave() { waiting.erase(timer); }
  } leave{waiting_, &timer};
  while (!requested()) {
    const auto left = until - Clock::now();
    if (left <= Clock::duration::zero())
      break;
    timer.expires_after(std::min<Clock::duration>(left, kAliveTick));
    // operation_aborted is how request() ends the wait early; the loop condition sees it.
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (alive)
      alive();
  }
}

} // namespace taosync::sync
