#include "obs/notify.hpp"

#include "obs/api_ban.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <ctime>

namespace taosync::obs {

namespace {
using SteadyClock = std::chrono::steady_clock;
}

Notifier::Notifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_ = std::chrono::microseconds(usec);
  }
}

bool Notifier::enabled() const {
  const char* s = std::getenv("NOTIFY_SOCKET");
  return s && *s;
}

void Notifier::send(const std::string& message) {
  if (enabled())
    sd_notify(0, message.c_str());
}

void Notifier::ready() {
  send("READY=1");
}

void Notifier::status(std::string_view line) {
  std::string msg = "STATUS=";
  for (char c : line)
    msg += (c == '\n' || c == '\r') ? ' ' : c;
  send(msg);
}

void Notifier::reloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
                    static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void Notifier::stopping() {
  send("STOPPING=1");
}

void Notifier::watchdog() {
  send("WATCHDOG=1");
}

ProgressWatchdog::ProgressWatchdog(Notifier& notifier, std::chrono::microseconds interval,
                                   SteadyClock::duration stall_after)
    : notifier_(notifier), interval_(interval), stall_after_(stall_after),
      last_progress_(SteadyClock::now().time_since_epoch().count()) {}

void ProgressWatchdog::mark_progress() {
  last_progress_.store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

bool ProgressWatchdog::healthy() const {
  const SteadyClock::time_point last{
      SteadyClock::duration(last_progress_.load(std::memory_order_relaxed))};
  if (SteadyClock::now() - last < stall_after_)
    return true;
  // Waiting out a platform ban is deliberate, however long it lasts: the loop is excused until
  // the ban ends, and gets the usual stall_after to show progress after it.
  const auto stall_after =
      std::chrono::duration_cast<std::chrono::system_clock::duration>(stall_after_);
  return std::chrono::system_clock::now() < api_ban().latest() + stall_after;
}

net::awaitable<void> ProgressWatchdog::run() {
  net::steady_timer timer(co_await net::this_coro::executor);
  while (!stopped_) {
    if (healthy())
      notifier_.watchdog();
    timer.expires_after(interval_ / 2);
    co_await timer.async_wait(net::use_awaitable);
  }
}

} // namespace taosync::obs
