#pragma once
// The engine's internals, shared by engine.cpp (the loop, errors, the public API) and
// engine_cycles.cpp (init sweep, incremental poll, reconciliation, resync).

#include "config/timezone.hpp"
#include "model/stop.hpp"
#include "obs/log_throttle.hpp"
#include "obs/metrics.hpp"
#include "store/sync_state.hpp"
#include "sync/engine.hpp"
#include "sync/line_batches.hpp"
#include "sync/sweep.hpp"
#include "sync/window_planner.hpp"

#include "store/database.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <string>

namespace taosync::sync {

struct Engine::Impl {
  Impl(net::any_io_executor executor, config::Snapshot config, api::Platform& api_client,
       store::Database& database, EngineHooks engine_hooks);

  // engine.cpp: what the loop needs between cycles
  net::awaitable<void> load_state();
  net::awaitable<void> save_state();
  /// How long to wait before the next cycle: the poll interval, or longer after failed
  /// cycles (cycle_backoff.hpp) or while held.
  std::chrono::milliseconds next_wait();
  /// Logs a failed cycle, once; rethrows it if it is fatal (after stopping the shop if the
  /// refresh token is dead), and always if `rethrow_all` (a one-shot command reports it).
  net::awaitable<void> handle_failure(std::exception_ptr err, bool rethrow_all);
  void set_phase(Phase phase);
  /// Hands the status, as one value, to the on_status hook.
  void publish();
  void committed(const CommittedBatch& batch);
  /// Puts a new config snapshot in force (on the engine's executor).
  void apply(config::Snapshot config);
  /// Records the held window (or its absence) in memory, the metrics and the status.
  void show_held(std::optional<store::HeldWindow> now_held);
  /// The platform's clock (at least: its lower bound), which every window ends by; the host's
  /// only while no answer has shown the platform's (see ensure_platform_clock).
  TimePoint now() const;
  /// The step of the platform's time filters: windows are whole units of it.
  Millis resolution() const { return client.listing_rules().resolution; }
  /// Before the first window is planned: one cheap call if no answer has shown the platform's
  /// clock yet, so that no window can end past the platform's now.
  net::awaitable<void> ensure_platform_clock();
  /// One cheap call whose answer reads the platform's clock again.
  net::awaitable<void> probe_platform_clock();

  // engine_cycles.cpp: one function per cycle kind, each with its cursor policy
  net::awaitable<void> init();
  net::awaitable<void> poll();
  net::awaitable<void> reconcile_if_due();
  net::awaitable<void> resync(const std::string& trade_order_id);
  /// Re-asks the owed orders that are due and publishes how much is still owed.
  net::awaitable<void> repay(bool ignore_backoff);
  /// Records what a sweep said about held windows: held (log, metric, sync state) or clear.
  net::awaitable<void> note_held(const SweepTotals& totals);
  SweepOptions sweep_options(bool refetch_all);
  std::optional<std::chrono::sys_days> reconciled_before(TimePoint t0) const;

  net::any_io_executor ex;
  config::Snapshot cfg; ///< the config in force; a reload swaps it between cycles' reads
  api::Platform& client;
  store::Database& db; ///< owned by the caller, with both of its connections
  EngineHooks hooks;
  WindowPlanner planner;           ///< incremental and init windows
  WindowPlanner reconcile_planner; ///< a day's windows, with their own density
  std::optional<config::TimeZone> tz;
  store::SyncState state;
  std::optional<store::HeldWindow> held; ///< as stored in taosync.held_windows
  int held_streak = 0;                   ///< cycles in a row that ended held
  int failed_streak = 0;                 ///< cycles in a row that ended in an error
  bool loaded = false;
  bool clock_probed = false; ///< the probe call was made (the platform may send no Date)
  model::Stop stop;
  obs::ShopMetrics metrics; ///< this shop's figures; while it lives /healthz covers the shop
  obs::LogThrottle failure_log{std::chrono::minutes(1)}; ///< "cycle failed" lines
  /// What the engine is doing: changed on the executor only, handed out by publish().
  EngineStatus status;
};

} // namespace taosync::sync
