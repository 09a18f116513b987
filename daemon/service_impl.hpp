#pragma once
// The service behind `taosyncd run`: its lifecycle (start, signals, reload, status, shutdown)
// in service.cpp, and the shops it runs (one pipeline per shop, started by hand or by the
// lease keeper) in service_shops.cpp.

#include "exit_codes.hpp"
#include "runtime.hpp"
#include "service.hpp"
#include "shop_gate.hpp"
#include "status_source.hpp"

#include "config/reload.hpp"

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
#include <set>
#include <thread>

namespace taosync::daemon::service_detail {

/// Logs the exception of a background job instead of dropping it.
void log_job_end(const char* what, std::exception_ptr e);

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
  bool started_ = false;
  bool stopping_ = false;
  /// Each running shop's last status line and phase, by shop.
  std::map<std::string, std::pair<std::string, sync::Phase>> shop_status_;
  /// Each running shop's last published status (the status page).
  std::map<std::string, sync::EngineStatus> engine_status_;
  std::size_t running_ = 0;     ///< engines still running
  int exit_code_ = kExOk;       ///< the first failing shop's, when every shop has ended
  bool finished_ = false;       ///< nothing left to run: main_loop ends
  net::steady_timer all_ended_; ///< cancelled when finished_ (or the keeper's end) is set
  /// With ha.leases: the keeper, its stop and whether its run has returned.
  std::unique_ptr<sync::LeaseKeeper> keeper_;
  /// The shops' inits take turns (sync.parallel_inits).
  sync::InitSlots init_slots_{static_cast<std::size_t>(cfg_->sync.parallel_inits)};
  std::unique_ptr<sync::StopSignal> keeper_stop_;
  bool keeper_done_ = false;
  std::set<std::string> restart_when_ended_; ///< taken again while its old engine still ran
  std::set<std::string> failed_;             ///< shops whose engine ended in a failure
  std::size_t starting_ = 0;                 ///< start_shop() calls in progress
  std::string last_status_;                  ///< the last STATUS= sent
  std::chrono::steady_clock::time_point last_status_at_{};
};

} // namespace taosync::daemon::service_detail
