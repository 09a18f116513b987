#include "service_impl.hpp"

namespace taosync::daemon {

namespace service_detail {

void log_job_end(const char* what, std::exception_ptr e) {
  if (!e)
    return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("{} stopped: {}", what, ex.what());
  }
}

namespace {

/// How long a stopping daemon waits for its leases to be released.
constexpr std::chrono::seconds kKeeperStopWait{3};

/// "a, b" from {"a", "b"}.
std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

} // namespace

net::awaitable<int> Service::main_loop() {
  notifier_.status("starting: migrating the database");
  try {
    co_await rt_.start_app();
    if (cfg_->ha.leases) {
      start_keeper();
    } else {
      for (const config::ShopConfig& shop : config::shops_of(*cfg_)) {
        if (stage_ != Stage::starting)
          break;
        co_await start_shop(shop);
      }
    }
  } catch (...) {
    if (stage_ == Stage::starting)
      throw;
  }
  if (stage_ != Stage::starting && !keeper_)
    co_return kExOk; // a signal arrived while starting
  if (shops_.empty() && !keeper_)
    co_return exit_code_; // no shop could start: said above, for each
  start_side_jobs();
  if (stage_ == Stage::starting)
    stage_ = Stage::running;
  notifier_.ready();
  notifier_.status("ready");
  const auto shops = config::shops_of(*cfg_);
  spdlog::info("taosyncd {} started for {}", TAOSYNC_VERSION,
               shops.size() == 1 ? "shop " + shops.front().name
                                 : std::to_string(shops.size()) + " shops");
  while (stage_ != Stage::stopped) // operation_aborted: maybe_finish() found nothing to run
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
  const int code = exit_code_;
  if (metrics_)
    metrics_->stop();
  if (status_)
    status_->stop();
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
    status_ = std::make_unique<StatusSource>(rt_.io().get_executor(), rt_.database(),
                                             [this] { return status_view(); });
    metrics_->set_status_source([this] { return status_->document(); });
    net::co_spawn(rt_.io(), metrics_->run(),
                  [](std::exception_ptr e) { log_job_end("metrics endpoint", e); });
    net::co_spawn(rt_.io(), status_->sample_calls(),
                  [](std::exception_ptr e) { log_job_end("status call counts", e); });
    spdlog::info("metrics on http://{}/metrics, status page on http://{}/", cfg_->metrics.listen,
                 cfg_->metrics.listen);
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
  while (stage_ < Stage::draining) {
    const auto ban = obs::api_ban().in_force();
    if (ban && ban != shown)
      record_ban(*ban);
    if (ban || shown)
      show_status(ban.has_value() != shown.has_value());
    shown = ban;
    record_platform_clock();
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

void Service::record_platform_clock() {
  // `taosyncd status` runs apart and cannot measure the offset: the daemon stores it beside a
  // shop it runs, when it moved by a second or more and at least once a minute.
  const auto seconds = obs::metrics().platform_clock().offset_seconds;
  const auto shop = std::find_if(shops_.begin(), shops_.end(),
                                 [](const auto& life) { return life.second.status.has_value(); });
  if (!seconds || shop == shops_.end())
    return;
  const auto offset = std::chrono::milliseconds(std::llround(*seconds * 1000.0));
  const auto now = std::chrono::steady_clock::now();
  if (clock_recorded_ &&
      std::chrono::abs(offset - clock_recorded_->offset) < std::chrono::seconds(1) &&
      now - clock_recorded_->at < std::chrono::minutes(1))
    return;
  clock_recorded_ = RecordedClock{offset, now};
  // Detached, like a ban. A failure (the shop handed over meanwhile, the database away) is
  // not worth a line: the next minute's record replaces it.
  net::co_spawn(rt_.io(), rt_.database().save_platform_clock(shop->first, offset),
                [](std::exception_ptr) {});
}

void Service::on_status(const std::string& shop, const sync::EngineStatus& st) {
  const auto life = shops_.find(shop);
  if (life == shops_.end())
    return; // its engine has ended
  auto& status = life->second.status;
  const bool phase_changed = !status || status->phase != st.phase;
  status = st;
  show_status(phase_changed);
}

StatusSource::View Service::status_view() {
  StatusSource::View view;
  StatusInput& in = view.input;
  in.now = std::chrono::system_clock::now();
  in.source = "daemon";
  in.version = TAOSYNC_VERSION;
  in.daemon = daemon_;
  in.leases = cfg_->ha.leases;
  if (!in.leases)
    in.daemon->id.clear(); // a name only leases give it
  const std::size_t share = keeper_ ? std::max<std::size_t>(keeper_->live_daemons(), 1) : 1;
  in.limit_per_minute =
      cfg_->api.rate_limit.requests_per_second * 60.0 / static_cast<double>(share);
  in.banned_until = obs::api_ban().in_force(in.now);
  in.platform_clock_offset = obs::metrics().platform_clock().offset_seconds;
  in.errors = obs::recent_errors().newest_first();
  for (const config::ShopConfig& shop : config::shops_of(*cfg_)) {
    ShopStatusInput& s = in.shops.emplace_back();
    s.shop = shop.name;
    s.init_start = config::for_shop(*cfg_, shop).sync.init.start;
    s.live.emplace();
    if (const auto it = shops_.find(shop.name); it != shops_.end() && it->second.status)
      s.live->engine = *it->second.status;
  }
  for (const auto& pipeline : rt_.shops())
    view.shop_calls[pipeline->name] = pipeline->client->counters().calls;
  view.app_calls = 0;
  for (const api::Caller* c : rt_.callers())
    view.app_calls += c->counters().calls;
  return view;
}

void Service::show_status(bool now) {
  // One shop: its line. Several: "N shops: " and each shop's line.
  std::vector<std::pair<std::string, std::string>> lines; // (shop, line) of those with a status
  for (const auto& [shop, life] : shops_)
    if (life.status)
      lines.emplace_back(shop, life.status->line());
  std::string line;
  if (lines.size() == 1) {
    line = lines.front().second;
  } else {
    line = std::to_string(lines.size()) + " shops";
    for (const auto& [shop, shop_line] : lines)
      line.append("; ").append(shop).append(": ").append(shop_line);
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
    if (stage_ != Stage::running)
      throw std::runtime_error(stage_ == Stage::starting ? "still starting; try again when ready"
                                                         : "stopping");
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
    rt_.reconfigure(next);
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
  if (stage_ >= Stage::draining) {
    spdlog::warn("{} again: exiting now", name);
    std::_Exit(kExOk); // PostgreSQL rolls back an open transaction whole
  }
  const bool was_running = stage_ == Stage::running;
  stage_ = Stage::draining;
  exit_code_ = kExOk; // asked to stop: a clean exit, whatever failed before
  notifier_.stopping();
  spdlog::info("{}: stopping after the current transaction (at most {}s)", name,
               cfg_->shutdown_timeout.count());
  if (was_running) {
    for (const auto& [shop, life] : shops_)
      stop_shop(shop);
    // Calls in flight or waiting (a stalled answer, a ban) end now, not at their timeout; a
    // write transaction in progress still commits or rolls back whole.
    for (api::Caller* c : rt_.callers())
      c->cancel();
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

} // namespace service_detail

int cmd_run(const CliOptions& opts) {
  return with_config(opts.config_path, [&](config::Config cfg) {
    service_detail::Service service(opts, std::move(cfg));
    return service.run();
  });
}

} // namespace taosync::daemon
