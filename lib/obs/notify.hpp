#pragma once
// systemd's notify protocol (sd_notify): READY, STATUS, RELOADING, STOPPING and watchdog
// pings that only go out while the sync loop makes progress.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::obs {

namespace net = boost::asio;

/// Sends notify messages to $NOTIFY_SOCKET; every call is a no-op outside systemd.
class Notifier {
public:
  /// Reads the watchdog setting (sd_watchdog_enabled) of this process.
  Notifier();

  /// True if $NOTIFY_SOCKET is set.
  bool enabled() const;
  void ready();
  /// STATUS=<one line>; newlines are replaced so the message stays one field.
  void status(std::string_view line);
  /// RELOADING=1 with MONOTONIC_USEC, as systemd's reload protocol asks.
  void reloading();
  void stopping();
  void watchdog();
  /// WatchdogSec of the unit, if the watchdog is enabled for this process.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

private:
  void send(const std::string& message);
  std::optional<std::chrono::microseconds> watchdog_;
};

/// Pings the watchdog only while the loop progresses: a stuck loop stops the pings and
/// systemd restarts the service.
class ProgressWatchdog {
public:
  /// `stall_after`: pings stop once no progress was seen for this long.
  ProgressWatchdog(Notifier& notifier, std::chrono::microseconds interval,
                   std::chrono::steady_clock::duration stall_after);

  /// The loop made progress (any thread).
  void mark_progress();
  /// True if progress was seen within stall_after, or a platform ban (obs/api_ban.hpp) is in
  /// force or ended less than stall_after ago.
  bool healthy() const;
  /// Pings every interval/2 while healthy(), until the executor stops or stop() is called.
  net::awaitable<void> run();
  void stop() { stopped_ = true; }

private:
  Notifier& notifier_;
  std::chrono::microseconds interval_;
  std::chrono::steady_clock::duration stall_after_;
  std::atomic<std::chrono::steady_clock::rep> last_progress_;
  std::atomic<bool> stopped_{false};
};

} // namespace taosync::obs
