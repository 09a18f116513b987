#include "service.hpp"
#include "exit_codes.hpp"
#include "runtime.hpp"
#include "shop_gate.hpp"

#include "config/reload.hpp"

#include "obs/api_ban.hpp"
#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "obs/metrics_server.hpp"
#include "obs/notify.hpp"
#include "store/leases.hpp"
#include "sync/lease_keeper.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <thread>

namespace taosync::daemon {

namespace {

/// Logs the exception of a background job instead of dropping it.
void log_job_end(const char* what, std::exception_ptr e) {
  if (!e)
    return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("{} stopped: {}", what, ex.what());
  }
}

/// How long a stopping daemon waits for its leases to be released.
constexpr std::chrono::seconds kKeeperStopWait{3};

/// "a, b" from {"a", "b"}.
std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

class Service {
public:
  Service(CliOptions opts, config::Config cfg)
      : opts_(std::move(opts)), rt_(std::move(cfg)), cfg_(rt_.snapshot()),
        signals_(rt_.io(), SIGTERM, SIGINT, SIGHUP), ban_timer_(rt_.io()),
        all_ended_(rt_.io(), net::steady_timer::time_point::max()) {}

  int run() {
    net::co_spawn(rt_.io(), handle_signals(),
                  [](std::exception_ptr e) { log_job_end("signal handling", e); });
    return run_to_exit_code(rt_.io(), [this] { return main_loop(); });
  }

private:
  net::awaitable<int> main_loop();
  /// Opens `shop`'s pipeline and runs its engine in the background; false if it cannot start
  /// (a stopped shop: logged; the others go on).
  net::awaitable<bool> start_shop(config::ShopConfig shop);
  /// Puts the shops of `cfg` in force: starts the added ones, stops the removed ones.
  net::awaitable<void> apply_shops(config::Snapshot cfg);
  /// Called when a shop's engine has ended, with its exit code.
  void shop_ended(const std::string& name, int code);
  /// Starts the lease keeper: shops start when their lease is taken and stop when it is lost.
  void start_keeper();
  /// Ends the wait of main_loop once nothing is left to run (see the rule inside).
  void maybe_finish();
  /// Follows the number of live daemons: the app's rate limit is shared between them.
  net::awaitable<void> follow_share();
  net::awaitable<void> handle_signals();
  void start_side_jobs();
  net::awaitable<void> watch_bans();
  void record_ban(std::chrono::system_clock::time_point until);
  void on_status(const std::string& shop, const sync::EngineStatus& st);
  void show_status(bool now);
  void reload();
  void begin_shutdown(int signal);

  CliOptions opts_;
  Runtime rt_;
  config::Snapshot cfg_; ///< the config in force, as last published
  obs::Notifier notifier_;
  net::signal_set signals_;
  std::unique_ptr<obs::ProgressWatchdog> watchdog_;
  std::unique_ptr<obs::MetricsServer> metrics_;
  net::steady_timer ban_timer_;
  bool started_ = false;
  bool stopping_ = false;
  /// Each running shop's last status line and phase, by shop.
  std::map<std::string, std::pair<std::string, sync::Phase>> shop_status_;
  std::size_t running_ = 0;     ///< engines still running
  int exit_code_ = kExOk;       ///< the first failing shop's, when every shop has ended
  bool finished_ = false;       ///< nothing left to run: main_loop ends
  net::steady_timer all_ended_; ///< cancelled when finished_ (or the keeper's end) is set
  /// With ha.leases: the keeper, its stop and whether its run has returned.
  std::unique_ptr<sync::LeaseKeeper> keeper_;
  std::unique_ptr<sync::StopSignal> keeper_stop_;
  bool keeper_done_ = false;
  std::set<std::string> restart_when_ended_; ///< taken again while its old engine still ran
  std::set<std::string> failed_;             ///< shops whose engine ended in a failure
  std::size_t starting_ = 0;                 ///< start_shop() calls in progress
  std::string last_status_;                  ///< the last STATUS= sent
  std::chrono::steady_clock::time_point last_status_at_{};
};

net::awaitable<bool> Service::start_shop(config::ShopConfig shop) {
  sync::EngineHooks hooks;
  hooks.on_status = [this, name = shop.name](const sync::EngineStatus& st) { on_status(name, st); };
  hooks.on_progress = [this] {
    if (watchdog_)
      watchdog_->mark_progress();
  };
  ShopPipeline* pipeline = nullptr;
  std::exception_ptr refused;
  ++starting_;
  try {
    pipeline = co_await rt_.open_shop(shop, std::move(hooks));
  } catch (const ShopStopped&) {
    refused = std::current_exception(); // this shop alone; the others go on
  } catch (...) {
    --starting_;
    throw;
  }
  if (refused) {
    exit_code_ = exit_code_ == kExOk ? exit_code_for(refused) : exit_code_;
    failed_.insert(shop.name);
    --starting_;
    maybe_finish();
    co_return false;
  }
  --starting_;
  ++running_;
  // Runs until stopped or failed for good; a failure ends this shop, not the daemon.
  net::co_spawn(rt_.io(), pipeline->engine->run(), [this, name = shop.name](std::exception_ptr e) {
    int code = kExOk;
    try {
      if (e)
        std::rethrow_exception(e);
    } catch (const store::LeaseLost& lost) {
      // The keeper said why; the write was refused, nothing of it landed.
      spdlog::info("shop {}: a write was refused, the lease moved on: {}", name, lost.what());
    } catch (...) {
      if (!stopping_)
        code = exit_code_for(std::current_exception());
    }
    shop_ended(name, code);
  });
  co_return true;
}

void Service::start_keeper() {
  sync::LeaseKeeperOptions options;
  for (const auto& shop : config::shops_of(*cfg_))
    options.shops.push_back(shop.name);
  options.daemon = store::this_daemon(cfg_->ha.daemon_id);
  options.ttl = cfg_->ha.lease_ttl;
  spdlog::info("leases: this daemon is {} (ttl {}); it syncs the shops whose lease it holds",
               options.daemon.id, config::format_duration(options.ttl));
  sync::LeaseHooks hooks;
  hooks.on_taken = [this](const std::string& name, std::int64_t epoch) {
    spdlog::info("shop {}: lease taken at epoch {}: syncing it", name, epoch);
    if (stopping_)
      return;
    const auto shops = config::shops_of(*cfg_);
    const auto shop =
        std::find_if(shops.begin(), shops.end(), [&](const auto& s) { return s.name == name; });
    if (shop == shops.end())
      return;
    const bool open = std::any_of(rt_.shops().begin(), rt_.shops().end(),
                                  [&](const auto& p) { return p->name == name; });
    if (open) {
      restart_when_ended_.insert(name); // its former engine is still finishing
      return;
    }
    net::co_spawn(rt_.io(), start_shop(*shop),
                  [](std::exception_ptr e, bool) { log_job_end("starting a shop", e); });
  };
  hooks.on_lost = [this](const std::string& name, const std::string& reason) {
    spdlog::warn("shop {}: lease lost ({}): it stops syncing here", name, reason);
    restart_when_ended_.erase(name);
    for (auto& pipeline : rt_.shops())
      if (pipeline->name == name)
        pipeline->engine->stop();
  };
  keeper_stop_ = std::make_unique<sync::StopSignal>(rt_.io().get_executor());
  keeper_ =
      std::make_unique<sync::LeaseKeeper>(rt_.database(), std::move(options), std::move(hooks));
  net::co_spawn(rt_.io(), keeper_->run(*keeper_stop_), [this](std::exception_ptr e) {
    log_job_end("the lease keeper", e);
    keeper_done_ = true;
    all_ended_.cancel();
  });
  net::co_spawn(rt_.io(), follow_share(),
                [](std::exception_ptr e) { log_job_end("rate-limit share", e); });
}

net::awaitable<void> Service::follow_share() {
  while (!stopping_) {
    rt_.caller().set_share(keeper_->live_daemons());
    co_await keeper_stop_->wait(keeper_->renew_interval());
  }
}

void Service::maybe_finish() {
  // The daemon ends when stopping and no engine runs, or when every engine ended in failure.
  // Without leases it also ends when no shop is left; with leases a daemon holding no shop
  // waits (its peers hold them, and it takes them over if they die).
  if (finished_ || running_ > 0 || starting_ > 0)
    return;
  bool all_failed = exit_code_ != kExOk;
  if (keeper_) // every shop it holds has failed here (a stopped shop, say)
    for (const auto& [shop, epoch] : keeper_->holding())
      all_failed = all_failed && failed_.contains(shop);
  if (stopping_ || all_failed || !keeper_)
    finished_ = true;
  if (finished_)
    all_ended_.cancel();
}

void Service::shop_ended(const std::string& name, int code) {
  if (code != kExOk)
    spdlog::error("shop {} stopped syncing (exit code {}); the other shops go on", name, code);
  if (exit_code_ == kExOk)
    exit_code_ = code;
  if (code != kExOk)
    failed_.insert(name);
  shop_status_.erase(name);
  --running_;
  // The pipeline is dropped later, outside its own engine's completion; a shop taken again
  // meanwhile starts anew.
  net::post(rt_.io(), [this, name] {
    rt_.close_shop(name);
    if (restart_when_ended_.erase(name) && keeper_ && !stopping_ &&
        keeper_->holding().contains(name)) {
      for (const auto& shop : config::shops_of(*cfg_))
        if (shop.name == name)
          net::co_spawn(rt_.io(), start_shop(shop),
                        [](std::exception_ptr e, bool) { log_job_end("starting a shop", e); });
    }
  });
  if (code != kExOk && running_ == 0 && keeper_)
    spdlog::error("every shop this daemon synced has stopped; it exits");
  maybe_finish();
}

net::awaitable<void> Service::apply_shops(config::Snapshot cfg) {
  const auto wanted = config::shops_of(*cfg);
  for (auto& pipeline : rt_.shops()) {
    const bool kept = std::any_of(wanted.begin(), wanted.end(),
                                  [&](const auto& s) { return s.name == pipeline->name; });
    if (!kept) {
      spdlog::info("shop {} was removed from the config: it stops syncing; its rows stay",
                   pipeline->name);
      pipeline->engine->stop(); // with leases the keeper has already given it up
    }
  }
  for (const config::ShopConfig& shop : wanted) {
    const auto it = std::find_if(rt_.shops().begin(), rt_.shops().end(),
                                 [&](const auto& p) { return p->name == shop.name; });
    if (it == rt_.shops().end()) {
      if (keeper_) // the keeper shares it out at its next round; its lease starts it
        continue;
      spdlog::info("shop {} was added to the config: it starts syncing", shop.name);
      co_await start_shop(shop);
    } else {
      if ((*it)->shop.access_token != shop.access_token ||
          (*it)->shop.refresh_token != shop.refresh_token)
        spdlog::warn("shop {}: its tokens changed and need a restart; the running ones stay",
                     shop.name);
      (*it)->engine->reconfigure(
          std::make_shared<const config::Config>(config::for_shop(*cfg, (*it)->shop)));
    }
  }
}

net::awaitable<int> Service::main_loop() {
  notifier_.status("starting: migrating the database");
  try {
    co_await rt_.start_app();
    if (cfg_->ha.leases) {
      start_keeper();
    } else {
      for (const config::ShopConfig& shop : config::shops_of(*cfg_)) {
        if (stopping_)
          break;
        co_await start_shop(shop);
      }
    }
  } catch (...) {
    if (!stopping_)
      throw;
  }
  if (stopping_ && !keeper_)
    co_return kExOk; // a signal arrived while starting
  if (running_ == 0 && !keeper_)
    co_return exit_code_; // no shop could start: said above, for each
  start_side_jobs();
  started_ = true;
  notifier_.ready();
  notifier_.status("ready");
  const auto shops = config::shops_of(*cfg_);
  spdlog::info("taosyncd {} started for {}", TAOSYNC_VERSION,
               shops.size() == 1 ? "shop " + shops.front().name
                                 : std::to_string(shops.size()) + " shops");
  while (!finished_) // operation_aborted: maybe_finish() found nothing left to run
    co_await all_ended_.async_wait(net::as_tuple(net::use_awaitable));
  if (keeper_) {
    // The engines have stopped writing: now the leases are released, so peers take the shops
    // at once, and then the database may stop.
    keeper_stop_->request();
    // Bounded: leases not released in time simply expire (peers wait at most a ttl).
    all_ended_.expires_after(kKeeperStopWait);
    const auto deadline = std::chrono::steady_clock::now() + kKeeperStopWait;
    while (!keeper_done_ && std::chrono::steady_clock::now() < deadline)
      co_await all_ended_.async_wait(net::as_tuple(net::use_awaitable));
    if (!keeper_done_)
      spdlog::warn("leases: not released within {}s; peers take the shops when they expire",
                   kKeeperStopWait.count());
    rt_.database().stop();
  }
  const int code = stopping_ ? kExOk : exit_code_;
  if (metrics_)
    metrics_->stop();
  ban_timer_.cancel();
  if (watchdog_) {
    rt_.database().set_heartbeat(nullptr);
    watchdog_->stop();
  }
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  spdlog::info("taosyncd stopped");
  co_return code;
}

void Service::start_side_jobs() {
  if (!cfg_->metrics.listen.empty()) {
    metrics_ = std::make_unique<obs::MetricsServer>(rt_.io().get_executor(), cfg_->metrics.listen,
                                                    obs::metrics(), cfg_->metrics.healthy_within,
                                                    obs::MetricsServerLimits::from(cfg_->metrics));
    net::co_spawn(rt_.io(), metrics_->run(),
                  [](std::exception_ptr e) { log_job_end("metrics endpoint", e); });
    spdlog::info("metrics on http://{}/metrics", cfg_->metrics.listen);
  }
  if (const auto interval = notifier_.watchdog_interval()) {
    // Progress must be seen within a watchdog period (the engine ticks every few seconds even
    // when idle), with a poll interval of slack for long cycles.
    const auto stall_after = std::max<std::chrono::steady_clock::duration>(
        *interval * 2, *interval + cfg_->sync.poll_interval);
    watchdog_ = std::make_unique<obs::ProgressWatchdog>(notifier_, *interval, stall_after);
    net::co_spawn(rt_.io(), watchdog_->run(),
                  [](std::exception_ptr e) { log_job_end("watchdog", e); });
    // Waiting out a database outage is progress of its own kind: keep the watchdog fed.
    rt_.database().set_heartbeat([w = watchdog_.get()] { w->mark_progress(); });
  }
  net::co_spawn(rt_.io(), watch_bans(), [](std::exception_ptr e) { log_job_end("ban watch", e); });
}

net::awaitable<void> Service::watch_bans() {
  // A ban is recorded by the API client (obs::api_ban); this shows it in STATUS= (with a
  // countdown) and records it for `taosyncd status`. The watchdog reads it on its own.
  std::optional<std::chrono::system_clock::time_point> shown;
  while (!stopping_) {
    const auto ban = obs::api_ban().in_force();
    if (ban && ban != shown)
      record_ban(*ban);
    if (ban || shown)
      show_status(ban.has_value() != shown.has_value());
    shown = ban;
    ban_timer_.expires_after(std::chrono::seconds(1));
    // operation_aborted is expected: the service cancels the timer when it stops.
    co_await ban_timer_.async_wait(net::as_tuple(net::use_awaitable));
  }
}

void Service::record_ban(std::chrono::system_clock::time_point until) {
  // Detached: the writer may be inside a long transaction, and the countdown must go on.
  net::co_spawn(rt_.io(), rt_.database().save_api_ban(config::shops_of(*cfg_).front().name, until),
                [](std::exception_ptr e) {
                  if (e)
                    log_job_end("recording the ban", e);
                });
}

void Service::on_status(const std::string& shop, const sync::EngineStatus& st) {
  auto& [line, phase] = shop_status_[shop];
  const bool phase_changed = st.phase != phase;
  line = st.line();
  phase = st.phase;
  show_status(phase_changed);
}

void Service::show_status(bool now) {
  // One shop: its line. Several: "N shops: " and each shop's line.
  std::string line;
  if (shop_status_.size() == 1) {
    line = shop_status_.begin()->second.first;
  } else {
    line = std::to_string(shop_status_.size()) + " shops";
    for (const auto& [shop, st] : shop_status_)
      line += "; " + shop + ": " + st.first;
  }
  const auto wall = std::chrono::system_clock::now();
  if (const auto ban = obs::api_ban().in_force(wall))
    line = obs::describe_ban(*ban, wall) + "; " + line;
  const auto t = std::chrono::steady_clock::now();
  // STATUS= is for humans: at most one a second unless the phase or the ban changes.
  if (line == last_status_ || (!now && t - last_status_at_ < std::chrono::seconds(1)))
    return;
  notifier_.status(line);
  last_status_ = line;
  last_status_at_ = t;
}

net::awaitable<void> Service::handle_signals() {
  for (;;) {
    // operation_aborted: the service is shutting down and cancelled the wait.
    auto [ec, sig] = co_await signals_.async_wait(net::as_tuple(net::use_awaitable));
    if (ec == net::error::operation_aborted)
      co_return;
    if (ec)
      throw boost::system::system_error(ec);
    if (sig == SIGHUP)
      reload();
    else
      begin_shutdown(sig);
  }
}

void Service::reload() {
  notifier_.reloading();
  spdlog::info("SIGHUP: reloading {}", opts_.config_path);
  try {
    if (!started_)
      throw std::runtime_error("still starting; try again when ready");
    config::Config loaded = config::load_config(opts_.config_path);
    register_secrets(loaded); // new secrets too, though a restart applies them
    config::ReloadPlan plan = config::plan_reload(*cfg_, std::move(loaded));
    if (!plan.need_restart.empty()) {
      const bool one = plan.need_restart.size() == 1;
      spdlog::warn(
          "{} changed and need{} a restart; the running value{} stay{} in force until then",
          joined(plan.need_restart), one ? "s" : "", one ? "" : "s", one ? "s" : "");
    }
    auto next = std::make_shared<const config::Config>(std::move(plan.next));
    obs::set_log_level(next->log.level);
    rt_.caller().reconfigure(config::api_part(next));
    if (keeper_) {
      std::vector<std::string> names;
      for (const auto& shop : config::shops_of(*next)) {
        names.push_back(shop.name);
        if (std::none_of(cfg_->shops.begin(), cfg_->shops.end(),
                         [&](const auto& s) { return s.name == shop.name; }) &&
            !cfg_->shops.empty())
          spdlog::info("shop {} was added to the config: it starts syncing once its lease is "
                       "taken",
                       shop.name);
      }
      keeper_->set_shops(std::move(names));
    }
    net::co_spawn(rt_.io(), apply_shops(next),
                  [](std::exception_ptr e) { log_job_end("applying the shops", e); });
    if (metrics_)
      metrics_->set_healthy_within(next->metrics.healthy_within);
    cfg_ = std::move(next);
    spdlog::info("config reloaded ({}): poll {}, log level {}",
                 plan.applied.empty() ? "nothing changed" : "changed: " + joined(plan.applied),
                 config::format_duration(cfg_->sync.poll_interval), cfg_->log.level);
  } catch (const std::exception& e) {
    spdlog::error("config reload rejected, the running config stays in force: {}", e.what());
  }
  notifier_.ready();
  if (!last_status_.empty())
    notifier_.status(last_status_);
}

void Service::begin_shutdown(int signal) {
  const char* name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  if (stopping_) {
    spdlog::warn("{} again: exiting now", name);
    std::_Exit(kExOk); // PostgreSQL rolls back an open transaction whole
  }
  stopping_ = true;
  notifier_.stopping();
  spdlog::info("{}: stopping after the current transaction (at most {}s)", name,
               cfg_->shutdown_timeout.count());
  if (started_) {
    for (auto& pipeline : rt_.shops())
      pipeline->engine->stop();
    // Calls in flight or waiting (a stalled answer, a ban) end now, not at their timeout; a
    // write transaction in progress still commits or rolls back whole.
    rt_.caller().cancel();
  }
  // With leases the database stays up until the keeper has released them (main_loop); the
  // deadline below still bounds a shutdown stuck in an outage.
  if (!keeper_)
    rt_.database().stop();
  maybe_finish();
  // A separate thread, so that a stuck io thread cannot hold the exit past the deadline.
  const auto deadline = cfg_->shutdown_timeout - std::chrono::milliseconds(250);
  std::thread([deadline] {
    std::this_thread::sleep_for(deadline);
    spdlog::error("shutdown_timeout reached: exiting now; PostgreSQL rolls back the open "
                  "transaction whole");
    std::_Exit(kExOk);
  }).detach();
}

} // namespace

int cmd_run(const CliOptions& opts) {
  return with_config(opts.config_path, [&](config::Config cfg) {
    Service service(opts, std::move(cfg));
    return service.run();
  });
}

} // namespace taosync::daemon
