#include "model/stop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <utility>

namespace taosync::model {

Stop::Registration::Registration(Registration&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}

Stop::Registration& Stop::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    if (owner_)
      owner_->hooks_.erase(id_);
    owner_ = std::exchange(other.owner_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

Stop::Registration::~Registration() {
  if (owner_)
    owner_->hooks_.erase(id_);
}

void Stop::request() {
  if (requested_.exchange(true))
    return;
  if (executor_)
    net::dispatch(*executor_, [this] { run_hooks(); }); // inline when already on it
  else
    run_hooks();
}

void Stop::run_hooks() {
  // A hook only cancels an operation; its completion runs later. Take the hooks out first, so
  // that nothing a hook does can disturb the iteration.
  auto hooks = std::exchange(hooks_, {});
  for (auto& [id, hook] : hooks)
    hook();
}

Stop::Registration Stop::on_request(std::function<void()> hook) const {
  if (requested()) {
    hook();
    return {};
  }
  const auto id = next_id_++;
  hooks_.emplace(id, std::move(hook));
  return {this, id};
}

net::awaitable<void> Stop::wait(std::chrono::steady_clock::duration duration,
                                const std::function<void()>& alive) const {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + duration;
  net::steady_timer timer(co_await net::this_coro::executor);
  const auto registration = on_request([&timer] { timer.cancel(); });
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

} // namespace taosync::model
