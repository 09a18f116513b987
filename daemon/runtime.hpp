#pragma once
// What every command that talks to the database or the API sets up: config and logging,
// then (in a coroutine on one io_context) migrations, tokens, the API client and the engine.

#include "exit_codes.hpp"

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

/// The long-lived objects of a command. Construct, then co_await start() on io.
class Runtime {
public:
  explicit Runtime(config::Config cfg, DatabaseWait wait = DatabaseWait::forever);
  ~Runtime();

  /// Migrates the schema, loads stored tokens (when they descend from the configured token),
  /// and builds the client and the engine.
  net::awaitable<void> start(sync::EngineHooks hooks = {});

  net::io_context& io() { return io_; }
  const config::Config& config() const { return *cfg_; }
  /// The config in force when the runtime was made (a reload publishes its own).
  const config::Snapshot& snapshot() const { return cfg_; }
  /// Both database connections: the writer and the lookups connection.
  store::Database& database() { return db_; }
  api::Client& client() { return *client_; }
  sync::Engine& engine() { return *engine_; }

private:
  config::Snapshot cfg_;
  net::io_context io_;
  store::Database db_;
  std::unique_ptr<api::Client> client_;
  std::unique_ptr<sync::Engine> engine_;
};

/// Runs `body` on `io` until it finishes; returns its exit code, or the code for its
/// exception (logged).
int run_to_exit_code(net::io_context& io, std::function<net::awaitable<int>()> body);

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
