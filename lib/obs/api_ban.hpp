#pragma once
// The platform's ApiCallLimit ban in force, process-wide. The API client records it; the
// watchdog, STATUS=, /healthz, the metrics and `taosyncd status` show it, so that a long ban
// reads as the deliberate wait it is, not as a hang.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace taosync::obs {

/// The end of the latest ban. Thread-safe.
class ApiBan {
public:
  using WallClock = std::chrono::system_clock;

  /// A ban lasts until `until`; an earlier end than one already recorded is ignored.
  void record(WallClock::time_point until);
  /// The end of the ban in force at `now`, or nullopt when there is none.
  std::optional<WallClock::time_point> in_force(WallClock::time_point now) const;
  /// in_force() at the current time.
  std::optional<WallClock::time_point> in_force() const { return in_force(WallClock::now()); }
  /// The end of the latest ban ever recorded (0 = none), for the metrics gauge.
  WallClock::time_point latest() const;
  /// Forgets every ban (tests).
  void clear();

private:
  std::atomic<WallClock::rep> until_{0};
};

/// The process-wide instance.
ApiBan& api_ban();

/// "banned by the platform (ApiCallLimit) until 2024-03-10T12:34:56Z, 37s left".
std::string describe_ban(ApiBan::WallClock::time_point until, ApiBan::WallClock::time_point now);

/// "2024-03-10T12:34:56Z" (UTC, whole seconds).
std::string format_utc(ApiBan::WallClock::time_point t);

} // namespace taosync::obs
