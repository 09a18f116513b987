#pragma once
// How each kind of cycle moves the sync cursor. A sweep commits every batch together with the
// state these policies return for the last window the batch holds whole, so the cursor only
// ever passes what was read, verified and written. Pure.
//
//   init       the checkpoint (init_cursor) advances to each window's end; the last window
//              sets the high-water mark to T0 and marks the init done
//   poll       the high-water mark advances to each window's end, never back (a window starts
//              an overlap before the mark)
//   reconcile  never moves the incremental cursor; its last window marks the day reconciled
//   resync     writes one order without any cursor

#include "store/sync_state.hpp"

#include <chrono>
#include <functional>
#include <optional>

namespace taosync::sync {

using model::TimePoint;

/// The state to commit with a window ending at `end` (`last`: it ends the sweep's range), or
/// nullopt to leave the stored cursor as it is.
using CursorFor = std::function<std::optional<store::SyncState>(TimePoint end, bool last)>;

/// The init sweep's policy, from the state before it. `reconciled_before` is the last local
/// day the init covers whole (nothing before it needs reconciling).
CursorFor init_cursor(store::SyncState base, TimePoint t0,
                      std::optional<std::chrono::sys_days> reconciled_before);

/// An incremental poll's policy, from the state before it (which has a high-water mark).
CursorFor poll_cursor(store::SyncState base);

/// The daily reconciliation's policy for local day `day`, from the state before it.
CursorFor reconcile_cursor(store::SyncState base, std::chrono::sys_days day);

} // namespace taosync::sync
