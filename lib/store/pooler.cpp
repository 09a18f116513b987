#include "store/pooler.hpp"

#include "store/db_errors.hpp"
#include "store/pq.hpp"
#include "store/session.hpp"

#include "config/config.hpp"

#include <pqxx/pqxx>

#include <atomic>
#include <random>

namespace taosync::store {
namespace {

constexpr std::string_view kServerPid = "SELECT pg_backend_pid()";
// A custom setting on the server session: harmless to any other client that meets it.
constexpr std::string_view kSetProbe = "SELECT set_config('taosync.pool_probe', $1, false)";
constexpr std::string_view kReadProbe = "SELECT current_setting('taosync.pool_probe', true)";

/// A pooler's pool_mode is the same for every connection of the process: probed once.
std::atomic<bool> g_probed{false};

std::string random_token() {
  std::random_device rd;
  return std::to_string(rd()) + "-" + std::to_string(rd());
}

std::string read_probe(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn, "pool_probe");
  const auto value = pq::run1(tx, std::string(kReadProbe))[0];
  tx.commit();
  return value.is_null() ? std::string() : value.as<std::string>();
}

/// The second connection's look at the probe; nullopt if its transaction was refused.
std::optional<std::string> read_probe_elsewhere(const ConnectionSettings& s) {
  ConnectionSettings other = s;
  other.pooler = Pooler::transaction; // nothing set on its session: one transaction is all
  const auto conn = open_session(other);
  try {
    pqxx::read_transaction tx(*conn, "pool_probe");
    pq::run(tx, "SELECT 1"); // a second statement inside the transaction
    const auto value = pq::run1(tx, std::string(kReadProbe))[0];
    tx.commit();
    return value.is_null() ? std::string() : value.as<std::string>();
  } catch (const pqxx::failure&) {
    return std::nullopt; // PgBouncer ends a client that opens a transaction block in it
  }
}

/// What to set for a pooler seen to pool as `mode`.
std::string fix_for(PoolMode mode, const std::string& url_key) {
  switch (mode) {
  case PoolMode::statement:
    return "its pool_mode is statement, which refuses transactions of more than one statement "
           "(every write of taosync is one). Fix: pool_mode = transaction (with "
           "database.pooler: transaction) or session (database.pooler: session) for this "
           "database in the pooler's configuration, or point " +
           url_key + " at PostgreSQL itself";
  case PoolMode::transaction:
    return "it lends a server session per transaction (pool_mode = transaction): what one "
           "connection set on its server session was seen by another, or gone at its next "
           "transaction. Fix: set database.pooler: transaction";
  case PoolMode::session:
    break;
  }
  return "Fix: set database.pooler to its pool_mode, session or transaction (transaction "
         "works under either, at some cost: docs/operations.md), or point " +
         url_key + " at PostgreSQL itself";
}

} // namespace

PoolMode probe_pool_mode(pqxx::connection& conn, const ConnectionSettings& s) {
  const std::string token = random_token();
  {
    pqxx::nontransaction tx(conn, "pool_probe");
    pq::run(tx, std::string(kSetProbe), token);
  }
  const auto elsewhere = read_probe_elsewhere(s);
  if (!elsewhere)
    return PoolMode::statement; // and `conn` must not open a transaction either
  const bool kept = read_probe(conn) == token;
  {
    pqxx::nontransaction tx(conn, "pool_probe");
    pq::run(tx, std::string(kSetProbe), std::string());
  }
  return *elsewhere == token || !kept ? PoolMode::transaction : PoolMode::session;
}

int check_pooler(pqxx::connection& conn, const ConnectionSettings& s, const std::string& url_key) {
  int server_pid = 0;
  {
    pqxx::nontransaction tx(conn, "server_pid");
    server_pid = pq::run1(tx, std::string(kServerPid))[0].as<int>();
  }
  if (server_pid == conn.backendpid())
    return server_pid; // PostgreSQL itself: every pooler setting works there
  const std::string where = url_key + " (" + describe_target(s.url) +
                            ") reaches PostgreSQL through a connection pooler such as PgBouncer "
                            "(its server session is pid " +
                            std::to_string(server_pid) + ", not the " +
                            std::to_string(conn.backendpid()) + " the pooler announced)";
  if (url_key != "database.url")
    throw config::ConfigError(url_key, where + ", and LISTEN needs a server session of its own. "
                                               "Fix: point it at PostgreSQL itself, or leave it "
                                               "empty");
  if (s.pooler == Pooler::none)
    throw config::ConfigError("database.pooler", "is none, but " + where + "; " +
                                                     fix_for(probe_pool_mode(conn, s), url_key));
  if (g_probed)
    return server_pid;
  const PoolMode mode = probe_pool_mode(conn, s);
  if (mode == PoolMode::statement || (mode == PoolMode::transaction && s.pooler == Pooler::session))
    throw config::ConfigError("database.pooler", std::string("is ") + pooler_name(s.pooler) +
                                                     ", but " + where + "; " +
                                                     fix_for(mode, url_key));
  g_probed = true;
  return server_pid;
}

} // namespace taosync::store
