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
  shops_[shop.name] = ShopLife{};
  try {
    pipeline = co_await rt_.open_shop(shop, std::move(hooks));
  } catch (const ShopStopped&) {
    refused = std::current_exception(); // this shop alone; the others go on
  } catch (...) {
    shops_.erase(shop.name);
    throw;
  }
  if (refused) {
    if (exit_code_ == kExOk && stage_ < Stage::draining)
      exit_code_ = exit_code_for(refused);
    failed_.insert(shop.name);
    shops_.erase(shop.name);
    maybe_finish();
    co_return false;
  }
  auto& life = shops_[shop.name];
  if (life.stage == Stage::starting)
    life.stage = Stage::running;
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
      if (stage_ < Stage::draining)
        code = exit_code_for(std::current_exception());
    }
    shop_ended(name, code);
  });
  if (stage_ >= Stage::draining || life.stage == Stage::draining)
    stop_shop(shop.name); // the daemon, or this shop, was asked to stop while it opened
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
    if (stage_ >= Stage::draining)
      return;
    const auto shops = config::shops_of(*cfg_);
    const auto shop =
        std::find_if(shops.begin(), shops.end(), [&](const auto& s) { return s.name == name; });
    if (shop == shops.end())
      return;
    const bool open = shops_.contains(name) || rt_.find_shop(name) != nullptr;
    if (open) {
      restart_when_ended_.insert(name); // its former life is still opening or finishing
      return;
    }
    net::co_spawn(rt_.io(), start_shop(*shop),
                  [](std::exception_ptr e, bool) { log_job_end("starting a shop", e); });
  };
  hooks.on_lost = [this](const std::string& name, const std::string& reason) {
    spdlog::warn("shop {}: lease lost ({}): it stops syncing here", name, reason);
    restart_when_ended_.erase(name);
    stop_shop(name);
  };
  keeper_stop_ = std::make_unique<model::Stop>(rt_.io().get_executor());
  keeper_ =
      std::make_unique<sync::LeaseKeeper>(rt_.database(), std::move(options), std::move(hooks));
  net::co_spawn(rt_.io(), keeper_->run(*keeper_stop_), [this](std::exception_ptr e) {
    log_job_end("the lease keeper", e);
    keeper_done_ = true; // the keeper's own end, which main_loop awaits after the shops'
    all_ended_.cancel();
  });
  net::co_spawn(rt_.io(), follow_share(),
                [](std::exception_ptr e) { log_job_end("rate-limit share", e); });
}

net::awaitable<void> Service::follow_share() {
  // Ends with the keeper: a requested stop ends every wait at once, so looping on it would
  // never yield the thread.
  while (!keeper_stop_->requested()) {
    const auto live = co_await keeper_->count_live();
    for (api::Caller* c : rt_.callers())
      c->set_share(live);
    co_await keeper_stop_->wait(
        std::min<std::chrono::milliseconds>(kShareCheck, keeper_->renew_interval()));
  }
}

void Service::maybe_finish() {
  // The daemon ends when stopping and no engine runs. Without leases it also ends when no
  // shop is left. With leases a daemon holding no shop waits (its peers hold them, and it
  // takes them over if they die), unless every configured shop has failed here: what it holds
  // at one moment is no guide, since the keeper takes leases one at a time.
  // While starting, main_loop itself looks at what started once the configured shops are done.
  if (stage_ == Stage::starting || stage_ == Stage::stopped || !shops_.empty())
    return;
  if (stage_ == Stage::draining || !keeper_ || all_shops_failed()) {
    stage_ = Stage::stopped;
    all_ended_.cancel();
  }
}

bool Service::all_shops_failed() const {
  const auto shops = config::shops_of(*cfg_);
  return std::all_of(shops.begin(), shops.end(),
                     [&](const auto& shop) { return failed_.contains(shop.name); });
}

void Service::stop_shop(const std::string& name) {
  if (const auto life = shops_.find(name); life != shops_.end())
    life->second.stage = Stage::draining; // an opening shop stops once open (start_shop)
  if (ShopPipeline* pipeline = rt_.find_shop(name))
    pipeline->engine->stop();
}

void Service::shop_ended(const std::string& name, int code) {
  if (code != kExOk)
    spdlog::error("shop {} stopped syncing (exit code {}); the other shops go on", name, code);
  if (exit_code_ == kExOk && stage_ < Stage::draining)
    exit_code_ = code;
  if (code != kExOk)
    failed_.insert(name);
  shops_.erase(name);
  // The pipeline is dropped later, outside its own engine's completion; a shop taken again
  // meanwhile starts anew.
  net::post(rt_.io(), [this, name] {
    rt_.close_shop(name);
    if (restart_when_ended_.erase(name) && keeper_ && stage_ < Stage::draining &&
        keeper_->holding().contains(name)) {
      for (const auto& shop : config::shops_of(*cfg_))
        if (shop.name == name)
          net::co_spawn(rt_.io(), start_shop(shop),
                        [](std::exception_ptr e, bool) { log_job_end("starting a shop", e); });
    }
  });
  if (code != kExOk && keeper_ && all_shops_failed())
    spdlog::error("every configured shop has stopped on this daemon; it exits");
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
      stop_shop(pipeline->name); // with leases the keeper has already given it up
    }
  }
  for (const config::ShopConfig& shop : wanted) {
    ShopPipeline* open = rt_.find_shop(shop.name);
    if (open == nullptr) {
      if (keeper_) // the keeper shares it out at its next round; its lease starts it
        continue;
      spdlog::info("shop {} was added to the config: it starts syncing", shop.name);
      co_await start_shop(shop);
    } else {
      if (open->shop.access_token != shop.access_token ||
          open->shop.refresh_token != shop.refresh_token)
        spdlog::warn("shop {}: its tokens changed and need a restart; the running ones stay",
                     shop.name);
      if (open->shop.platform != shop.platform || open->shop.country != shop.country ||
          open->shop.base_url != shop.base_url)
        spdlog::warn("shop {}: its platform, country or base_url changed and need a restart; "
                     "the running ones stay",
                     shop.name);
      open->engine->reconfigure(
          std::make_shared<const config::Config>(config::for_shop(*cfg, open->shop)));
    }
  }
}

} // namespace taosync::daemon::service_detail
