#pragma once
// The SQL of a fresh batch write (store/fresh_write.hpp): a batch none of whose orders and
// lines are stored yet, which is every batch of a first init. Its rows are COPYed straight
// into the real tables; these statements decide that it is fresh and record what the general
// write (batch_sql.hpp, change_sql.hpp) would record for new orders and lines. $1 is the shop.

#include <string_view>

namespace taosync::store::sql {

/// Whether any of the order ids $2 or line ids $3 (array literals) is stored for the shop: one
/// primary-key probe per id (OFFSET 0 keeps each subquery apart). `= ANY ($2)` would let the
/// planner, without column statistics during an init, scan the whole shop through an index on
/// shop alone.
constexpr std::string_view kAnyStored = R"sql(
SELECT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(id)
               WHERE EXISTS (SELECT 1 FROM taosync.orders
                             WHERE shop = $1 AND trade_order_id = k.id OFFSET 0))
    OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS k(id)
               WHERE EXISTS (SELECT 1 FROM taosync.order_lines
                             WHERE shop = $1 AND trade_order_line_id = k.id OFFSET 0))
)sql";

/// From the new orders and lines staged in stage_orders and stage_lines (ids, status, time,
/// line ids only): their status history as changes from NULL, and their order_new and
/// line_status feed rows in stage_changes, each line's in the order it was staged.
/// Returns the order and the line status changes.
constexpr std::string_view kRecordNew = R"sql(
WITH o AS MATERIALIZED (
  SELECT trade_order_id, status, line_ids,
         TIMESTAMPTZ 'epoch' + modification_ms * INTERVAL '1 millisecond' AS mt
  FROM stage_orders
), l AS MATERIALIZED (
  SELECT trade_order_id, trade_order_line_id, status,
         TIMESTAMPTZ 'epoch' + modification_ms * INTERVAL '1 millisecond' AS mt
  FROM stage_lines
), hist AS (
  INSERT INTO taosync.order_status_history
    (shop, trade_order_id, old_status, new_status, modification_time)
  SELECT $1, trade_order_id, NULL, status, mt FROM o
  RETURNING 1
), line_hist AS (
  INSERT INTO taosync.order_line_status_history
    (shop, trade_order_id, trade_order_line_id, old_status, new_status, modification_time)
  SELECT $1, trade_order_id, trade_order_line_id, NULL, status, mt FROM l
  RETURNING 1
), feed AS (
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT trade_order_id, kind, detail
  FROM (SELECT trade_order_id, 'order_new' AS kind,
               jsonb_build_object('new', status, 'modification_time', mt,
                                  'line_ids', to_jsonb(line_ids::text[])) AS detail
        FROM o
        UNION ALL
        SELECT trade_order_id, 'line_status',
               jsonb_build_object('line', trade_order_line_id, 'old', NULL::text, 'new', status,
                                  'modification_time', mt)
        FROM l) f
  RETURNING 1
)
SELECT (SELECT count(*) FROM hist), (SELECT count(*) FROM line_hist), (SELECT count(*) FROM feed)
)sql";

} // namespace taosync::store::sql
