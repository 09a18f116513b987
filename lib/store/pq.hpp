#pragma once
// The one place where libpqxx's versions differ. Debian 12 ships 6.4, Ubuntu 24.04 7.8 and
// Debian 13 7.10, which deprecates the exec_params/exec0/exec1/exec_prepared family,
// notification_receiver and errorhandler, and has no connection reactivation to turn off.
// The store, the daemon and the tests run statements, listen and read notices only through
// these; everything else they use is the same in every version.

#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// libpqxx 7.10 or newer: `exec(sql, params)`, `connection::listen`, notice handlers.
#if PQXX_VERSION_MAJOR > 7 || (PQXX_VERSION_MAJOR == 7 && PQXX_VERSION_MINOR >= 10)
#define TAOSYNC_PQXX_710 1
#else
#define TAOSYNC_PQXX_710 0
#endif

namespace taosync::store::pq {

/// Runs `sql` with `args` as $1, $2, ... (none: the simple query protocol, which also takes
/// several statements); the rows it returns.
template <typename... Args>
pqxx::result run(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  if constexpr (sizeof...(Args) == 0)
    return tx.exec(sql);
#if TAOSYNC_PQXX_710
  else
    return tx.exec(sql, pqxx::params{std::forward<Args>(args)...});
#else
  else
    return tx.exec_params(sql, std::forward<Args>(args)...);
#endif
}

/// Runs `sql` like run(); throws pqxx::unexpected_rows if it returns a row.
template <typename... Args>
void run0(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
#if TAOSYNC_PQXX_710
  run(tx, sql, std::forward<Args>(args)...).no_rows();
#else
  if constexpr (sizeof...(Args) == 0)
    tx.exec0(sql);
  else
    tx.exec_params0(sql, std::forward<Args>(args)...);
#endif
}

/// Runs `sql` like run(); its one row, or pqxx::unexpected_rows if it returns another number.
template <typename... Args>
pqxx::row run1(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
#if TAOSYNC_PQXX_710
  return run(tx, sql, std::forward<Args>(args)...).one_row();
#else
  if constexpr (sizeof...(Args) == 0)
    return tx.exec1(sql);
  else
    return tx.exec_params1(sql, std::forward<Args>(args)...);
#endif
}

/// Runs the statement the connection prepared as `name`, with `args` as its parameters.
template <typename... Args>
pqxx::result run_prepared(pqxx::transaction_base& tx, const std::string& name, Args&&... args) {
#if TAOSYNC_PQXX_710
  return tx.exec(pqxx::prepped{name}, pqxx::params{std::forward<Args>(args)...});
#else
  return tx.exec_prepared(name, std::forward<Args>(args)...);
#endif
}

/// run_prepared(), expecting no rows (pqxx::unexpected_rows otherwise).
template <typename... Args>
void run_prepared0(pqxx::transaction_base& tx, const std::string& name, Args&&... args) {
#if TAOSYNC_PQXX_710
  run_prepared(tx, name, std::forward<Args>(args)...).no_rows();
#else
  tx.exec_prepared0(name, std::forward<Args>(args)...);
#endif
}

/// run_prepared(), expecting one row (pqxx::unexpected_rows otherwise).
template <typename... Args>
pqxx::row run_prepared1(pqxx::transaction_base& tx, const std::string& name, Args&&... args) {
#if TAOSYNC_PQXX_710
  return run_prepared(tx, name, std::forward<Args>(args)...).one_row();
#else
  return tx.exec_prepared1(name, std::forward<Args>(args)...);
#endif
}

/// A read-only repeatable-read transaction: one snapshot for a whole comparison or report.
#if PQXX_VERSION_MAJOR >= 7
using ReadOnlySnapshot =
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::write_policy::read_only>;
#else
using ReadOnlySnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
#endif

/// The items of a PostgreSQL text[] value ({a,b} or {"a","b"}); NULL items are left out.
std::vector<std::string> text_array(const pqxx::field& field);

/// Keeps libpqxx 6 from reconnecting a lost connection by itself: a silent reconnect would
/// lose the session's settings and staging tables. (libpqxx 7 never reconnects.)
void no_reactivation(pqxx::connection& conn);

/// LISTENs on one channel while it lives and hands each notification's payload to a
/// callback, which runs inside the connection's get_notifs() or await_notification().
class Subscription {
public:
  using Handler = std::function<void(const std::string& payload)>;
  /// LISTEN takes effect at the connection's next get_notifs() at the latest.
  Subscription(pqxx::connection& conn, const std::string& channel, Handler handler);
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Hands every notice the server sends on a connection (NOTICE, WARNING: one message each)
/// to a callback while it lives.
class NoticeTap {
public:
  using Handler = std::function<void(std::string_view message)>;
  NoticeTap(pqxx::connection& conn, Handler handler);
  ~NoticeTap();
  NoticeTap(const NoticeTap&) = delete;
  NoticeTap& operator=(const NoticeTap&) = delete;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store::pq
