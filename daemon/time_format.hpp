#pragma once
// Human-readable times for `taosyncd status` and audit output.

#include "sync/cycle_summary.hpp"

#include <chrono>
#include <string>

namespace taosync::daemon {

/// "2024-03-10T04:34:56.789Z" (shared with the sync loop's summary lines).
using sync::format_time;
/// "2024-03-10".
std::string format_day(std::chrono::sys_days d);
/// "37s", "5m12s", "3h04m", "2d03h".
std::string format_age(std::chrono::seconds s);

} // namespace taosync::daemon
