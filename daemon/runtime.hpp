#pragma once
// What every command that talks to the database or the API sets up: config and logging,
// then (in a coroutine on one io_context) migrations, tokens, the API client and the engine.

#include "exit_codes.hpp"

#include "api/caller.hpp"
#include "api/client.hpp"
#include "config/config.hpp"
#include "store/database.hpp"
#include "sync/engine.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace taosync::daemon {

namespace net = boost::asio;

/// Loads and validates the config, sets up logging and registers the secrets for redaction.
/// Throws config::ConfigError.
config::Config bootstrap(const std::string& config_path);

/// Registers every secret of `cfg` with the log redaction.
void register_secrets(const config::Config& cfg);

/// SHA-256 hex (lower case) of a configured token: the access token's ties stored tokens to
/// it, the refresh token's ties a stop to it.
std::string token_fingerprint(const std::string& token);

/// How long a command waits for an unreachable database.
enum class DatabaseWait {
  forever,        ///< the daemon: keep retrying, logging why
  connect_timeout ///< one-shot commands: give up (exit 69) after database.connect_timeout
};

/// One shop's pipeline: its client, on the app's shared caller, and its engine.
struct ShopPipeline {
  std::string name;
  config::ShopConfig shop;               ///< as configured (a reload compares it)
  std::unique_ptr<api::Platform> client; ///< the shop's tokens; its app's rate limit and pool
  std::unique_ptr<sync::Engine> engine;  ///< reads its own view of the config (for_shop)
};

/// The long-lived objects of a command. Construct, then co_await start() on io.
class Runtime {
public:
  explicit Runtime(config::Config cfg, DatabaseWait wait = DatabaseWait::forever);
  ~Runtime();

  /// Migrates the schema and makes the app's shared caller (rate limit, pool, retries).
  net::awaitable<void> start_app();
  /// Builds the pipeline of `shop`: the stop check (ShopStopped, exit 77, if it stays
  /// stopped), its tokens (the stored ones when they descend from the configured token), its
  /// client and its engine. Call after start_app().
  net::awaitable<ShopPipeline*> open_shop(const config::ShopConfig& shop,
                                          sync::EngineHooks hooks = {});
  /// Drops the pipeline of `name` (its engine must have stopped).
  void close_shop(const std::string& name);

  /// start_app(), then open_shop() for `only` (a shop name), or for every configured shop.
  net::awaitable<void> start(const std::string& only = {});

  net::io_context& io() { return io_; }
  const config::Config& config() const { return *cfg_; }
  /// The config in force when the runtime was made (a reload publishes its own).
  const config::Snapshot& snapshot() const { return cfg_; }
  /// Both database connections: the writer and the lookups connection.
  store::Database& database() { return db_; }
  /// The caller of the app of `platform`, shared by its shops' clients: Taobao TW's is made by
  /// start_app(), Lazada's with the first Lazada shop.
  api::Caller& caller(config::Platform platform = config::Platform::taobao_tw);
  /// Every app's caller made so far.
  std::vector<api::Caller*> callers();
  /// Puts the api settings of `next` in force on every caller (SIGHUP).
  void reconfigure(const config::Snapshot& next);
  /// The open pipelines, in the order they were opened.
  std::vector<std::unique_ptr<ShopPipeline>>& shops() { return shops_; }
  /// The open pipeline of shop `name`, or nullptr.
  ShopPipeline* find_shop(const std::string& name);
  /// The first open pipeline (the one-shop commands: resync, audit).
  ShopPipeline& first_shop();

private:
  /// The client of `shop` on its platform's caller.
  std::unique_ptr<api::Platform> make_client(const config::ShopConfig& shop, model::Tokens tokens,
                                             api::TokenSaver saver);

  config::Snapshot cfg_;
  net::io_context io_;
  store::Database db_;
  std::shared_ptr<api::Caller> caller_;        ///< the Taobao TW app
  std::shared_ptr<api::Caller> lazada_caller_; ///< the Lazada app, once a shop needs it
  std::vector<std::unique_ptr<ShopPipeline>> shops_;
};

/// `wanted`, or the first configured shop if it is empty (the one-shop commands).
std::string one_shop(const config::Config& cfg, const std::string& wanted);

/// Runs `body` on `io` until it finishes; returns its exit code, or the code for its
/// exception (logged).
int run_to_exit_code(net::io_context& io, const std::function<net::awaitable<int>()>& body);

/// Logs an exception and maps it to a sysexits code.
int exit_code_for(std::exception_ptr e);

/// Runs `fn(cfg)` after bootstrap: a config error is reported on stderr and gives 78 (EX_CONFIG);
/// any other exception is mapped by exit_code_for.
template <class F> int with_config(const std::string& config_path, F&& fn) {
  config::Config cfg;
  try {
    cfg = bootstrap(config_path);
  } catch (const config::ConfigError& e) {
    std::cerr << "taosyncd: " << config_path << ": " << e.what() << "\n";
    return kExConfig;
  }
  try {
    return fn(cfg);
  } catch (...) {
    return exit_code_for(std::current_exception());
  }
}

} // namespace taosync::daemon
