#include "store/session.hpp"

#include "store/db_errors.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

// Session-wide (is_local false): they hold for every later transaction of the connection.
constexpr std::string_view kSetTimeouts =
    "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)";

// Only with leases in use (ConnectionSettings::idle_in_transaction_timeout): otherwise the
// server's or the role's own setting stands.
constexpr std::string_view kSetIdleTimeout =
    "SELECT set_config('idle_in_transaction_session_timeout', $1, false)";

std::string gucs_ms(Millis d) {
  return std::to_string(d.count()) + "ms";
}

} // namespace

std::unique_ptr<pqxx::connection> open_session(const ConnectionSettings& s) {
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(libpq_url(s));
  } catch (const std::exception& e) { // also a malformed connection string
    throw pqxx::broken_connection(one_line(e.what(), s.url));
  }
  pq::no_reactivation(*conn); // callers reconnect explicitly
  {
    pqxx::nontransaction tx(*conn, "session_timeouts");
    pq::run(tx, std::string(kSetTimeouts), gucs_ms(s.statement_timeout), gucs_ms(s.lock_timeout));
    if (s.idle_in_transaction_timeout > Millis{0})
      pq::run(tx, std::string(kSetIdleTimeout), gucs_ms(s.idle_in_transaction_timeout));
  }
  return conn;
}

} // namespace taosync::store
