#pragma once
// Times of day and instants as the config writes them: "00:30", "2024-01-31",
// "2024-01-31T08:00:00+08:00".

#include "config/config.hpp"
#include "config/timezone.hpp"

#include <chrono>
#include <string>

namespace taosync::config::detail {

/// "HH:MM" (00:00..23:59) as minutes after midnight; throws ConfigError naming `key`.
std::chrono::minutes parse_time_of_day(const std::string& key, const std::string& text);

/// Minutes after midnight as "HH:MM".
std::string format_time_of_day(std::chrono::minutes at);

/// "YYYY-MM-DD" (local midnight in `tz`) or an RFC 3339 time; throws ConfigError naming `key`.
TimePoint parse_instant(const std::string& key, const std::string& text, const TimeZone& tz);

/// An instant as RFC 3339 UTC with whole seconds ("1970-01-01T00:00:00Z").
std::string format_instant(TimePoint t);

} // namespace taosync::config::detail
