#include "sync/engine.hpp"

#include "api/platform_clock.hpp"
#include "obs/metrics.hpp"
#include "sync/cycle_backoff.hpp"
#include "sync/cycle_summary.hpp"
#include "sync/engine_impl.hpp"

#include <boost/asio/dispatch.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace taosync::sync {

namespace {

// The longest wait between cycles while a window stays held.

std::optional<config::TimeZone> load_zone(const config::ReconcileConfig& rc) {
  if (!rc.enabled) {
    return std::nullopt;
  }
  try {
    return config::TimeZone::load(rc.timezone);
  } catch (const std::exception& e) {
    spdlog::error("sync.reconcile.timezone: {}; daily reconciliation is off", e.what());
    return std::nullopt;
  }
}

} // namespace

Engine::Impl::Impl(net::any_io_executor executor, config::Snapshot config,
                   api::Platform& api_client, store::Database& database, EngineHooks engine_hooks)
    : ex(executor), cfg(std::move(config)), client(api_client), db(database),
      hooks(std::move(engine_hooks)),
      planner(PlannerSettings::from(cfg->sync, api_client.listing_rules())),
      reconcile_planner(PlannerSettings::from(cfg->sync, api_client.listing_rules())),
      tz(load_zone(cfg->sync.reconcile)), stop(executor), metrics(obs::metrics(), cfg->sync.shop) {
  state.shop = cfg->sync.shop;
}

TimePoint Engine::Impl::now() const {
  if (auto platform = client.platform_clock().lower_bound(std::chrono::steady_clock::now()))
    return *platform;
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

net::awaitable<void> Engine::Impl::probe_platform_clock() {
  // One listing of a millisecond far in the past: its answer is all that matters (its Date).
  model::OrdersQuery probe;
  probe.modified_from = cfg->sync.init.start;
  probe.modified_to = cfg->sync.init.start;
  probe.page_size = 1;
  co_await client.list_orders(probe);
}

net::awaitable<void> Engine::Impl::ensure_platform_clock() {
  if (clock_probed || client.platform_clock().lower_bound(std::chrono::steady_clock::now()))
    co_return;
  clock_probed = true;
  co_await probe_platform_clock();
  if (!client.platform_clock().lower_bound(std::chrono::steady_clock::now()))
    spdlog::warn("shop {}: the platform's answers carry no Date header: windows end by this "
                 "host's clock, so a host clock ahead of the platform's can miss orders until "
                 "the daily reconciliation",
                 state.shop);
}

net::awaitable<void> Engine::Impl::load_state() {
  if (loaded) {
    co_return;
  }
  const std::string shop = cfg->sync.shop;
  state = co_await db.load_state(shop);
  state.shop = shop;
  show_held(co_await db.load_held(shop));
  if (held)
    spdlog::warn("shop {} was held at window [{} .. {}] ({}); reading it again", state.shop,
                 model::format_time(held->from), model::format_time(held->to), held->reason);
  loaded = true;
  if (state.stopped) {
    // The daemon refuses a stopped shop before the engine runs, and lifts the stop once the
    // configured refresh token changes: an engine never syncs a stopped shop.
    throw api::ApiFailure(
        api::ApiError{api::ErrorKind::refresh_dead,
                      "shop_stopped",
                      "shop " + state.shop + " is stopped: " + state.stopped_reason,
                      {},
                      {}});
  }
}

net::awaitable<void> Engine::Impl::save_state() {
  co_await db.save_state(state);
}

void Engine::Impl::publish() {
  if (state.hwm)
    status.lag = std::chrono::duration_cast<std::chrono::seconds>(now() - *state.hwm);
  if (hooks.on_status)
    hooks.on_status(status);
}

void Engine::Impl::set_phase(Phase phase) {
  status.phase = phase;
  publish();
}

void Engine::Impl::show_held(std::optional<store::HeldWindow> now_held) {
  held = std::move(now_held);
  metrics.set_held(held.has_value());
  status.held = held ? "at [" + model::format_time(held->from) + " .. " +
                           model::format_time(held->to) + "]: " + held->reason
                     : std::string();
}

void Engine::Impl::committed(const CommittedBatch& batch) {
  if (batch.cursor) {
    state = *batch.cursor; // committed: now it is the truth
  }
  metrics.orders_synced(batch.result.inserted + batch.result.updated);
  metrics.lines_synced(batch.result.lines);
  if (batch.result.rejected > 0) {
    metrics.rejected(batch.result.rejected);
  }
  if (state.hwm && state.init_done) {
    metrics.set_cursor_lag(now() - *state.hwm);
  }
  if (hooks.on_progress) {
    hooks.on_progress();
  }
}

std::chrono::milliseconds Engine::Impl::next_wait() {
  if (failed_streak > 0)
    return failure_backoff(cfg->sync.poll_interval, failed_streak);
  if (!held) {
    held_streak = 0;
    return cfg->sync.poll_interval;
  }
  // A window that keeps failing verification is asked again less and less often.
  return held_backoff(cfg->sync.poll_interval, cfg->sync.verify.backoff, held_streak++);
}

net::awaitable<void> Engine::Impl::handle_failure(std::exception_ptr err, bool rethrow_all) {
  std::optional<api::ApiError> api_error;
  std::string what = "unknown error";
  try {
    std::rethrow_exception(err);
  } catch (const api::ApiFailure& e) {
    api_error = e.error();
    what = e.what();
  } catch (const WindowHeld&) {
    std::rethrow_exception(err); // already said at warn where it was held; the caller reports
  } catch (const store::ServerChanged& e) {
    // The database failed over (or was replaced): what this engine remembers may be ahead of
    // what the server now holds. The next cycle starts from the state read there.
    loaded = false;
    what = e.what();
    spdlog::warn("shop {}: {}", state.shop, what);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  if (stop.requested() && !rethrow_all) {
    spdlog::info("shutting down: {} ended with: {}", to_string(status.phase), what);
    co_return;
  }
  if (api_error && api_error->kind == api::ErrorKind::refresh_dead) {
    spdlog::error("shop {}: the refresh token was refused ({}): the seller must re-authorize "
                  "the app; syncing this shop stops",
                  state.shop, what);
    state.stopped = true;
    state.stopped_reason =
        "refresh token refused (" + api_error->code +
        "): the seller must re-authorize the app and the new tokens be configured";
    co_await save_state();
    set_phase(Phase::stopped);
    std::rethrow_exception(err);
  }
  if (rethrow_all) {
    std::rethrow_exception(err); // a one-shot command: its caller reports it, once
  }
  if (api_error && api_error->kind == api::ErrorKind::fatal) {
    spdlog::error("{} failed: {}", to_string(status.phase), what);
    std::rethrow_exception(err);
  }
  status.last_failure = what; // published with the idle phase that follows
  // A failure that repeats every poll is logged once per interval, with a count.
  failure_log.log(spdlog::level::err,
                  std::string(to_string(status.phase)) + ": " +
                      (api_error ? api_error->code : what),
                  std::string(to_string(status.phase)) + " cycle failed: " + what +
                      "; retrying at the next poll");
}

void Engine::Impl::apply(config::Snapshot config) {
  // Restart-only keys (the shop) arrive unchanged: config::plan_reload keeps them.
  const bool zone_changed = config->sync.reconcile.timezone != cfg->sync.reconcile.timezone ||
                            config->sync.reconcile.enabled != cfg->sync.reconcile.enabled;
  cfg = std::move(config);
  if (zone_changed) {
    tz = load_zone(cfg->sync.reconcile);
  }
  planner.set_settings(PlannerSettings::from(cfg->sync, client.listing_rules()));
  reconcile_planner.set_settings(PlannerSettings::from(cfg->sync, client.listing_rules()));
  spdlog::info("sync settings reloaded: poll every {}ms, window overlap {}ms, lag {}ms",
               cfg->sync.poll_interval.count(), cfg->sync.window.overlap.count(),
               cfg->sync.window.lag.count());
}

Engine::Engine(net::any_io_executor executor, config::Snapshot cfg, api::Platform& client,
               store::Database& db, EngineHooks hooks)
    : impl_(std::make_unique<Impl>(executor, std::move(cfg), client, db, std::move(hooks))) {}

Engine::~Engine() = default;

net::awaitable<void> Engine::run() {
  Impl& e = *impl_;
  co_await e.load_state();
  while (!e.stop.requested()) {
    std::exception_ptr err;
    try {
      co_await e.load_state(); // again after the database changed under it
      if (!e.state.init_done) {
        co_await e.init();
      } else {
        co_await e.reconcile_if_due();
        co_await e.poll();
      }
      co_await e.repay(false);
    } catch (...) {
      err = std::current_exception();
    }
    if (err) {
      co_await e.handle_failure(err, false);
      e.set_phase(Phase::idle);
    } else if (!e.status.last_failure.empty()) {
      e.status.last_failure.clear();
      e.publish();
    }
    e.failed_streak = err ? e.failed_streak + 1 : 0;
    const auto wait = e.next_wait();
    if (e.failed_streak >= 2 && !e.stop.requested())
      spdlog::warn("shop {}: {} cycles in a row failed; the next one in {} (this shop backs off "
                   "on its own, up to {}; the others go on)",
                   e.state.shop, e.failed_streak, config::format_duration(wait),
                   config::format_duration(kMaxCycleBackoff));
    // Idle, saying it is alive (the watchdog), until the next cycle or a stop.
    co_await e.stop.wait(wait, e.hooks.on_progress);
  }
  e.set_phase(Phase::stopped);
}

net::awaitable<void> Engine::once() {
  std::exception_ptr err;
  try {
    co_await impl_->load_state();
    if (!impl_->state.init_done) {
      co_await impl_->init();
    }
    if (impl_->state.init_done && !impl_->stop.requested()) {
      co_await impl_->poll();
    }
    if (!impl_->stop.requested()) {
      co_await impl_->repay(true); // one complete attempt now, whatever the backoff says
    }
    if (impl_->held) {
      throw WindowHeld("window [" + model::format_time(impl_->held->from) + " .. " +
                       model::format_time(impl_->held->to) + "] could not be verified (" +
                       impl_->held->reason + "); the cursor stays before it: run again later");
    }
  } catch (...) {
    err = std::current_exception();
  }
  if (err) {
    co_await impl_->handle_failure(err, true);
  }
}

net::awaitable<void> Engine::resync(const std::string& trade_order_id) {
  std::exception_ptr err;
  try {
    co_await impl_->load_state();
    co_await impl_->resync(trade_order_id);
  } catch (...) {
    err = std::current_exception();
  }
  if (err) {
    co_await impl_->handle_failure(err, true);
  }
}

void Engine::reconfigure(config::Snapshot cfg) {
  net::dispatch(impl_->ex, [impl = impl_.get(), cfg = std::move(cfg)] { impl->apply(cfg); });
}

void Engine::stop() {
  impl_->stop.request();
}

} // namespace taosync::sync
