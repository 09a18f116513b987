#pragma once
// The last few warnings and errors the daemon logged, redacted, for the status page: a small
// ring filled by a log sink, so whatever is logged at warn or above shows up without each
// caller having to report it twice.

#include <spdlog/sinks/sink.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace taosync::obs {

/// One logged line at warn or above.
struct RecentError {
  std::chrono::system_clock::time_point at;
  std::string level;   ///< "warn", "error" or "critical"
  std::string message; ///< with every registered secret masked, cut to kMaxMessage bytes
};

/// A bounded, thread-safe ring of the newest RecentErrors.
class RecentErrors {
public:
  /// Longest message kept; the rest is cut and marked with "…".
  static constexpr std::size_t kMaxMessage = 400;

  explicit RecentErrors(std::size_t capacity) : capacity_(capacity) {}

  /// Keeps `message` (redacted and cut here), dropping the oldest line past the capacity.
  void add(std::chrono::system_clock::time_point at, std::string level, std::string_view message);
  /// The lines kept, newest first.
  std::vector<RecentError> newest_first() const;
  /// Forgets every line (tests).
  void clear();

private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<RecentError> lines_; ///< oldest first; guarded by mutex_
};

/// The process-wide ring (the newest 20 lines).
RecentErrors& recent_errors();

/// A log sink that copies every line at warn or above into recent_errors().
std::shared_ptr<spdlog::sinks::sink> recent_errors_sink();

} // namespace taosync::obs
