#pragma once
// One sweep of a modification-time range as a three-stage pipeline with back-pressure:
//   lister (windows, read whole) -> fetcher (batches + line fan-out) -> writer (commits)
// joined by bounded channels, so listing the next window overlaps fetching lines and writing
// the current batch while memory stays flat. The writer keeps two batch writes in flight, on
// two connections; a batch's cursor (that of the last window it holds whole) is committed only
// once every batch before it has committed (sync/cursor_ledger.hpp).

#include "api/platform.hpp"
#include "store/batch.hpp"
#include "store/database.hpp"
#include "sync/cursor_policy.hpp"
#include "sync/line_fanout.hpp"
#include "sync/window_planner.hpp"
#include "sync/window_reader.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace taosync::sync {

namespace net = boost::asio;

/// How a sweep runs.
struct SweepOptions {
  std::string shop;
  std::size_t batch_orders{}; ///< database.batch_orders
  FanoutSettings fanout;
  ReadLimits read_limits;
  /// Called once with the total_count of the first window tried; with a fresh planner that is
  /// the whole range, so it estimates the sweep's size for progress reports.
  std::function<void(std::int64_t)> on_estimate;

  /// The options of `cfg` (no estimate callback).
  static SweepOptions from(const config::Config& cfg, bool refetch_all);
};

/// What one committed batch held, with what the write did.
struct CommittedBatch {
  std::uint64_t orders = 0;
  std::uint64_t lines = 0;
  std::optional<store::SyncState> cursor; ///< the cursor committed with it, if any
  store::WriteResult result;
};

/// Totals of one sweep.
struct SweepTotals {
  std::uint64_t windows = 0;
  std::uint64_t listed = 0; ///< orders listed (with overlap re-reads)
  std::uint64_t list_calls = 0;
  std::uint64_t line_calls = 0;
  std::uint64_t missing_lines = 0;
  std::uint64_t rereads = 0; ///< windows asked again because an answer did not add up
  std::uint64_t batches = 0;
  std::uint64_t fresh_batches = 0; ///< of them, written fresh (store::WriteResult::fresh)
  store::WriteResult written;      ///< summed over the batches (times too: both connections')
  double writer_waited = 0;        ///< seconds the writer waited for the next batch
  double writer_busy = 0;          ///< seconds at least one batch write was in flight
  bool complete = false;           ///< every window up to the end of the range was committed
  /// The window the sweep stopped at because its answers never added up (complete is false).
  std::optional<Window> held;
  std::string held_reason;
};

/// Called on the sweep's executor after each commit.
using OnCommit = std::function<void(const CommittedBatch&)>;

/// Sweeps `range` with `planner` (its density estimate carries over). Stops early, at a batch
/// boundary, once `stop` is requested. Throws the first failure (api::ApiFailure, a store error)
/// after the in-flight transaction has committed or rolled back.
net::awaitable<SweepTotals> run_sweep(api::Platform& client, store::Database& db,
                                      WindowPlanner& planner, Window range,
                                      const SweepOptions& options, CursorFor cursor_for,
                                      OnCommit on_commit, const model::Stop& stop);

} // namespace taosync::sync
