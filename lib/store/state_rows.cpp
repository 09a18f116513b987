#include "store/state_rows.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

// Times travel as epoch milliseconds and dates as days since 1970-01-01: exact both ways.
constexpr std::string_view kSelectState = R"sql(
SELECT (extract(epoch FROM hwm) * 1000)::bigint,
       (extract(epoch FROM init_t0) * 1000)::bigint,
       (extract(epoch FROM init_cursor) * 1000)::bigint,
       init_done,
       last_reconciled_day - DATE '1970-01-01',
       (extract(epoch FROM last_cycle_at) * 1000000)::bigint,
       last_cycle_orders, stopped, stopped_reason
FROM taosync.sync_state WHERE shop = $1
)sql";

constexpr std::string_view kUpsertState = R"sql(
INSERT INTO taosync.sync_state AS s (shop, hwm, init_t0, init_cursor, init_done,
  last_reconciled_day, last_cycle_at, last_cycle_orders, stopped, stopped_reason, updated_at)
VALUES ($1,
  TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 millisecond',
  TIMESTAMPTZ 'epoch' + $3::bigint * INTERVAL '1 millisecond',
  TIMESTAMPTZ 'epoch' + $4::bigint * INTERVAL '1 millisecond',
  $5, DATE '1970-01-01' + $6::integer,
  TIMESTAMPTZ 'epoch' + $7::bigint * INTERVAL '1 microsecond',
  $8, $9, $10, now())
ON CONFLICT (shop) DO UPDATE SET
  hwm = EXCLUDED.hwm, init_t0 = EXCLUDED.init_t0, init_cursor = EXCLUDED.init_cursor,
  init_done = EXCLUDED.init_done, last_reconciled_day = EXCLUDED.last_reconciled_day,
  last_cycle_at = EXCLUDED.last_cycle_at, last_cycle_orders = EXCLUDED.last_cycle_orders,
  stopped = EXCLUDED.stopped, stopped_reason = EXCLUDED.stopped_reason,
  updated_at = EXCLUDED.updated_at
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

std::optional<TimePoint> optional_time_ms(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return TimePoint(std::chrono::milliseconds(f.as<std::int64_t>()));
}

std::optional<std::int64_t> ms(const std::optional<TimePoint>& t) {
  if (!t)
    return std::nullopt;
  return t->time_since_epoch().count();
}

} // namespace

SyncState select_state(pqxx::transaction_base& tx, const std::string& shop) {
  SyncState state;
  state.shop = shop;
  const auto rows = pq::run(tx, std::string(kSelectState), shop);
  if (rows.empty())
    return state;
  const auto& r = rows[0];
  state.hwm = optional_time_ms(r[0]);
  state.init_t0 = optional_time_ms(r[1]);
  state.init_cursor = optional_time_ms(r[2]);
  state.init_done = r[3].as<bool>();
  if (!r[4].is_null())
    state.last_reconciled_day = std::chrono::sys_days(std::chrono::days(r[4].as<int>()));
  if (!r[5].is_null())
    state.last_cycle_at = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::microseconds(r[5].as<std::int64_t>())));
  state.last_cycle_orders = r[6].as<std::int64_t>();
  state.stopped = r[7].as<bool>();
  state.stopped_reason = r[8].as<std::string>();
  return state;
}

void upsert_state(pqxx::transaction_base& tx, const SyncState& state) {
  std::optional<int> day;
  if (state.last_reconciled_day)
    day = static_cast<int>(state.last_reconciled_day->time_since_epoch().count());
  std::optional<std::int64_t> cycle_us;
  if (state.last_cycle_at)
    cycle_us = std::chrono::duration_cast<std::chrono::microseconds>(
                   state.last_cycle_at->time_since_epoch())
                   .count();
  pq::run0(tx, std::string(kUpsertState), state.shop, ms(state.hwm), ms(state.init_t0),
           ms(state.init_cursor), state.init_done, day, cycle_us, state.last_cycle_orders,
           state.stopped, state.stopped_reason);
}

std::optional<model::Tokens> select_tokens(pqxx::transaction_base& tx, const std::string& shop,
                                           const std::string& config_fingerprint) {
  const auto rows = pq::run(tx, std::string(kSelectTokens), shop, config_fingerprint);
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

void upsert_tokens(pqxx::transaction_base& tx, const std::string& shop, const model::Tokens& tokens,
                   const std::string& config_fingerprint) {
  pq::run0(tx, std::string(kUpsertTokens), shop, tokens.access_token, tokens.refresh_token,
           static_cast<std::int64_t>(tokens.access_expires_at.time_since_epoch().count()),
           static_cast<std::int64_t>(tokens.refresh_expires_at.time_since_epoch().count()),
           config_fingerprint);
}

} // namespace taosync::store
