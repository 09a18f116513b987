#pragma once
// How a platform's order listing may be asked: the step of its time filters, how deep its
// paging reaches, and how lines are fetched. The sync plans windows and line calls by these
// values alone, so that it names no platform. Pure.

#include "model/records.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace taosync::model {

/// Which ids a line call takes.
enum class LinesBy {
  line_id,  ///< the line ids a listing carries (Taobao TW)
  order_id, ///< the order ids themselves: the listing carries no line ids (Lazada)
};

/// What a platform's listing allows. A window of modification times is asked as whole units
/// of `resolution`: it starts at a unit's first millisecond and ends at one's last.
struct ListingRules {
  std::chrono::milliseconds resolution{1}; ///< the step of the listing's time filters
  int max_page_size = 100;                 ///< the most orders one page may hold
  /// No page may start at or past this many orders into a listing (0: no such cap). A window
  /// that holds more must be cut until none does.
  std::int64_t offset_cap = 0;
  /// The listing can also be narrowed on creation time: a unit of modification time holding
  /// more orders than the offset cap reaches is read in creation-time slices.
  bool creation_filter = false;
  LinesBy lines_by = LinesBy::line_id;
  int max_ids_per_line_call = 50; ///< ids one line call may take

  /// Pages of `page_size` a listing may reach before the offset cap (at least 1), or `wanted`
  /// when that is fewer.
  int reachable_pages(int page_size, int wanted) const {
    if (offset_cap <= 0 || page_size <= 0)
      return wanted;
    const auto reachable = std::max<std::int64_t>(1, offset_cap / page_size);
    return static_cast<int>(std::min<std::int64_t>(wanted, reachable));
  }
};

/// The first millisecond of the unit of `resolution` that holds `t`.
inline TimePoint unit_start(TimePoint t, std::chrono::milliseconds resolution) {
  const auto r = resolution.count() > 0 ? resolution : std::chrono::milliseconds(1);
  auto since = t.time_since_epoch() % r;
  if (since.count() < 0)
    since += r;
  return t - since;
}

/// The last millisecond of the latest unit of `resolution` that ends at or before `t`: where a
/// window may end without reaching past `t`.
inline TimePoint unit_end_by(TimePoint t, std::chrono::milliseconds resolution) {
  return unit_start(t + std::chrono::milliseconds(1), resolution) - std::chrono::milliseconds(1);
}

} // namespace taosync::model
