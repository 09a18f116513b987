#pragma once
// Opening one PostgreSQL session the way every taosyncd connection is opened: the configured
// URL plus deadlines and keepalives, and the statement and lock timeouts. Where those live
// depends on what the URL reaches: a server session of its own (PostgreSQL itself, or a
// session pooler) keeps them for the connection's life; behind a transaction pooler every
// transaction may run on another server session, so each transaction sets them itself.

#include "store/connection_settings.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace taosync::store {

/// Connects and applies statement_timeout and lock_timeout to the session (behind a
/// transaction pooler: to nothing, see Pooling). A failure to connect throws
/// pqxx::broken_connection with libpq's reason, the password scrubbed.
std::unique_ptr<pqxx::connection> open_session(const ConnectionSettings& s);

/// What each transaction of a connection brings along because the session cannot keep it.
/// Default: nothing (the session keeps its settings, staging tables and prepared statements).
class Pooling {
public:
  Pooling() = default;
  explicit Pooling(const ConnectionSettings& s);

  /// Behind a transaction pooler: every transaction sets its timeouts, creates its staging
  /// tables and sends its statements unnamed.
  bool per_transaction() const { return per_transaction_; }

  /// Run first in every transaction: sets its timeouts where the session cannot keep them.
  void begin(pqxx::transaction_base& tx) const;

private:
  bool per_transaction_ = false;
  std::string statement_timeout_, lock_timeout_, idle_timeout_; ///< "…ms"; idle: "" unset
};

/// Runs `body(tx)` in a transaction of kind Tx (pqxx::work, pqxx::read_transaction) begun
/// with `pooling`, and commits it; returns what `body` returns.
template <class Tx, class Body>
auto in_transaction(pqxx::connection& conn, const Pooling& pooling, const char* name, Body&& body) {
  Tx tx(conn, name);
  pooling.begin(tx);
  if constexpr (std::is_void_v<std::invoke_result_t<Body, Tx&>>) {
    body(tx);
    tx.commit();
  } else {
    auto result = body(tx);
    tx.commit();
    return result;
  }
}

/// A statement a connection prepares once and runs by name where its session lasts.
struct Statement {
  const char* name;
  std::string_view sql;
};

/// Prepares `s` on `conn`, unless the session does not last (a transaction pooler).
void prepare(pqxx::connection& conn, const Pooling& pooling, const Statement& s);

/// Runs `s` with `args` as $1, $2, ...: by name where prepare() prepared it, else unnamed.
template <typename... Args>
pqxx::result run(pqxx::transaction_base& tx, const Pooling& pooling, const Statement& s,
                 Args&&... args) {
  if (pooling.per_transaction())
    return pq::run(tx, std::string(s.sql), std::forward<Args>(args)...);
  return pq::run_prepared(tx, s.name, std::forward<Args>(args)...);
}

/// run(), expecting one row (pqxx::unexpected_rows otherwise).
template <typename... Args>
pqxx::row run1(pqxx::transaction_base& tx, const Pooling& pooling, const Statement& s,
               Args&&... args) {
  const auto rows = run(tx, pooling, s, std::forward<Args>(args)...);
  if (rows.size() != 1)
    throw pqxx::unexpected_rows(std::string(s.name) + " returned " + std::to_string(rows.size()) +
                                " rows, expected 1");
  return rows[0];
}

/// run(), expecting no rows (pqxx::unexpected_rows otherwise).
template <typename... Args>
void run0(pqxx::transaction_base& tx, const Pooling& pooling, const Statement& s, Args&&... args) {
  const auto rows = run(tx, pooling, s, std::forward<Args>(args)...);
  if (!rows.empty())
    throw pqxx::unexpected_rows(std::string(s.name) + " returned " + std::to_string(rows.size()) +
                                " rows, expected none");
}

} // namespace taosync::store
