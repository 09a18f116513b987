#pragma once
// The service behind `taosyncd run`: its lifecycle (start, signals, reload, status, shutdown)
// in service.cpp, and the shops it runs (one pipeline per shop, started by hand or by the
// lease keeper) in service_shops.cpp.

#include "commands.hpp"
#include "exit_codes.hpp"
#include "runtime.hpp"
#include "shop_gate.hpp"
#include "status_source.hpp"

#include "config/config.hpp"

#include "obs/api_ban.hpp"
#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "obs/metrics_server.hpp"
#include "obs/notify.hpp"
#include "obs/recent_errors.hpp"
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
#include <optional>
#include <set>
#include <thread>

namespace taosync::daemon::service_detail {

/// Logs the exception of a background job instead of dropping it.
void log_job_end(const char* what, std::exception_ptr e);

/// Where the daemon, or one shop in it, is in its life. It only moves forward: a shop whose
/// lease is taken again after it stopped begins a new life.
enum class Stage {
  starting, ///< the daemon: migrating and starting its shops; a shop: opening its pipeline
  running,  ///< the daemon: ready; a shop: its engine runs
  draining, ///< asked to stop: calls are cancelled, the transaction in progress ends whole
  stopped,  ///< the daemon: nothing left to run, main_loop returns
};

/// A shop this daemon runs, from start_shop() until its engine has ended.
struct ShopLife {
  Stage stage = Stage::starting;
  std::optional<sync::EngineStatus> status; ///< its last published status
};

class Service {
public:
  Service(CliOptions opts, config::Config cfg)
      : opts_(std::move(opts)), rt_(std::move(cfg)), cfg_(rt_.snapshot()),
        daemon_(store::this_daemon(cfg_->ha.daemon_id)),
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
  /// Whether every configured shop has failed for good on this daemon.
  bool all_shops_failed() const;
  /// Follows the number of live daemons: the app's rate limit is shared between them.
  net::awaitable<void> follow_share();
  net::awaitable<void> handle_signals();
  void start_side_jobs();
  net::awaitable<void> watch_bans();
  void record_ban(std::chrono::system_clock::time_point until);
  /// Stores the platform's clock offset for `taosyncd status`, when it moved or once a minute.
  void record_platform_clock();
  void on_status(const std::string& shop, const sync::EngineStatus& st);
  /// What the status page shows beside the stored figures (see StatusSource::View).
  StatusSource::View status_view();
  void show_status(bool now);
  void reload();
  void begin_shutdown(int signal);
  /// Asks the engine of `name` to stop (its life drains, then ends in shop_ended).
  void stop_shop(const std::string& name);

  CliOptions opts_;
  Runtime rt_;
  config::Snapshot cfg_;         ///< the config in force, as last published
  store::DaemonIdentity daemon_; ///< this process (its id names it only with ha.leases)
  obs::Notifier notifier_;
  net::signal_set signals_;
  std::unique_ptr<obs::ProgressWatchdog> watchdog_;
  std::unique_ptr<obs::MetricsServer> metrics_;
  std::unique_ptr<StatusSource> status_; ///< the status page's document, with metrics_
  net::steady_timer ban_timer_;
  /// The platform clock offset last stored, and when.
  struct RecordedClock {
    std::chrono::milliseconds offset;
    std::chrono::steady_clock::time_point at;
  };
  std::optional<RecordedClock> clock_recorded_;
  Stage stage_ = Stage::starting;
  /// The shops starting or running here, by name: none left is how the daemon knows it may end.
  std::map<std::string, ShopLife> shops_;
  /// The first failing shop's, when every shop has ended; a stop asked for by a signal is a
  /// clean exit whatever ended before it.
  int exit_code_ = kExOk;
  net::steady_timer all_ended_; ///< cancelled when stage_ becomes stopped (or the keeper ends)
  /// With ha.leases: the keeper, its stop and whether its run has returned.
  std::unique_ptr<sync::LeaseKeeper> keeper_;
  /// The shops' inits take turns (sync.parallel_inits).
  sync::InitSlots init_slots_{static_cast<std::size_t>(cfg_->sync.parallel_inits)};
  std::unique_ptr<model::Stop> keeper_stop_;
  bool keeper_done_ = false;
  std::set<std::string> restart_when_ended_; ///< taken again while its old engine still ran
  std::set<std::string> failed_;             ///< shops whose engine ended in a failure
  std::string last_status_;                  ///< the last STATUS= sent
  std::chrono::steady_clock::time_point last_status_at_{};
};

} // namespace taosync::daemon::service_detail
