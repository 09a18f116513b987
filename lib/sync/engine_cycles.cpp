// The engine's cycles: the init sweep, an incremental poll, the daily reconciliation and the
// single-order resync.
#include "obs/metrics.hpp"
#include "sync/cycle_summary.hpp"
#include "sync/engine_impl.hpp"
#include "sync/init_progress.hpp"
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
  SweepOptions o;
  o.shop = cfg.sync.shop;
  o.batch_orders = static_cast<std::size_t>(std::max(1, cfg.database.batch_orders));
  o.fanout.items_batch_size = static_cast<std::size_t>(std::max(1, cfg.api.items_batch_size));
  o.fanout.max_in_flight = static_cast<std::size_t>(std::max(1, cfg.api.max_in_flight));
  o.fanout.refetch_all = refetch_all;
  o.lookups = &lookups;
  return o;
}

std::optional<std::chrono::sys_days> Engine::Impl::reconciled_before(TimePoint t0) const {
  // The init swept every day before T0's local day whole: nothing older needs reconciling.
  if (!tz) {
    return std::nullopt;
  }
  return local_date(t0, *tz) - std::chrono::days(1);
}

net::awaitable<void> Engine::Impl::init() {
  const auto range =
      init_range(state.init_t0, state.init_cursor, cfg.sync.init.start, now(), cfg.sync.window.lag);
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
  set_phase("init");
  spdlog::info("init: sweeping modification times [{} .. {}]{}", format_time(range.remaining->from),
               format_time(range.remaining->to), state.init_cursor ? " (resumed)" : "");
  // No length cap: an init from the far past must not cost one call per empty day.
  planner.set_settings(PlannerSettings{cfg.sync.page_size, 0.8, range.remaining->length()});
  InitProgress progress(0, Steady::now());
  const auto before = client.counters();
  const auto started = Steady::now();

  SweepOptions options = sweep_options(false);
  options.on_estimate = [&](std::int64_t total) {
    progress.set_total(static_cast<std::uint64_t>(std::max<std::int64_t>(0, total)));
    spdlog::info("init: about {} orders to sweep", total);
    std::lock_guard lock(status_mutex);
    status.init_total_orders = progress.total();
  };
  // Callbacks are named std::functions: GCC 12 destroys a lambda implicitly converted for a
  // coroutine's by-value parameter twice.
  CursorFor cursor_for = [base = state, t0 = range.t0, this](TimePoint end, bool last) {
    auto s = base;
    s.init_cursor = end;
    s.last_cycle_at = std::chrono::system_clock::now();
    if (last) {
      s.hwm = t0;
      s.init_done = true;
      s.last_reconciled_day = reconciled_before(t0);
    }
    return std::optional<store::SyncState>(s);
  };
  OnCommit on_commit = [&](const CommittedBatch& batch) {
    committed(batch);
    progress.add(batch.orders);
    obs::metrics().set_init_progress(progress.done(), std::max(progress.done(), progress.total()));
    {
      std::lock_guard lock(status_mutex);
      status.init_done_orders = progress.done();
      status.orders_per_second = progress.rate(Steady::now());
    }
    if (progress.due(Steady::now())) {
      spdlog::info("{}", progress.line(Steady::now()));
      publish();
    }
  };
  const auto totals = co_await run_sweep(client, writer, planner, *range.remaining, options,
                                         std::move(cursor_for), std::move(on_commit), stopping);
  planner.set_settings(PlannerSettings{cfg.sync.page_size, 0.8, cfg.sync.window.max_length});
  if (state.init_done) {
    const auto calls = counter_delta(before, client.counters());
    spdlog::info("init complete: {} orders ({} new), {} lines in {}s; {} calls ({} listing, {} "
                 "items), {} throttled, {} retries",
                 totals.listed, totals.written.inserted, totals.written.lines,
                 since(started).count() / 1000, calls.calls, totals.list_calls, totals.line_calls,
                 calls.throttled, calls.retries);
    obs::metrics().set_init_progress(progress.done(), progress.done());
    obs::metrics().set_last_success(std::chrono::system_clock::now());
    set_phase("idle");
  }
}

net::awaitable<void> Engine::Impl::poll() {
  if (!state.hwm) {
    throw std::logic_error("incremental poll without a high-water mark (init not done)");
  }
  const auto started = Steady::now();
  const auto before = client.counters();
  CycleSummary summary;
  summary.kind = "poll";
  summary.window = incremental_range(*state.hwm, now(), cfg.sync.window);
  if (summary.window) {
    set_phase("polling");
    CursorFor cursor_for = [base = state](TimePoint end, bool) {
      auto s = base;
      s.hwm = std::max(*base.hwm, end); // the overlap re-read never moves the cursor back
      s.last_cycle_at = std::chrono::system_clock::now();
      return std::optional<store::SyncState>(s);
    };
    OnCommit on_commit = [this](const CommittedBatch& b) { committed(b); };
    const SweepOptions options = sweep_options(false);
    const auto totals = co_await run_sweep(client, writer, planner, *summary.window, options,
                                           std::move(cursor_for), std::move(on_commit), stopping);
    summary.windows = totals.windows;
    summary.listed = totals.listed;
    summary.written = totals.written;
  }
  summary.calls = counter_delta(before, client.counters());
  summary.lag = now() - *state.hwm;
  summary.took = since(started);
  spdlog::info("{}", summary_line(summary));
  obs::metrics().set_cursor_lag(summary.lag);
  obs::metrics().set_last_success(std::chrono::system_clock::now());
  state.last_cycle_orders = static_cast<std::int64_t>(summary.listed);
  {
    std::lock_guard lock(status_mutex);
    status.last_cycle_orders = summary.listed;
  }
  set_phase("idle");
}

net::awaitable<void> Engine::Impl::reconcile_if_due() {
  if (!cfg.sync.reconcile.enabled || !tz) {
    co_return;
  }
  const auto plan =
      due_reconciliation(now(), cfg.sync.reconcile.at, *tz, state.last_reconciled_day);
  if (!plan) {
    co_return;
  }
  set_phase("reconciling");
  const auto started = Steady::now();
  const auto before = client.counters();
  const auto day = std::chrono::year_month_day{plan->day};
  spdlog::info("reconcile: re-sweeping local day {:04d}-{:02d}-{:02d} ({}){}",
               static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
               static_cast<unsigned>(day.day()), tz->name(),
               cfg.sync.reconcile.refetch_lines ? ", re-fetching every line" : "");
  CursorFor cursor_for = [this, d = plan->day](TimePoint,
                                               bool last) -> std::optional<store::SyncState> {
    if (!last) {
      return std::nullopt; // reconciliation never moves the incremental cursor
    }
    auto s = state;
    s.last_reconciled_day = d;
    return s;
  };
  OnCommit on_commit = [this](const CommittedBatch& b) { committed(b); };
  const SweepOptions options = sweep_options(cfg.sync.reconcile.refetch_lines);
  const auto totals = co_await run_sweep(client, writer, reconcile_planner, plan->window, options,
                                         std::move(cursor_for), std::move(on_commit), stopping);
  CycleSummary summary{"reconcile",        plan->window,   totals.windows,
                       totals.listed,      totals.written, counter_delta(before, client.counters()),
                       now() - *state.hwm, since(started)};
  spdlog::info("{}", summary_line(summary));
}

net::awaitable<void> Engine::Impl::write_order(const std::string& trade_order_id) {
  auto detail = co_await client.get_order(trade_order_id);
  store::Batch batch;
  batch.shop = cfg.sync.shop;
  batch.rejected = std::move(detail.rejected);
  if (detail.order.trade_order_id.empty()) {
    // The order itself failed validation: keep the evidence, leave the stored row alone.
    co_await writer.write(std::move(batch));
    throw std::runtime_error("resync " + trade_order_id +
                             ": /order/get returned a record that failed validation; it is in "
                             "taosync.rejected_records");
  }
  // A rejected line makes the line set incomplete: keep the stored lines rather than drop one.
  if (batch.rejected.empty())
    batch.lines_for.push_back(detail.order.trade_order_id);
  batch.orders.push_back(std::move(detail.order));
  batch.lines = std::move(detail.lines);
  const auto status_text = batch.orders.front().status;
  const auto result = co_await writer.write(std::move(batch));
  spdlog::info("resync {}: status {}, {} line(s); {} new, {} updated, {} unchanged, {} stale",
               trade_order_id, status_text, result.lines, result.inserted, result.updated,
               result.unchanged, result.stale);
  obs::metrics().orders_synced(result.inserted + result.updated);
  obs::metrics().lines_synced(result.lines);
}

} // namespace taosync::sync
