#include "store/session.hpp"

#include "store/db_errors.hpp"

namespace taosync::store {
namespace {

// Session-wide (is_local false): they hold for every later transaction of the connection.
constexpr std::string_view kSetTimeouts =
    "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)";

// Only with leases in use (ConnectionSettings::idle_in_transaction_timeout): otherwise the
// server's or the role's own setting stands.
constexpr std::string_view kSetIdleTimeout =
    "SELECT set_config('idle_in_transaction_session_timeout', $1, false)";

// The same for one transaction (is_local true): behind a transaction pooler the next
// transaction may run on another server session, which has none of them.
constexpr std::string_view kSetLocalTimeouts =
    "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)";
constexpr std::string_view kSetLocalWithIdle =
    "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true), "
    "set_config('idle_in_transaction_session_timeout', $3, true)";

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
  if (s.pooler == Pooler::transaction)
    return conn; // each transaction sets its own (Pooling::begin)
  {
    pqxx::nontransaction tx(*conn, "session_timeouts");
    pq::run(tx, std::string(kSetTimeouts), gucs_ms(s.statement_timeout), gucs_ms(s.lock_timeout));
    if (s.idle_in_transaction_timeout > Millis{0})
      pq::run(tx, std::string(kSetIdleTimeout), gucs_ms(s.idle_in_transaction_timeout));
  }
  return conn;
}

Pooling::Pooling(const ConnectionSettings& s)
    : per_transaction_(s.pooler == Pooler::transaction),
      statement_timeout_(gucs_ms(s.statement_timeout)), lock_timeout_(gucs_ms(s.lock_timeout)),
      idle_timeout_(s.idle_in_transaction_timeout > Millis{0}
                        ? gucs_ms(s.idle_in_transaction_timeout)
                        : std::string()) {}

void Pooling::begin(pqxx::transaction_base& tx) const {
  if (!per_transaction_)
    return;
  if (idle_timeout_.empty())
    pq::run(tx, std::string(kSetLocalTimeouts), statement_timeout_, lock_timeout_);
  else
    pq::run(tx, std::string(kSetLocalWithIdle), statement_timeout_, lock_timeout_, idle_timeout_);
}

void prepare(pqxx::connection& conn, const Pooling& pooling, const Statement& s) {
  if (!pooling.per_transaction())
    conn.prepare(s.name, std::string(s.sql));
}

} // namespace taosync::store
