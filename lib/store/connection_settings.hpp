#pragma once
// How taosyncd connects to PostgreSQL: the configured URL plus the deadlines and keepalives
// it adds to every connection, and a password-free description of the target for messages.

#include "config/config.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taosync::store {

using Millis = std::chrono::milliseconds;

/// What the URL reaches (database.pooler): PostgreSQL itself, or a pooler such as PgBouncer
/// that keeps one server session per client (session) or lends one per transaction
/// (transaction), where nothing a session sets outlives its transaction.
enum class Pooler { none, session, transaction };

/// "none", "session" or "transaction".
const char* pooler_name(Pooler p);

/// Everything needed to open one connection: database.*, built by connection_settings().
struct ConnectionSettings {
  std::string url; ///< as configured; may hold a password
  Millis connect_timeout{};
  Millis statement_timeout{}; ///< 0: none
  Millis lock_timeout{};      ///< 0: none
  /// idle_in_transaction_session_timeout: a session left idle inside a transaction this long is
  /// ended by the server, its locks with it. Set (to half the lease ttl) when leases are in
  /// use; 0: none.
  Millis idle_in_transaction_timeout{};
  Millis keepalives_idle{};
  Millis keepalives_interval{};
  int keepalives_count{};
  Pooler pooler = Pooler::none;
};

/// The settings of database.* in the config.
ConnectionSettings connection_settings(const config::DatabaseConfig& db);

/// `url` with the config's defaults for the rest (tests, tools).
ConnectionSettings connection_settings(std::string url);

/// `url` with each of `params` (libpq keyword, value) appended where the URL does not set
/// that keyword itself: what the user wrote always wins. Works on URIs and key=value strings;
/// a string libpq cannot parse is returned unchanged (connecting reports the error).
std::string with_libpq_defaults(std::string_view url,
                                const std::vector<std::pair<std::string, std::string>>& params);

/// "taosyncd-<pid>": how pg_stat_activity names this process's sessions, so an operator (or
/// a test) tells several daemons on one database apart.
std::string application_name();

/// The libpq string actually connected with: the URL plus connect_timeout, keepalives and
/// fallback_application_name=application_name().
std::string libpq_url(const ConnectionSettings& s);

/// "host:port/db" of the URL (libpq's defaults filled in), for messages; never a password.
std::string describe_target(std::string_view url);

} // namespace taosync::store
