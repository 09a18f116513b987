#pragma once
// One connection to the store: it migrates, writes batches, and runs a transaction around a
// caller's row functions. A Store owns one libpqxx connection and is used by one thread only
// (a ConnectionThread's).

#include "store/batch.hpp"
#include "store/connection_settings.hpp"
#include "store/leases.hpp"
#include "store/server_watch.hpp"
#include "store/session.hpp"

#include <pqxx/pqxx>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace taosync::store {

class Store {
public:
  /// Connects with the settings' deadlines and keepalives; throws pqxx::broken_connection
  /// with libpq's reason (never the password), SchemaProblem if the role may not create
  /// the TEMP staging tables, or config::ConfigError if it reached a pooler that
  /// database.pooler does not name (store/pooler.hpp).
  explicit Store(const ConnectionSettings& settings);
  /// Connects with default settings (tests, tools).
  explicit Store(const std::string& url);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// False once the connection was lost (the ConnectionThread then replaces this Store).
  bool connected() const;

  /// The server process of this connection (what pg_stat_activity and pg_locks call it); 0
  /// behind a transaction pooler, where each transaction may run in another.
  int backend_pid() const;

  /// The server this connection reached, read when it connected.
  const ServerIdentity& server() const;

  /// Applies pending versioned migrations (DDL only if one is pending), then checks that the
  /// role has every right the sync needs; idempotent and safe to run concurrently. Throws
  /// SchemaProblem naming what is missing and the fix.
  void migrate();

  /// `body(tx)` in a read-only transaction named `name`; returns what `body` returns. The row
  /// functions beside their SQL (state_rows, order_rows, owed_rows, shop_flags, leases,
  /// shop_report) are what `body` calls.
  template <class Body> auto read(const char* name, Body&& body) {
    return in_transaction<pqxx::read_transaction>(connection(), pooling(), name,
                                                  std::forward<Body>(body));
  }

  /// `body(tx)` in a read-write transaction named `name`, committed; returns what `body`
  /// returns.
  template <class Body> auto write(const char* name, Body&& body) {
    return in_transaction<pqxx::work>(connection(), pooling(), name, std::forward<Body>(body));
  }

  /// write(), fenced: with `fence` set the transaction ends with check_fence() for `shop` and
  /// commits only while that lease is held (LeaseLost otherwise, nothing written).
  template <class Body>
  auto write(const char* name, const std::string& shop, const std::optional<Fence>& fence,
             Body&& body) {
    return write(name, [&](pqxx::work& tx) {
      if constexpr (std::is_void_v<std::invoke_result_t<Body, pqxx::work&>>) {
        body(tx);
        check_fence(tx, shop, fence);
      } else {
        auto result = body(tx);
        check_fence(tx, shop, fence);
        return result;
      }
    });
  }

  /// Writes a batch in one transaction (COPY into staging, then set-based upserts), fenced as
  /// write() is. An order row is only overwritten by data whose modification_time is >= the
  /// stored one.
  WriteResult write(const Batch& batch, const std::optional<Fence>& fence = std::nullopt);

private:
  pqxx::connection& connection();
  const Pooling& pooling() const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store
