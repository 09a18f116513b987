#pragma once
// Which cursor each batch write commits when two writes run at once. Batches are cut in order
// and each holds the cursor of the last window it holds whole, but with two in flight the later
// one can commit first: its own cursor would then claim the rows of the earlier one, still
// uncommitted, which might yet fail. So a batch's cursor is only ever committed once every
// batch before it has committed:
//   - a batch written alone (nothing else in flight) commits its own cursor;
//   - a batch written beside another commits the newest cursor the committed batches have
//     earned, if no write in flight carries one already (cursors then commit in order);
//   - what is earned but not committed when the sweep ends is committed on its own.
// The stored cursor thus lags the committed rows by at most the writes in flight. A crash or a
// failure there re-reads those rows, which the monotonic upsert makes harmless. Pure.

#include "store/sync_state.hpp"

#include <cstdint>
#include <deque>
#include <optional>

namespace taosync::sync {

class CursorLedger {
public:
  /// The next batch is about to be written, holding `own` (nullopt: no window ends in it).
  /// Returns the cursor its transaction commits. Batches are numbered in this call's order.
  std::optional<store::SyncState> dispatch(std::optional<store::SyncState> own);

  /// The oldest write in flight committed. Writes are reported in the order dispatched.
  void committed();
  /// The oldest write in flight failed: the batches after it earn nothing any more.
  void failed();

  /// Writes dispatched and not yet reported.
  std::size_t in_flight() const { return in_flight_.size(); }
  /// A cursor the committed batches earned that no transaction has committed (the sweep
  /// commits it on its own at its end), or nullopt.
  std::optional<store::SyncState> unwritten() const;

private:
  struct Write {
    std::uint64_t seq = 0;
    std::optional<store::SyncState> own;
    std::uint64_t carries = 0; ///< seq of the cursor it commits; 0: none
  };
  struct Earned {
    std::uint64_t seq = 0;
    store::SyncState state;
  };

  std::deque<Write> in_flight_;
  std::optional<Earned> earned_; ///< the newest cursor of a batch whose predecessors committed
  std::uint64_t written_ = 0;    ///< seq of the newest cursor committed
  std::uint64_t next_seq_ = 1;
  bool broken_ = false; ///< a write failed
};

} // namespace taosync::sync
