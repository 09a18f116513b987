#include "store/store.hpp"

#include "store/batch_write.hpp"
#include "store/change_feed.hpp"
#include "store/db_errors.hpp"
#include "store/leases.hpp"
#include "store/migrations.hpp"
#include "store/order_rows.hpp"
#include "store/pooler.hpp"
#include "store/schema_access.hpp"
#include "store/session.hpp"
#include "store/shop_flags.hpp"
#include "store/state_rows.hpp"
#include "store/text_repair.hpp"

#include "obs/metrics.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <chrono>

namespace taosync::store {
namespace {

// One primary-key probe per asked id, written as store/batch_sql.hpp says (OFFSET 0, the shop
// as `(SELECT $1::text)`): `trade_order_id = ANY ($2)`, or a probe given the shop itself, lets
// the planner, on statistics that have not seen the shop yet, scan every order of the shop
// through an index on shop alone and filter, which grows with the shop.
constexpr std::string_view kStoredVersions = R"sql(
SELECT o.trade_order_id, (extract(epoch FROM o.modification_time) * 1000)::bigint, o.status,
       o.line_ids
FROM unnest($2::text[]) AS k(id)
CROSS JOIN LATERAL (SELECT trade_order_id, modification_time, status, line_ids
                    FROM taosync.orders
                    WHERE shop = (SELECT $1::text) AND trade_order_id = k.id OFFSET 0) o
)sql";

constexpr std::string_view kSelectTokens = R"sql(
SELECT access_token, refresh_token,
       extract(epoch FROM access_expires_at)::bigint, extract(epoch FROM refresh_expires_at)::bigint
FROM taosync.shop_tokens WHERE shop = $1 AND config_fingerprint = $2
)sql";

constexpr std::string_view kUpsertTokens = R"sql(
INSERT INTO taosync.shop_tokens AS t (shop, access_token, refresh_token, access_expires_at,
  refresh_expires_at, config_fingerprint, updated_at)
VALUES ($1, $2, $3, to_timestamp(NULLIF($4::bigint, 0)), to_timestamp(NULLIF($5::bigint, 0)),
  $6, now())
ON CONFLICT (shop) DO UPDATE SET access_token = EXCLUDED.access_token,
  refresh_token = EXCLUDED.refresh_token, access_expires_at = EXCLUDED.access_expires_at,
  refresh_expires_at = EXCLUDED.refresh_expires_at,
  config_fingerprint = EXCLUDED.config_fingerprint, updated_at = EXCLUDED.updated_at
)sql";

constexpr std::string_view kCounts = R"sql(
SELECT (SELECT count(*) FROM taosync.orders WHERE shop = $1),
       (SELECT count(*) FROM taosync.order_lines WHERE shop = $1),
       (SELECT count(*) FROM taosync.rejected_records WHERE shop = $1)
)sql";

// A random sample, drawn from the most recently modified orders (10x n of them).
constexpr std::string_view kSampleRecent = R"sql(
SELECT trade_order_id FROM (
  SELECT trade_order_id FROM taosync.orders WHERE shop = $1
  ORDER BY modification_time DESC LIMIT $2::bigint * 10
) recent ORDER BY random() LIMIT $2::bigint
)sql";

constexpr std::string_view kHasTempRight =
    "SELECT has_database_privilege(current_database(), 'TEMPORARY')";

/// Throws pqxx::insufficient_privilege, as creating staging would, if the role lacks TEMPORARY.
void check_temp_right(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn, "temp_right");
  if (!pq::run1(tx, std::string(kHasTempRight))[0].as<bool>())
    throw pqxx::insufficient_privilege("permission denied to create temporary tables");
}

} // namespace

struct Store::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> conn;
  Pooling pooling;
  bool prepared = false; ///< the write statements, prepared at the first write
  ServerIdentity server;
  int server_pid = 0; ///< pg_backend_pid(): behind a pooler, not libpq's backendpid()

  /// `body(tx)` in a read-only transaction begun as `pooling` says.
  template <class Body> auto read(const char* name, Body&& body) {
    return in_transaction<pqxx::read_transaction>(*conn, pooling, name, std::forward<Body>(body));
  }
  /// `body(tx)` in a read-write transaction begun as `pooling` says, committed.
  template <class Body> auto write(const char* name, Body&& body) {
    return in_transaction<pqxx::work>(*conn, pooling, name, std::forward<Body>(body));
  }
};

Store::Store(const ConnectionSettings& settings) : impl_(std::make_unique<Impl>()) {
  impl_->url = settings.url;
  impl_->conn = open_session(settings);
  impl_->server = read_server_identity(*impl_->conn); // a standby: broken_connection, try again
  impl_->server_pid = check_pooler(*impl_->conn, settings, "database.url");
  impl_->pooling = Pooling(settings);
  try {
    if (impl_->pooling.per_transaction())
      check_temp_right(*impl_->conn); // each write creates its own staging tables
    else
      create_staging(*impl_->conn);
  } catch (const pqxx::insufficient_privilege& e) {
    const std::string role = impl_->conn->username();
    const std::string db = impl_->conn->dbname();
    throw SchemaProblem("role " + role +
                        " may not create the TEMP staging tables of the "
                        "batch write in database " +
                        db + " (" + one_line(e.what(), settings.url) +
                        "). Fix, as the database owner: GRANT TEMPORARY ON DATABASE " + db +
                        " TO " + role);
  }
}

Store::Store(const std::string& url) : Store(connection_settings(url)) {}

Store::~Store() = default;

bool Store::connected() const {
  return impl_->conn && impl_->conn->is_open();
}

int Store::backend_pid() const {
  return impl_->pooling.per_transaction() ? 0 : impl_->server_pid;
}

const ServerIdentity& Store::server() const {
  return impl_->server;
}

void Store::migrate() {
  apply_migrations(*impl_->conn, impl_->pooling);
  check_access(*impl_->conn, impl_->pooling);
}

SyncState Store::load_state(const std::string& shop) {
  return impl_->read("load_state",
                     [&](pqxx::read_transaction& tx) { return select_state(tx, shop); });
}

void Store::save_state(const SyncState& state, const std::optional<Fence>& fence) {
  impl_->write("save_state", [&](pqxx::work& tx) {
    upsert_state(tx, state);
    check_fence(tx, state.shop, fence);
  });
}

std::vector<DueOwed> Store::due_owed(const std::string& shop, int limit, bool due_or_not) {
  return impl_->read("due_owed", [&](pqxx::read_transaction& tx) {
    return select_due_owed(tx, shop, limit, due_or_not);
  });
}

void Store::postpone_owed(const std::string& shop, const std::string& id, const std::string& reason,
                          std::chrono::milliseconds delay, const std::optional<Fence>& fence) {
  impl_->write("postpone_owed", [&](pqxx::work& tx) {
    store::postpone_owed(tx, shop, id, reason, delay);
    check_fence(tx, shop, fence);
  });
}

OwedSummary Store::owed_summary(const std::string& shop) {
  return impl_->read("owed_summary",
                     [&](pqxx::read_transaction& tx) { return select_owed_summary(tx, shop); });
}

void Store::save_held(const std::string& shop, const std::optional<HeldWindow>& held,
                      const std::optional<Fence>& fence) {
  impl_->write("save_held", [&](pqxx::work& tx) {
    upsert_held(tx, shop, held);
    check_fence(tx, shop, fence);
  });
}

std::optional<HeldWindow> Store::load_held(const std::string& shop) {
  return impl_->read("load_held",
                     [&](pqxx::read_transaction& tx) { return select_held(tx, shop); });
}

StoredVersions Store::stored_versions(const std::string& shop,
                                      const std::vector<std::string>& order_ids) {
  StoredVersions out;
  if (order_ids.empty())
    return out;
  impl_->read("stored_versions", [&](pqxx::read_transaction& tx) {
    for (const auto& row :
         pq::run(tx, std::string(kStoredVersions), shop, array_literal(order_ids)))
      out.emplace(
          row[0].as<std::string>(),
          StoredVersion{model::TimePoint(std::chrono::milliseconds(row[1].as<std::int64_t>())),
                        row[2].as<std::string>(), pq::text_array(row[3])});
  });
  return out;
}

WriteResult Store::write(const Batch& batch, const std::optional<Fence>& fence) {
  const auto start = std::chrono::steady_clock::now();
  if (!impl_->prepared) { // not at connect: the tables they name may not be migrated yet
    prepare_batch_statements(*impl_->conn, impl_->pooling);
    impl_->prepared = true;
  }
  auto result = write_batch(*impl_->conn, batch, fence, impl_->pooling);
  obs::metrics().db_write(std::chrono::steady_clock::now() - start);
  return result;
}

std::uint64_t Store::prune_changes(std::chrono::milliseconds retention, int batch_rows,
                                   int max_batches) {
  return store::prune_changes(*impl_->conn, retention, batch_rows, max_batches, impl_->pooling);
}

std::optional<model::Tokens> Store::load_tokens(const std::string& shop,
                                                const std::string& config_fingerprint) {
  const auto rows = impl_->read("load_tokens", [&](pqxx::read_transaction& tx) {
    return pq::run(tx, std::string(kSelectTokens), shop, config_fingerprint);
  });
  if (rows.empty())
    return std::nullopt;
  const auto& r = rows[0];
  model::Tokens tokens;
  tokens.access_token = r[0].as<std::string>();
  tokens.refresh_token = r[1].as<std::string>();
  tokens.access_expires_at =
      std::chrono::sys_seconds(std::chrono::seconds(r[2].as<std::int64_t>(0)));
  tokens.refresh_expires_at =
      std::chrono::sys_seconds(std::chrono::seconds(r[3].as<std::int64_t>(0)));
  return tokens;
}

void Store::save_tokens(const std::string& shop, const model::Tokens& tokens,
                        const std::string& config_fingerprint, const std::optional<Fence>& fence) {
  impl_->write("save_tokens", [&](pqxx::work& tx) {
    pq::run0(tx, std::string(kUpsertTokens), shop, tokens.access_token, tokens.refresh_token,
             static_cast<std::int64_t>(tokens.access_expires_at.time_since_epoch().count()),
             static_cast<std::int64_t>(tokens.refresh_expires_at.time_since_epoch().count()),
             config_fingerprint);
    check_fence(tx, shop, fence);
  });
}

ShopCounts Store::counts(const std::string& shop) {
  const auto r = impl_->read("counts", [&](pqxx::read_transaction& tx) {
    return pq::run1(tx, std::string(kCounts), shop);
  });
  return {r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>()};
}

std::vector<ShopReport> Store::shop_reports(const std::vector<std::string>& shops) {
  std::vector<ShopReport> out;
  impl_->read("shop_reports", [&](pqxx::read_transaction& tx) {
    const auto leases = select_leases(tx);
    for (const std::string& shop : shops) {
      ShopReport& r = out.emplace_back();
      r.state = select_state(tx, shop);
      const auto c = pq::run1(tx, std::string(kCounts), shop);
      r.counts = {c[0].as<std::int64_t>(), c[1].as<std::int64_t>(), c[2].as<std::int64_t>()};
      r.owed = select_owed_summary(tx, shop);
      r.held = select_held(tx, shop);
      r.flags = select_shop_flags(tx, shop);
      for (const Lease& lease : leases)
        if (lease.shop == shop)
          r.lease = lease;
    }
  });
  return out;
}

std::vector<std::string> Store::sample_recent_orders(const std::string& shop, int n) {
  std::vector<std::string> ids;
  impl_->read("sample_recent_orders", [&](pqxx::read_transaction& tx) {
    for (const auto& row : pq::run(tx, std::string(kSampleRecent), shop, n))
      ids.push_back(row[0].as<std::string>());
  });
  return ids;
}

std::optional<model::OrderDetail> Store::load_order(const std::string& shop,
                                                    const std::string& id) {
  return impl_->read("load_order",
                     [&](pqxx::read_transaction& tx) { return select_order(tx, shop, id); });
}

ShopFlags Store::load_flags(const std::string& shop) {
  return impl_->read("load_flags",
                     [&](pqxx::read_transaction& tx) { return select_shop_flags(tx, shop); });
}

void Store::save_refresh_fingerprint(const std::string& shop, const std::string& fingerprint,
                                     bool resume, const std::optional<Fence>& fence) {
  impl_->write("save_refresh_fingerprint", [&](pqxx::work& tx) {
    upsert_refresh_fingerprint(tx, shop, fingerprint, resume);
    check_fence(tx, shop, fence);
  });
}

void Store::save_api_ban(const std::string& shop, std::chrono::system_clock::time_point until,
                         const std::optional<Fence>& fence) {
  impl_->write("save_api_ban", [&](pqxx::work& tx) {
    upsert_api_ban(tx, shop, until);
    check_fence(tx, shop, fence);
  });
}

void Store::save_platform_clock(const std::string& shop, std::chrono::milliseconds offset,
                                const std::optional<Fence>& fence) {
  pqxx::work tx(*impl_->conn, "save_platform_clock");
  upsert_platform_clock(tx, shop, offset);
  check_fence(tx, shop, fence);
  tx.commit();
}

std::vector<std::string> Store::heartbeat(const DaemonIdentity& daemon,
                                          std::chrono::milliseconds ttl) {
  return impl_->write("heartbeat",
                      [&](pqxx::work& tx) { return store::heartbeat(tx, daemon, ttl); });
}

std::vector<std::string> Store::live_daemons() {
  return impl_->read("live_daemons",
                     [&](pqxx::read_transaction& tx) { return store::live_daemons(tx); });
}

void Store::leave(const std::string& daemon) {
  impl_->write("leave", [&](pqxx::work& tx) { store::leave(tx, daemon); });
}

Acquired Store::acquire_lease(const std::string& shop, const DaemonIdentity& daemon,
                              std::chrono::milliseconds ttl) {
  return impl_->write("acquire_lease",
                      [&](pqxx::work& tx) { return store::acquire_lease(tx, shop, daemon, ttl); });
}

Renewal Store::renew_leases(const std::string& daemon, const std::vector<HeldLease>& held,
                            std::chrono::milliseconds ttl) {
  return impl_->write("renew_leases",
                      [&](pqxx::work& tx) { return store::renew_leases(tx, daemon, held, ttl); });
}

bool Store::release_lease(const std::string& shop, const std::string& daemon, std::int64_t epoch) {
  return impl_->write("release_lease", [&](pqxx::work& tx) {
    return store::release_lease(tx, shop, daemon, epoch);
  });
}

std::vector<Lease> Store::leases() {
  return impl_->read("leases", [&](pqxx::read_transaction& tx) { return select_leases(tx); });
}

} // namespace taosync::store
