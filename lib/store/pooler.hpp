#pragma once
// Finding out, at connect, whether a connection pooler such as PgBouncer sits between taosyncd
// and PostgreSQL and how it pools, so that a pooler database.pooler does not name stops the
// start with the setting to change (exit 78) instead of breaking a sync midway: a transaction
// pooler loses what a session sets (staging tables, prepared statements, settings, LISTEN),
// and a statement pooler refuses transactions of more than one statement.

#include "store/connection_settings.hpp"

#include <pqxx/connection>

#include <string>

namespace taosync::store {

/// How a pooler was seen to pool, by probe().
enum class PoolMode { session, transaction, statement };

/// Checks that `conn`, just opened with `s`, reached what s.pooler says; `url_key` names the
/// setting its URL came from (database.url, database.listen_url). Returns the server session's
/// pg_backend_pid(). Throws config::ConfigError naming the setting to change and how.
///
/// PgBouncer hands its clients a process id of its own (libpq's backendpid()), never the
/// server session's, so the two differ exactly when it is in between. (A pooler that passed
/// the server's own on would look like PostgreSQL itself.) How it pools is probed
/// once per process (pool_mode), with a second connection: see probe_pool_mode().
int check_pooler(pqxx::connection& conn, const ConnectionSettings& s, const std::string& url_key);

/// How the pooler behind `conn` pools: `conn` sets a value on its server session, a second
/// connection opened with `s` looks for it inside a transaction, and `conn` reads it back in
/// a transaction of its own. Seen by the other, or lost to `conn`: a transaction pooler (its
/// idle server sessions are reused last-in first-out, so the other connection gets the one
/// `conn` just used). The second connection's transaction refused: a statement pooler.
/// Neither: a session pooler, or a transaction pooler busy enough with other clients to hide
/// it (the probe can prove transaction pooling, never rule it out).
PoolMode probe_pool_mode(pqxx::connection& conn, const ConnectionSettings& s);

} // namespace taosync::store
