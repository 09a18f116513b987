#include "runtime.hpp"
#include "exit_codes.hpp"
#include "shop_gate.hpp"

#include "api/lazada/client.hpp"
#include "obs/log.hpp"
#include "obs/redact.hpp"
#include "store/db_errors.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <openssl/evp.h>
#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace taosync::daemon {

void register_secrets(const config::Config& cfg) {
  for (auto& s : config::secret_values(cfg))
    obs::register_secret(std::move(s));
}

config::Config bootstrap(const std::string& config_path) {
  config::Config cfg = config::load_config(config_path);
  register_secrets(cfg);
  obs::init_logging(cfg.log);
  if (auto warning = config::inline_secret_warning(config_path))
    spdlog::warn("{}", *warning);
  return cfg;
}

std::string token_fingerprint(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

namespace {

store::ConnectionThreadOptions database_options(const config::Config& cfg, DatabaseWait wait) {
  auto options =
      store::connection_thread_options(cfg.database, wait == DatabaseWait::connect_timeout);
  // Under leases a frozen process must not keep row locks the next owner needs.
  return cfg.ha.leases ? store::with_lease_ttl(std::move(options), cfg.ha.lease_ttl) : options;
}

} // namespace

Runtime::Runtime(config::Config cfg, DatabaseWait wait)
    : cfg_(std::make_shared<const config::Config>(std::move(cfg))),
      db_(database_options(*cfg_, wait), cfg_->changes.retention) {}

Runtime::~Runtime() {
  // Engines and clients hold references to each other and to the database: drop them first.
  shops_.clear();
}

net::awaitable<void> Runtime::start_app() {
  co_await db_.migrate();
  caller_ = std::make_shared<api::Caller>(config::api_part(cfg_));
  caller_->set_clock_limits(api::ClockLimits::from(*cfg_));
}

api::Caller& Runtime::caller(config::Platform platform) {
  if (platform == config::Platform::taobao_tw)
    return *caller_;
  if (!lazada_caller_) {
    lazada_caller_ = std::make_shared<api::Caller>(
        std::make_shared<const config::ApiConfig>(config::lazada_api(*cfg_)));
    lazada_caller_->set_clock_limits(api::ClockLimits::from(*cfg_));
  }
  return *lazada_caller_;
}

std::vector<api::Caller*> Runtime::callers() {
  std::vector<api::Caller*> out{caller_.get()};
  if (lazada_caller_)
    out.push_back(lazada_caller_.get());
  return out;
}

void Runtime::reconfigure(const config::Snapshot& next) {
  caller_->reconfigure(config::api_part(next));
  if (lazada_caller_)
    lazada_caller_->reconfigure(
        std::make_shared<const config::ApiConfig>(config::lazada_api(*next)));
  for (api::Caller* c : callers())
    c->set_clock_limits(api::ClockLimits::from(*next));
}

net::awaitable<void> Runtime::start(const std::string& only) {
  co_await start_app();
  bool found = false;
  for (const config::ShopConfig& shop : config::shops_of(*cfg_)) {
    if (!only.empty() && shop.name != only)
      continue;
    found = true;
    co_await open_shop(shop);
  }
  if (!found)
    throw config::ConfigError("--shop", "no configured shop is named '" + only + "'");
}

std::string one_shop(const config::Config& cfg, const std::string& wanted) {
  return wanted.empty() ? config::shops_of(cfg).front().name : wanted;
}

ShopPipeline& Runtime::first_shop() {
  if (shops_.empty())
    throw std::logic_error("no shop is open");
  return *shops_.front();
}

ShopPipeline* Runtime::find_shop(const std::string& name) {
  const auto it =
      std::find_if(shops_.begin(), shops_.end(), [&](const auto& p) { return p->name == name; });
  return it == shops_.end() ? nullptr : it->get();
}

void Runtime::close_shop(const std::string& name) {
  std::erase_if(shops_, [&](const auto& p) { return p->name == name; });
}

std::unique_ptr<api::Platform> Runtime::make_client(const config::ShopConfig& shop,
                                                    model::Tokens tokens, api::TokenSaver saver) {
  if (shop.platform == config::Platform::taobao_tw)
    return std::make_unique<api::Client>(caller_, std::move(tokens), std::move(saver));
  caller(config::Platform::lazada); // made with the first Lazada shop
  const auto country = api::lazada::country_of(shop.country);
  if (!country) // config::read_shops checks it: a config made in code may not have been
    throw config::ConfigError("shops[" + shop.name + "].country",
                              "'" + shop.country + "' is not a Lazada country");
  return std::make_unique<api::lazada::Client>(
      lazada_caller_, std::move(tokens), std::move(saver),
      shop.base_url.value_or(std::string(country->gateway)), std::string(country->currency));
}

net::awaitable<ShopPipeline*> Runtime::open_shop(const config::ShopConfig& shop_cfg,
                                                 sync::EngineHooks hooks) {
  const auto view = std::make_shared<const config::Config>(config::for_shop(*cfg_, shop_cfg));
  const config::Config& cfg = *view;
  const std::string shop = shop_cfg.name;
  const bool resumed = co_await check_shop_stop(db_, shop, token_fingerprint(stop_key(cfg.api)));
  const std::string fingerprint = token_fingerprint(cfg.api.access_token);
  // After a resumed stop, tokens refreshed from the dead refresh token are useless.
  std::optional<model::Tokens> stored;
  if (!resumed)
    stored = co_await db_.load_tokens(shop, fingerprint);
  model::Tokens tokens{cfg.api.access_token, cfg.api.refresh_token, {}, {}};
  if (stored) {
    obs::register_secret(stored->access_token);
    obs::register_secret(stored->refresh_token);
    spdlog::info("using the refreshed tokens stored for shop {}", shop);
    tokens = *stored;
  }
  api::TokenSaver saver = [this, shop,
                           fingerprint](const model::Tokens& t) -> net::awaitable<void> {
    obs::register_secret(t.access_token);
    obs::register_secret(t.refresh_token);
    co_await db_.save_tokens(shop, t, fingerprint);
  };
  auto pipeline = std::make_unique<ShopPipeline>();
  pipeline->name = shop;
  pipeline->shop = shop_cfg;
  pipeline->client = make_client(shop_cfg, std::move(tokens), std::move(saver));
  pipeline->engine = std::make_unique<sync::Engine>(io_.get_executor(), view, *pipeline->client,
                                                    db_, std::move(hooks));
  shops_.push_back(std::move(pipeline));
  co_return shops_.back().get();
}

int exit_code_for(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const config::ConfigError& ex) {
    spdlog::error("config error: {}", ex.what());
    return kExConfig;
  } catch (const ShopStopped& ex) {
    spdlog::error("{}", ex.what());
    return kExNoPerm;
  } catch (const api::ApiFailure& ex) {
    spdlog::error("API failure: {}", ex.what());
    switch (ex.error().kind) {
    case api::ErrorKind::transient:
    case api::ErrorKind::throttled:
      return kExTempFail;
    case api::ErrorKind::refresh_dead:
      spdlog::error("{}", reauthorize_hint());
      return kExNoPerm;
    default:
      return kExUnavailable;
    }
  } catch (const sync::WindowHeld& ex) {
    spdlog::warn("{}", ex.what());
    return kExTempFail;
  } catch (const sync::RecordRejected& ex) {
    spdlog::error("{}", ex.what());
    return kExDataErr;
  } catch (const store::DatabaseUnreachable& ex) {
    spdlog::error("{}", ex.what());
    return kExUnavailable;
  } catch (const store::SchemaProblem& ex) {
    spdlog::error("database not usable as it is: {}", ex.what());
    return kExConfig;
  } catch (const store::DatabaseTimeout& ex) {
    spdlog::error("{}", ex.what());
    return kExTempFail;
  } catch (const pqxx::broken_connection& ex) {
    spdlog::error("database unreachable: {}", ex.what());
    return kExUnavailable;
  } catch (const store::ConnectionStopped& ex) {
    spdlog::error("database unreachable at shutdown: {}", ex.what());
    return kExTempFail;
  } catch (const pqxx::sql_error& ex) {
    // A command reading the store directly (status): a deadline is a temporary failure.
    if (const auto kind = store::timeout_kind(ex)) {
      spdlog::error("a database statement was cut by {}: {}", store::timeout_key(*kind), ex.what());
      return kExTempFail;
    }
    spdlog::error("database error: {}", ex.what());
    return kExSoftware;
  } catch (const std::exception& ex) {
    spdlog::error("failed: {}", ex.what());
    return kExSoftware;
  }
}

int run_to_exit_code(net::io_context& io, const std::function<net::awaitable<int>()>& body) {
  int code = kExSoftware;
  net::co_spawn(io, body(), [&code, &io](std::exception_ptr e, int result) {
    code = e ? exit_code_for(e) : result;
    io.stop(); // idle keep-alive connections and timers must not keep the command alive
  });
  io.run();
  return code;
}

} // namespace taosync::daemon
