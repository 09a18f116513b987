// The engine's cycles: the init sweep, an incremental poll, the daily reconciliation and the
// single-order resync.
#include "obs/metrics.hpp"
#include "sync/answer_check.hpp"
#include "sync/cycle_summary.hpp"
#include "sync/detail_check.hpp"
#include "sync/engine_impl.hpp"
#include "sync/init_progress.hpp"
#include "sync/owed_repair.hpp"
#include "sync/reconcile.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace taosync::sync {

namespace {

using Steady = std::chrono::steady_clock;

std::chrono::milliseconds since(Steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

} // namespace

SweepOptions Engine::Impl::sweep_options(bool refetch_all) {
  SweepOptions o = SweepOptions::from(*cfg, refetch_all);
  o.read_limits.on_wait = hooks.on_progress;
  return o;
}

net::awaitable<void> Engine::Impl::note_held(const SweepTotals& totals) {
  metrics.window_reread(totals.rereads);
  std::optional<store::HeldWindow> now_held;
  if (totals.held) {
    now_held = store::HeldWindow{totals.held->from, totals.held->to, totals.held_reason, {}};
    metrics.window_held();
  } else if (!totals.complete || !held) {
    co_return; // stopped early, or nothing was held: nothing to record
  }
  co_await db.save_held(cfg->sync.shop, now_held);
  if (!now_held && held)
    spdlog::info("window [{} .. {}] read and verified: shop {} is no longer held",
                 model::format_time(held->from), model::format_time(held->to), cfg->sync.shop);
  show_held(std::move(now_held));
  publish();
}

net::awaitable<void> Engine::Impl::repay(bool ignore_backoff) {
  const OwedSettings settings = OwedSettings::from(*cfg, ignore_backoff);
  co_await repay_owed(client, db, settings, stop);
  const auto owed = co_await db.owed_summary(cfg->sync.shop);
  metrics.set_owed(static_cast<std::uint64_t>(owed.orders), static_cast<std::uint64_t>(owed.lines));
  if (status.owed_orders != static_cast<std::uint64_t>(owed.orders)) {
    status.owed_orders = static_cast<std::uint64_t>(owed.orders);
    publish();
  }
}

std::optional<std::chrono::sys_days> Engine::Impl::reconciled_before(TimePoint t0) const {
  // The init swept every day before T0's local day whole: nothing older needs reconciling.
  if (!tz) {
    return std::nullopt;
  }
  return local_date(t0, *tz) - std::chrono::days(1);
}

net::awaitable<void> Engine::Impl::init() {
  co_await ensure_platform_clock();
  const auto range = init_range(state.init_t0, state.init_cursor, cfg->sync.init.start, now(),
                                cfg->sync.window.lag, resolution());
  if (!state.init_t0) {
    state.init_t0 = range.t0; // recorded before the sweep, so a resumed init keeps its T0
    co_await save_state();
  }
  if (!range.remaining) {
    state.hwm = range.t0;
    state.init_done = true;
    state.last_reconciled_day = reconciled_before(range.t0);
    co_await save_state();
    co_return;
  }
  set_phase(Phase::init);
  // Inits take turns (sync.parallel_inits): the wait is deliberate, and said.
  std::optional<InitSlots::Slot> slot;
  if (hooks.init_slots != nullptr) {
    if (!hooks.init_slots->free_now())
      spdlog::info("shop {}: init waits its turn ({} of sync.parallel_inits {} under way)",
                   state.shop, hooks.init_slots->in_use(), hooks.init_slots->slots());
    metrics.set_waiting(true);
    slot = co_await hooks.init_slots->acquire(stop, hooks.on_progress);
    metrics.set_waiting(false);
    if (!slot)
      co_return; // stopping
  }
  spdlog::info("shop {}: init: sweeping modification times [{} .. {}]{}", state.shop,
               model::format_time(range.remaining->from), model::format_time(range.remaining->to),
               state.init_cursor ? " (resumed)" : "");
  // No length cap: an init from the far past must not cost one call per empty day.
  PlannerSettings init_settings = PlannerSettings::from(cfg->sync, client.listing_rules());
  init_settings.max_length = range.remaining->length(); // the init sweep has no window limit
  planner.set_settings(init_settings);
  InitProgress progress(0, Steady::now());
  const auto before = client.counters();
  const auto started = Steady::now();

  SweepOptions options = sweep_options(false);
  options.on_estimate = [&](std::int64_t total) {
    progress.set_total(static_cast<std::uint64_t>(std::max<std::int64_t>(0, total)));
    spdlog::info("shop {}: init: about {} orders to sweep", state.shop, total);
    status.init_total_orders = progress.total();
    publish();
  };
  // Callbacks are named std::functions: GCC 12 co_await (docs/design.md).
  CursorFor cursor_for = init_cursor(state, range.t0, reconciled_before(range.t0));
  OnCommit on_commit = [&](const CommittedBatch& batch) {
    committed(batch);
    progress.add(batch.orders);
    metrics.set_init_progress(progress.done(), std::max(progress.done(), progress.total()));
    status.init_done_orders = progress.done();
    status.orders_per_second = progress.rate(Steady::now());
    // Every batch reaches the status page; the log and STATUS= keep their own pace.
    publish();
    if (progress.due(Steady::now()))
      spdlog::info("shop {}: {}", state.shop, progress.line(Steady::now()));
  };
  const auto totals = co_await run_sweep(client, db, planner, *range.remaining, options,
                                         std::move(cursor_for), std::move(on_commit), stop);
  planner.set_settings(PlannerSettings::from(cfg->sync, client.listing_rules()));
  co_await note_held(totals);
  if (state.init_done) {
    const auto calls = counter_delta(before, client.counters());
    spdlog::info(
        "shop {}: init complete: {} orders ({} new), {} lines in {:.2f}s; {} calls ({} listing, "
        "{} items), {} throttled, {} retries",
        state.shop, totals.listed, totals.written.inserted, totals.written.lines,
        static_cast<double>(since(started).count()) / 1000.0, calls.calls, totals.list_calls,
        totals.line_calls, calls.throttled, calls.retries);
    const auto& t = totals.written.times;
    spdlog::info(
        "shop {}: init writer: busy {:.2f}s, waiting for batches {:.2f}s; over both write "
        "connections copy {:.2f}s, statements {:.2f}s, change feed {:.2f}s, commit {:.2f}s; {} "
        "of {} batches fresh (no order stored before)",
        state.shop, totals.writer_busy, totals.writer_waited, t.copy, t.statements, t.feed,
        t.commit, totals.fresh_batches, totals.batches);
    metrics.set_init_progress(progress.done(), progress.done());
    metrics.set_last_success(std::chrono::system_clock::now());
    set_phase(Phase::idle);
  }
}

net::awaitable<void> Engine::Impl::poll() {
  if (!state.hwm) {
    throw std::logic_error("incremental poll without a high-water mark (init not done)");
  }
  co_await ensure_platform_clock();
  const auto started = Steady::now();
  const auto before = client.counters();
  CycleSummary summary;
  summary.kind = "poll";
  summary.window = incremental_range(*state.hwm, now(), cfg->sync.window, resolution());
  if (!summary.window && now() < *state.hwm) {
    // The platform's clock reads behind the cursor: it stepped back. Only an answer shows when
    // it is back (or stepped forward again), and a poll with no window asks nothing: one call.
    co_await probe_platform_clock();
    summary.window = incremental_range(*state.hwm, now(), cfg->sync.window, resolution());
  }
  if (summary.window) {
    set_phase(Phase::polling);
    CursorFor cursor_for = poll_cursor(state);
    OnCommit on_commit = [this](const CommittedBatch& b) { committed(b); };
    const SweepOptions options = sweep_options(false);
    const auto totals = co_await run_sweep(client, db, planner, *summary.window, options,
                                           std::move(cursor_for), std::move(on_commit), stop);
    co_await note_held(totals);
    summary.windows = totals.windows;
    summary.listed = totals.listed;
    summary.written = totals.written;
  }
  summary.calls = counter_delta(before, client.counters());
  summary.lag = now() - *state.hwm;
  summary.took = since(started);
  spdlog::info("shop {}: {}", state.shop, summary_line(summary));
  metrics.set_cursor_lag(summary.lag);
  if (!held) {
    // a held cycle did not succeed: /healthz and the last-success alert must see it
    metrics.set_last_success(std::chrono::system_clock::now());
  }
  state.last_cycle_orders = static_cast<std::int64_t>(summary.listed);
  status.last_cycle_orders = summary.listed;
  set_phase(Phase::idle);
}

net::awaitable<void> Engine::Impl::reconcile_if_due() {
  if (!cfg->sync.reconcile.enabled || !tz) {
    co_return;
  }
  co_await ensure_platform_clock();
  const auto plan =
      due_reconciliation(now(), cfg->sync.reconcile.at, *tz, state.last_reconciled_day);
  if (!plan) {
    co_return;
  }
  set_phase(Phase::reconciling);
  const auto started = Steady::now();
  const auto before = client.counters();
  const auto day = std::chrono::year_month_day{plan->day};
  spdlog::info("shop {}: reconcile: re-sweeping local day {:04d}-{:02d}-{:02d} ({}){}", state.shop,
               static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
               static_cast<unsigned>(day.day()), tz->name(),
               cfg->sync.reconcile.refetch_lines ? ", re-fetching every line" : "");
  CursorFor cursor_for = reconcile_cursor(state, plan->day);
  OnCommit on_commit = [this](const CommittedBatch& b) { committed(b); };
  const SweepOptions options = sweep_options(cfg->sync.reconcile.refetch_lines);
  const auto totals = co_await run_sweep(client, db, reconcile_planner, plan->window, options,
                                         std::move(cursor_for), std::move(on_commit), stop);
  if (totals.held) {
    // The day is not marked reconciled: the next cycle tries it again.
    metrics.window_held();
    spdlog::warn("shop {}: reconcile of the day stopped at a window that could not be verified",
                 state.shop);
  }
  CycleSummary summary{"reconcile",        plan->window,   totals.windows,
                       totals.listed,      totals.written, counter_delta(before, client.counters()),
                       now() - *state.hwm, since(started)};
  spdlog::info("shop {}: {}", state.shop, summary_line(summary));
}

net::awaitable<void> Engine::Impl::resync(const std::string& trade_order_id) {
  // No cursor: one order's row and lines, in one transaction.
  auto detail = co_await client.get_order(trade_order_id);
  const auto latest = latest_believable(cfg->sync.verify.future_tolerance);
  CheckedDetail checked =
      check_detail(std::move(detail), trade_order_id, OwedContext{}, latest, cfg->sync.shop);
  if (!checked.order_usable) {
    // Keep the evidence, leave the stored row alone.
    co_await db.write_batch(std::move(checked.batch));
    throw RecordRejected("resync " + trade_order_id + ": rejected: " + checked.problem +
                         "; the stored row is unchanged and the record is in "
                         "taosync.rejected_records");
  }
  const auto& order = checked.batch.orders.front();
  const auto got = order.modification_time;
  const auto status_text = order.status;
  const auto result = co_await db.write_batch(std::move(checked.batch));
  const std::string owed = checked.problem.empty() ? "" : "; still owed: " + checked.problem;
  if (result.stale > 0) {
    // A stale write left the stored row as it was: read its time only to say so.
    const std::vector<std::string> ids(1, trade_order_id);
    const auto stored = co_await db.stored_versions(cfg->sync.shop, ids);
    spdlog::warn("resync {}: unchanged: the stored row (modified {}) is newer than /order/get's "
                 "answer (modified {}){}",
                 trade_order_id, model::format_time(stored.at(trade_order_id).modification_time),
                 model::format_time(got), owed);
  } else if (result.unchanged > 0) {
    spdlog::info("resync {}: stored: same version as before (modified {}), status {}, {} line(s) "
                 "rewritten{}",
                 trade_order_id, model::format_time(got), status_text, result.lines, owed);
  } else {
    spdlog::info("resync {}: stored: {} (modified {}), status {}, {} line(s){}", trade_order_id,
                 result.inserted > 0 ? "new order" : "updated", model::format_time(got),
                 status_text, result.lines, owed);
  }
  metrics.orders_synced(result.inserted + result.updated);
  metrics.lines_synced(result.lines);
}

} // namespace taosync::sync
