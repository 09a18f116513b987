#include "store/migrations.hpp"

#include "store/pq.hpp"
#include "store/schema_access.hpp"

#include <pqxx/pqxx>

#include <array>
#include <set>
#include <string>

namespace taosync::store {
namespace {

// Serializes concurrent migrators; any constant unique to taosync will do.
constexpr std::string_view kLockSql = "SELECT pg_advisory_xact_lock(7346152093415261)";

// Only when the schema is missing: CREATE SCHEMA IF NOT EXISTS checks CREATE on the database
// even when the schema exists, which its owner may well not have.
constexpr std::string_view kCreateSchemaSql = "CREATE SCHEMA IF NOT EXISTS taosync";

constexpr std::string_view kBootstrapSql = R"sql(
CREATE TABLE IF NOT EXISTS taosync.schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";

constexpr std::string_view kAppliedSql = "SELECT version FROM taosync.schema_migrations";

constexpr std::string_view kRecordSql =
    "INSERT INTO taosync.schema_migrations (version, name) VALUES ($1, $2)";

// Orders and lines: columns are named after the API's fields. Money is numeric with its
// currency code, times are timestamptz, delivery_info fields are prefixed delivery_.
constexpr std::string_view kOrdersSql = R"sql(
CREATE TABLE taosync.orders (
  shop                              text NOT NULL,
  trade_order_id                    text NOT NULL,
  buyer_id                          text,
  buyer_full_name                   text,
  seller_id                         text,
  seller_full_name                  text,
  status                            text NOT NULL,
  payment_channel                   text,
  actual_fee                        numeric,
  actual_fee_currency_code          text,
  shipping_fee                      numeric,
  shipping_fee_currency_code        text,
  actual_shipping_fee               numeric,
  actual_shipping_fee_currency_code text,
  creation_time                     timestamptz,
  modification_time                 timestamptz NOT NULL,
  delivery_area                     text,
  delivery_country_code             text,
  delivery_city                     text,
  delivery_detail_address           text,
  delivery_receiver_name            text,
  delivery_state                    text,
  delivery_receiver_phone           text,
  line_ids                          text[] NOT NULL DEFAULT '{}',
  raw                               jsonb,
  synced_at                         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, trade_order_id)
);
CREATE INDEX orders_modification_time_idx ON taosync.orders (shop, modification_time);

CREATE TABLE taosync.order_lines (
  shop                              text NOT NULL,
  trade_order_line_id               text NOT NULL,
  trade_order_id                    text NOT NULL,
  product_id                        text,
  sku_id                            text,
  package_id                        text,
  product_title                     text,
  product_main_image                text,
  product_detail_url                text,
  buyer_full_name                   text,
  status                            text,
  quantity                          bigint,
  unit_fee                          numeric,
  unit_fee_currency_code            text,
  actual_fee                        numeric,
  actual_fee_currency_code          text,
  shipping_fee                      numeric,
  shipping_fee_currency_code        text,
  actual_shipping_fee               numeric,
  actual_shipping_fee_currency_code text,
  creation_time                     timestamptz,
  modification_time                 timestamptz NOT NULL,
  sku_info                          text,
  raw                               jsonb,
  PRIMARY KEY (shop, trade_order_line_id)
);
CREATE INDEX order_lines_order_idx ON taosync.order_lines (shop, trade_order_id);
CREATE INDEX order_lines_modification_time_idx ON taosync.order_lines (shop, modification_time);

CREATE TABLE taosync.line_shipments (
  shop                text NOT NULL,
  trade_order_line_id text NOT NULL,
  order_no            bigint NOT NULL,
  tracking_number     text,
  logistics_id        text,
  PRIMARY KEY (shop, trade_order_line_id, order_no)
);

-- position: the property's index in sku_info, so a line's properties keep their order.
CREATE TABLE taosync.line_sku_properties (
  shop                text NOT NULL,
  trade_order_line_id text NOT NULL,
  position            integer NOT NULL,
  property_id         bigint,
  property_name       text,
  value_id            bigint,
  value_text          text,
  PRIMARY KEY (shop, trade_order_line_id, position)
);
)sql";

constexpr std::string_view kBookkeepingSql = R"sql(
CREATE TABLE taosync.order_status_history (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop              text NOT NULL,
  trade_order_id    text NOT NULL,
  old_status        text,
  new_status        text NOT NULL,
  modification_time timestamptz NOT NULL,
  observed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_order_idx
  ON taosync.order_status_history (shop, trade_order_id);

-- A bad record re-read by every overlapping window is stored once.
CREATE TABLE taosync.rejected_records (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop        text NOT NULL,
  endpoint    text NOT NULL,
  record_id   text NOT NULL DEFAULT '',
  reason      text NOT NULL,
  raw         text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rejected_records_once_idx
  ON taosync.rejected_records (shop, endpoint, record_id, md5(reason), md5(raw));

CREATE TABLE taosync.sync_state (
  shop                text PRIMARY KEY,
  hwm                 timestamptz,
  init_t0             timestamptz,
  init_cursor         timestamptz,
  init_done           boolean NOT NULL DEFAULT false,
  last_reconciled_day date,
  last_cycle_at       timestamptz,
  last_cycle_orders   bigint NOT NULL DEFAULT 0,
  stopped             boolean NOT NULL DEFAULT false,
  stopped_reason      text NOT NULL DEFAULT '',
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE taosync.shop_tokens (
  shop               text PRIMARY KEY,
  access_token       text NOT NULL,
  refresh_token      text NOT NULL,
  access_expires_at  timestamptz,
  refresh_expires_at timestamptz,
  config_fingerprint text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
)sql";

// What the platform still owes: orders whose listed record could not be stored, or whose
// lines did not all come back, re-asked through /order/get with backoff until they arrive;
// and the window a shop is held at because the platform's answers for it did not add up.
constexpr std::string_view kOwedSql = R"sql(
CREATE TABLE taosync.owed_orders (
  shop              text NOT NULL,
  trade_order_id    text NOT NULL,
  line_ids          text[] NOT NULL DEFAULT '{}', -- lines still owed; empty: the order itself
  modification_time timestamptz,                  -- of the version that was listed
  reason            text NOT NULL,
  owed_since        timestamptz NOT NULL DEFAULT now(),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, trade_order_id)
);
CREATE INDEX owed_orders_due ON taosync.owed_orders (shop, next_attempt_at);

CREATE TABLE taosync.held_windows (
  shop        text PRIMARY KEY,
  window_from timestamptz NOT NULL,
  window_to   timestamptz NOT NULL,
  reason      text NOT NULL,
  held_since  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now()
);
)sql";

// Beside the stopped flag: the fingerprint (SHA-256 hex) of the refresh token configured when
// the shop last ran, so a shop stopped by a dead refresh token stays stopped until that
// configured token changes; and the end of the platform's latest ban, for `taosyncd status`.
constexpr std::string_view kShopFlagsSql = R"sql(
ALTER TABLE taosync.sync_state
  ADD COLUMN refresh_fingerprint text NOT NULL DEFAULT '',
  ADD COLUMN api_banned_until    timestamptz;
)sql";

// The platform's clock offset from the running daemon's host, as that daemon last measured
// it, for `taosyncd status` (which runs apart from the daemon and cannot measure it).
constexpr std::string_view kPlatformClockSql = R"sql(
ALTER TABLE taosync.sync_state
  ADD COLUMN platform_clock_offset_ms bigint,
  ADD COLUMN platform_clock_read_at   timestamptz;
)sql";

// Which daemon syncs which shop. A lease is taken, renewed and released on the database's
// clock (clock_timestamp()); `epoch` grows each time the shop changes hands, and every write
// transaction for the shop ends by counting itself in `commits` under the epoch it holds, so a
// write of a former owner cannot commit (see store/leases.hpp). `daemons` holds each
// daemon's heartbeat: the live ones share the shops between them.
constexpr std::string_view kLeasesSql = R"sql(
CREATE TABLE taosync.shop_leases (
  shop        text PRIMARY KEY,
  owner       text NOT NULL,
  owner_host  text NOT NULL,
  owner_pid   integer NOT NULL,
  epoch       bigint NOT NULL,
  expires_at  timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL,
  commits     bigint NOT NULL DEFAULT 0
);

CREATE TABLE taosync.daemons (
  daemon     text PRIMARY KEY,
  host       text NOT NULL,
  pid        integer NOT NULL,
  started_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
)sql";

// Line statuses change on their own (a partial cancellation or return), so they get a
// history like the orders'. taosync.changes is the durable change feed: consumers page by id,
// and every writer inserts its rows under an advisory lock (store/change_feed.cpp) so that ids
// become visible in increasing order. The sequence of a bigserial needs USAGE for the DML role.
constexpr std::string_view kChangeFeedSql = R"sql(
CREATE TABLE taosync.order_line_status_history (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop                text NOT NULL,
  trade_order_id      text NOT NULL,
  trade_order_line_id text NOT NULL,
  old_status          text,
  new_status          text NOT NULL,
  modification_time   timestamptz NOT NULL,
  observed_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_line_status_history_line_idx
  ON taosync.order_line_status_history (shop, trade_order_line_id);

CREATE TABLE taosync.changes (
  id             bigserial PRIMARY KEY,
  shop           text NOT NULL,
  trade_order_id text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('order_new', 'order_status', 'line_status',
                                               'lines_replaced', 'address', 'shipment')),
  detail         jsonb NOT NULL,
  changed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_shop_idx ON taosync.changes (shop, id);
CREATE INDEX changes_changed_at_idx ON taosync.changes (changed_at);
)sql";

constexpr std::array kMigrations{
    Migration{1, "orders and lines", kOrdersSql},
    Migration{2, "history, rejects, state and tokens", kBookkeepingSql},
    Migration{3, "owed orders and held windows", kOwedSql},
    Migration{4, "stop fingerprint and ban end", kShopFlagsSql},
    Migration{5, "shop leases and daemons", kLeasesSql},
    Migration{6, "line status history and the change feed", kChangeFeedSql},
    Migration{7, "platform clock offset", kPlatformClockSql},
};

} // namespace

std::span<const Migration> all_migrations() {
  return kMigrations;
}

int apply_migrations(pqxx::connection& conn, const Pooling& pooling) {
  // Read-only first: a start at the current version needs no DDL right at all.
  const SchemaState state = read_schema_state(conn, pooling);
  const auto pending = pending_migrations(state);
  if (pending.empty())
    return 0;
  check_can_migrate(conn, state, pending, pooling);
  pqxx::work tx(conn, "migrate");
  pooling.begin(tx);
  tx.exec(std::string(kLockSql));
  try {
    if (!state.schema_exists)
      pq::run0(tx, std::string(kCreateSchemaSql));
    pq::run0(tx, std::string(kBootstrapSql));
  } catch (const pqxx::sql_error& e) {
    rethrow_migration_error(e, pending.front(), state);
  }
  std::set<int> applied; // again, under the lock: a concurrent migrator may have been first
  for (const auto& row : tx.exec(std::string(kAppliedSql)))
    applied.insert(row[0].as<int>());
  int count = 0;
  for (const auto& m : kMigrations) {
    if (applied.contains(m.version))
      continue;
    try {
      pq::run0(tx, std::string(m.sql));
    } catch (const pqxx::sql_error& e) {
      rethrow_migration_error(e, m, state);
    }
    pq::run0(tx, std::string(kRecordSql), m.version, std::string(m.name));
    ++count;
  }
  tx.commit();
  return count;
}

} // namespace taosync::store
