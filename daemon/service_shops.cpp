// The shops a running daemon syncs: one pipeline each, started at once or when the lease
// keeper takes the shop's lease, stopped when it is removed or its lease lost; and when the
// daemon has nothing left to run.

#include "service_impl.hpp"

namespace taosync::daemon::service_detail {
namespace {

/// How often the live daemons are counted for the rate-limit share: a daemon that joins is
/// given its share within this, so together the daemons stay under the app's limit.
constexpr std::chrono::milliseconds kShareCheck{1000};

} // namespace

net::awaitable<bool> Service::start_shop(config::ShopConfig shop) {
  sync::EngineHooks hooks;
  hooks.on_status = [this, name = shop.name](const sync::EngineStatus& st) { on_status(name, st); };
  hooks.on_progress = [this] {
    if (watchdog_)
      watchdog_->mark_progress();
  };
  hooks.init_slots = &init_slots_;
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
  options.daemon = daemon_;
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
  // Ends with the keeper: a requested stop ends every wait at once, so looping on it would
  // never yield the thread.
  while (!keeper_stop_->requested()) {
    rt_.caller().set_share(co_await keeper_->count_live());
    co_await keeper_stop_->wait(
        std::min<std::chrono::milliseconds>(kShareCheck, keeper_->renew_interval()));
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
  engine_status_.erase(name);
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

} // namespace taosync::daemon::service_detail
