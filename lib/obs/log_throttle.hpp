#pragma once
// Rate-limited logging for lines that can repeat without bound (accept errors, failing
// cycles): the first line of each cause per interval goes out, later ones are counted, and the
// next line of that cause says how many were held back.

#include <spdlog/common.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::obs {

/// Decides which occurrences of a repeating log line are written. Thread-safe.
class LogThrottle {
public:
  using Clock = std::chrono::steady_clock;

  /// At most one line per cause per `interval`.
  explicit LogThrottle(Clock::duration interval = std::chrono::seconds(10));

  /// One occurrence of `message`, whose repeats are recognised by `cause`, at `now`. Returns
  /// the line to write (the message, plus " (N more in the last Ks)" when N repeats were held
  /// back since the previous line of that cause), or nullopt to hold this one back.
  std::optional<std::string> admit(std::string_view cause, std::string_view message,
                                   Clock::time_point now);

  /// admit() at the current time, written to the default logger at `level`.
  void log(spdlog::level::level_enum level, std::string_view cause, std::string_view message);

  /// Causes remembered at most; older quiet ones are forgotten beyond this.
  static constexpr std::size_t kMaxCauses = 256;

private:
  struct Cause {
    Clock::time_point last_line;
    std::uint64_t held_back = 0;
  };
  void forget_quiet(Clock::time_point now);

  Clock::duration interval_;
  std::mutex mutex_;
  std::map<std::string, Cause, std::less<>> causes_;
};

} // namespace taosync::obs
