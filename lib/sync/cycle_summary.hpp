#pragma once
// The one log line per cycle (docs/design.md §5): window, orders new/updated/unchanged, lines, API
// calls, throttles, retries, lag and duration. Pure.

#include "model/calls.hpp"
#include "model/time_text.hpp"
#include "store/batch.hpp"
#include "sync/window_planner.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taosync::sync {

/// What one cycle did.
struct CycleSummary {
  std::string kind;             ///< "poll", "reconcile", "init"
  std::optional<Window> window; ///< nullopt: nothing to read
  std::uint64_t windows = 0;
  std::uint64_t listed = 0;
  store::WriteResult written;
  model::CallCounters calls; ///< deltas over the cycle
  std::chrono::milliseconds lag{0};
  std::chrono::milliseconds took{0};
};

/// Client counters `after - before`.
model::CallCounters counter_delta(const model::CallCounters& before,
                                  const model::CallCounters& after);

/// "poll [2026-...Z .. 2026-...Z] 1 window(s): 12 listed, 3 new, 2 updated, 7 unchanged, 0 stale;
/// 9 lines; 3 calls, 0 throttled, 0 retries; lag 31s; took 120ms".
std::string summary_line(const CycleSummary& s);

} // namespace taosync::sync
