#include "store/owed_rows.hpp"

#include "store/pq.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <string_view>

namespace taosync::store {
namespace {

// One statement for all the batch's entries: arrays of ids ride along as array literals.
constexpr std::string_view kUpsertOwed = R"sql(
INSERT INTO taosync.owed_orders AS w (shop, trade_order_id, line_ids, modification_time, reason)
SELECT $1, o.id, o.lines::text[],
       CASE WHEN o.ms = '' THEN NULL -- no time known
            ELSE TIMESTAMPTZ 'epoch' + o.ms::bigint * INTERVAL '1 millisecond' END,
       o.reason
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS o(id, lines, ms, reason)
ON CONFLICT (shop, trade_order_id) DO UPDATE SET
  line_ids = EXCLUDED.line_ids, modification_time = EXCLUDED.modification_time,
  reason = EXCLUDED.reason
)sql";

// Run by the batch write, so written by store/batch_sql.hpp's rule (a probe by key per id, then
// a TID scan): `trade_order_id = ANY ($2)` may be planned, on statistics that lack the shop,
// as a read of all the shop's owed orders through owed_orders_due.
constexpr std::string_view kSettleOwed = R"sql(
DELETE FROM taosync.owed_orders
WHERE ctid = ANY (ARRAY(
  SELECT w.ctid FROM unnest($2::text[]) AS k(id)
  CROSS JOIN LATERAL (SELECT ctid FROM taosync.owed_orders
                      WHERE shop = (SELECT $1::text) AND trade_order_id = k.id OFFSET 0) w
  WHERE k.id IN (SELECT trade_order_id FROM stage_sets)))
)sql";

constexpr std::string_view kSelectDue = R"sql(
SELECT trade_order_id, line_ids::text, (extract(epoch FROM modification_time) * 1000)::bigint,
       reason, attempts
FROM taosync.owed_orders
WHERE shop = $1 AND ($3 OR next_attempt_at <= now())
ORDER BY next_attempt_at
LIMIT $2
)sql";

constexpr std::string_view kPostpone = R"sql(
UPDATE taosync.owed_orders
SET attempts = attempts + 1, reason = $3,
    next_attempt_at = now() + $4::bigint * INTERVAL '1 millisecond'
WHERE shop = $1 AND trade_order_id = $2
)sql";

constexpr std::string_view kOwedSummary = R"sql(
SELECT count(*), coalesce(sum(cardinality(line_ids)), 0),
       (SELECT reason FROM taosync.owed_orders WHERE shop = $1 ORDER BY owed_since DESC LIMIT 1)
FROM taosync.owed_orders WHERE shop = $1
)sql";

constexpr std::string_view kUpsertHeld = R"sql(
INSERT INTO taosync.held_windows (shop, window_from, window_to, reason)
VALUES ($1, TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 millisecond',
        TIMESTAMPTZ 'epoch' + $3::bigint * INTERVAL '1 millisecond', $4)
ON CONFLICT (shop) DO UPDATE SET
  held_since = CASE WHEN held_windows.window_from = EXCLUDED.window_from
                    THEN held_windows.held_since ELSE now() END,
  window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to,
  reason = EXCLUDED.reason, last_seen = now()
)sql";

constexpr std::string_view kClearHeld = "DELETE FROM taosync.held_windows WHERE shop = $1";

constexpr std::string_view kSelectHeld = R"sql(
SELECT (extract(epoch FROM window_from) * 1000)::bigint,
       (extract(epoch FROM window_to) * 1000)::bigint, reason,
       (extract(epoch FROM held_since) * 1000)::bigint
FROM taosync.held_windows WHERE shop = $1
)sql";

std::int64_t owed_epoch_ms(model::TimePoint t) {
  return t.time_since_epoch().count();
}

model::TimePoint owed_time_from_ms(std::int64_t ms) {
  return model::TimePoint(std::chrono::milliseconds(ms));
}

} // namespace

void upsert_owed(pqxx::transaction_base& tx, const std::string& shop,
                 const std::vector<OwedOrder>& owed) {
  if (owed.empty())
    return;
  std::vector<std::string> ids, lines, times, reasons;
  for (const auto& o : owed) {
    ids.push_back(clean_text(o.trade_order_id));
    lines.push_back(array_literal(o.line_ids));
    // an empty text stands for "unknown" (a text[] literal cannot hold a bare NULL here)
    times.push_back(o.modification_time ? std::to_string(owed_epoch_ms(*o.modification_time)) : "");
    reasons.push_back(clean_text(o.reason));
  }
  pq::run0(tx, std::string(kUpsertOwed), shop, array_literal(ids), array_literal(lines),
           array_literal(times), array_literal(reasons));
}

std::uint64_t settle_owed(pqxx::transaction_base& tx, const std::string& shop,
                          const std::vector<std::string>& settled) {
  if (settled.empty())
    return 0;
  return pq::run(tx, std::string(kSettleOwed), shop, array_literal(settled)).affected_rows();
}

std::vector<DueOwed> select_due_owed(pqxx::transaction_base& tx, const std::string& shop, int limit,
                                     bool due_or_not) {
  std::vector<DueOwed> out;
  for (const auto& row : pq::run(tx, std::string(kSelectDue), shop, limit, due_or_not)) {
    DueOwed d;
    d.order.trade_order_id = row[0].as<std::string>();
    d.order.line_ids = pq::text_array(row[1]);
    if (!row[2].is_null())
      d.order.modification_time = owed_time_from_ms(row[2].as<std::int64_t>());
    d.order.reason = row[3].as<std::string>();
    d.attempts = row[4].as<int>();
    out.push_back(std::move(d));
  }
  return out;
}

void postpone_owed(pqxx::transaction_base& tx, const std::string& shop, const std::string& id,
                   const std::string& reason, std::chrono::milliseconds delay) {
  pq::run0(tx, std::string(kPostpone), shop, id, clean_text(reason),
           static_cast<std::int64_t>(delay.count()));
}

OwedSummary select_owed_summary(pqxx::transaction_base& tx, const std::string& shop) {
  const auto row = pq::run1(tx, std::string(kOwedSummary), shop);
  OwedSummary s;
  s.orders = row[0].as<std::int64_t>();
  s.lines = row[1].as<std::int64_t>();
  if (!row[2].is_null())
    s.newest_reason = row[2].as<std::string>();
  return s;
}

void upsert_held(pqxx::transaction_base& tx, const std::string& shop,
                 const std::optional<HeldWindow>& held) {
  if (!held) {
    pq::run0(tx, std::string(kClearHeld), shop);
    return;
  }
  pq::run0(tx, std::string(kUpsertHeld), shop, owed_epoch_ms(held->from), owed_epoch_ms(held->to),
           clean_text(held->reason));
}

std::optional<HeldWindow> select_held(pqxx::transaction_base& tx, const std::string& shop) {
  const auto rows = pq::run(tx, std::string(kSelectHeld), shop);
  if (rows.empty())
    return std::nullopt;
  const auto& row = rows[0];
  HeldWindow h{owed_time_from_ms(row[0].as<std::int64_t>()),
               owed_time_from_ms(row[1].as<std::int64_t>()), row[2].as<std::string>(),
               std::nullopt};
  h.since =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(row[3].as<std::int64_t>()));
  return h;
}

} // namespace taosync::store
