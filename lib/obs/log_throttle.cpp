#include "obs/log_throttle.hpp"

#include <spdlog/spdlog.h>

namespace taosync::obs {

LogThrottle::LogThrottle(Clock::duration interval) : interval_(interval) {}

std::optional<std::string> LogThrottle::admit(std::string_view cause, std::string_view message,
                                              Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = causes_.find(cause);
  if (it == causes_.end()) {
    if (causes_.size() >= kMaxCauses)
      forget_quiet(now);
    causes_.emplace(std::string(cause), Cause{now, 0});
    return std::string(message);
  }
  Cause& c = it->second;
  if (now - c.last_line < interval_) {
    ++c.held_back;
    return std::nullopt;
  }
  std::string line(message);
  if (c.held_back > 0) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - c.last_line);
    line += " (" + std::to_string(c.held_back) + " more in the last " +
            std::to_string(secs.count()) + "s)";
  }
  c = Cause{now, 0};
  return line;
}

void LogThrottle::log(spdlog::level::level_enum level, std::string_view cause,
                      std::string_view message) {
  if (auto line = admit(cause, message, Clock::now()))
    spdlog::log(level, "{}", *line);
}

void LogThrottle::forget_quiet(Clock::time_point now) {
  // Causes not seen for an interval have nothing to hold back any more but their count.
  std::erase_if(causes_,
                [&](const auto& entry) { return now - entry.second.last_line >= interval_; });
  if (causes_.size() >= kMaxCauses)
    causes_.clear(); // a flood of distinct causes: start over rather than grow
}

} // namespace taosync::obs
