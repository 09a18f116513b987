#include "store/shop_flags.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

constexpr std::string_view kSelectFlags = R"sql(
SELECT stopped, stopped_reason, refresh_fingerprint,
       (extract(epoch FROM api_banned_until) * 1000)::bigint, platform_clock_offset_ms,
       (extract(epoch FROM platform_clock_read_at) * 1000)::bigint
FROM taosync.sync_state WHERE shop = $1
)sql";

// Inserts the row if the shop has none yet; the cursor's upsert then fills the rest.
constexpr std::string_view kUpsertFingerprint = R"sql(
INSERT INTO taosync.sync_state AS s (shop, refresh_fingerprint) VALUES ($1, $2)
ON CONFLICT (shop) DO UPDATE SET refresh_fingerprint = EXCLUDED.refresh_fingerprint,
  stopped = s.stopped AND NOT $3, stopped_reason = CASE WHEN $3 THEN '' ELSE s.stopped_reason END,
  updated_at = now()
)sql";

constexpr std::string_view kUpsertBan = R"sql(
INSERT INTO taosync.sync_state AS s (shop, api_banned_until)
VALUES ($1, TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 millisecond')
ON CONFLICT (shop) DO UPDATE SET api_banned_until = EXCLUDED.api_banned_until
)sql";

constexpr std::string_view kUpsertPlatformClock = R"sql(
INSERT INTO taosync.sync_state AS s (shop, platform_clock_offset_ms, platform_clock_read_at)
VALUES ($1, $2, now())
ON CONFLICT (shop) DO UPDATE SET platform_clock_offset_ms = EXCLUDED.platform_clock_offset_ms,
  platform_clock_read_at = EXCLUDED.platform_clock_read_at
)sql";

std::chrono::system_clock::time_point from_epoch_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

} // namespace

ShopFlags select_shop_flags(pqxx::transaction_base& tx, const std::string& shop) {
  ShopFlags flags;
  const auto rows = pq::run(tx, std::string(kSelectFlags), shop);
  if (rows.empty())
    return flags;
  const auto& r = rows[0];
  flags.stopped = r[0].as<bool>();
  flags.stopped_reason = r[1].as<std::string>();
  flags.refresh_fingerprint = r[2].as<std::string>();
  if (!r[3].is_null())
    flags.api_banned_until = from_epoch_ms(r[3].as<std::int64_t>());
  if (!r[4].is_null() && !r[5].is_null()) {
    flags.platform_clock_offset = std::chrono::milliseconds(r[4].as<std::int64_t>());
    flags.platform_clock_read_at = from_epoch_ms(r[5].as<std::int64_t>());
  }
  return flags;
}

void upsert_refresh_fingerprint(pqxx::transaction_base& tx, const std::string& shop,
                                const std::string& fingerprint, bool resume) {
  pq::run0(tx, std::string(kUpsertFingerprint), shop, fingerprint, resume);
}

void upsert_api_ban(pqxx::transaction_base& tx, const std::string& shop,
                    std::chrono::system_clock::time_point until) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(until.time_since_epoch()).count();
  pq::run0(tx, std::string(kUpsertBan), shop, static_cast<std::int64_t>(ms));
}

void upsert_platform_clock(pqxx::transaction_base& tx, const std::string& shop,
                           std::chrono::milliseconds offset) {
  pq::run0(tx, std::string(kUpsertPlatformClock), shop, static_cast<std::int64_t>(offset.count()));
}

} // namespace taosync::store
