#pragma once
// A shop's sync cursor, stored in taosync.sync_state and committed with the data it covers.

#include "model/records.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taosync::store {

using model::TimePoint;

/// Per-shop progress. Invariant: every order modified at or before `hwm` is stored.
struct SyncState {
  std::string shop;
  std::optional<TimePoint> hwm;         ///< incremental cursor; set when init completes
  std::optional<TimePoint> init_t0;     ///< the instant the init sweeps up to
  std::optional<TimePoint> init_cursor; ///< init swept [init.start, init_cursor]
  bool init_done = false;
  std::optional<std::chrono::sys_days> last_reconciled_day; ///< local date last re-swept
  std::optional<std::chrono::system_clock::time_point> last_cycle_at;
  std::int64_t last_cycle_orders = 0;
  bool stopped = false;       ///< set when the seller must re-authorize
  std::string stopped_reason; ///< why, for `taosyncd status`
  /// Not stored: the ServerWatch epoch of the server this state was read from. A write that
  /// carries the state is refused (ServerChanged) once a connection reached another server.
  std::uint64_t server_epoch = 0;
};

} // namespace taosync::store
