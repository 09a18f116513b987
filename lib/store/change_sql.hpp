#pragma once
// The SQL of the change feed: line status history and the feed rows of a batch, gathered in
// the staging table stage_changes by the statements that see the changes, then published into
// taosync.changes at the end of the write transaction. $1 is always the shop. Real tables are
// read as in batch_sql.hpp: a primary-key probe per staged key, whatever the statistics say.

#include <string>
#include <string_view>

namespace taosync::store::sql {

/// Run after kPruneStagedLines and before kDeleteLineChildren, while the stored lines and
/// shipments are still the old ones: records the status change of every line about to be
/// written in order_line_status_history (a new line is a change from NULL, as a new order is
/// in order_status_history), and stages the line_status, lines_replaced and shipment rows.
/// Returns the number of line status changes.
constexpr std::string_view kRecordLineChanges = R"sql(
WITH old AS MATERIALIZED (
  SELECT l.trade_order_line_id, l.trade_order_id, l.status
  FROM stage_lines s
  CROSS JOIN LATERAL (SELECT trade_order_line_id, trade_order_id, status FROM taosync.order_lines
                      WHERE shop = (SELECT $1::text) AND trade_order_line_id = s.trade_order_line_id
                      OFFSET 0) l
), cur AS MATERIALIZED (
  SELECT s.trade_order_id, s.trade_order_line_id, s.status,
         TIMESTAMPTZ 'epoch' + s.modification_ms * INTERVAL '1 millisecond' AS mt,
         o.trade_order_line_id IS NOT NULL AS stored, o.trade_order_id AS old_order,
         o.status AS old_status
  FROM stage_lines s LEFT JOIN old o ON o.trade_order_line_id = s.trade_order_line_id
), hist AS (
  INSERT INTO taosync.order_line_status_history
    (shop, trade_order_id, trade_order_line_id, old_status, new_status, modification_time)
  SELECT $1, trade_order_id, trade_order_line_id, old_status, status, mt FROM cur
  WHERE old_status IS DISTINCT FROM status
  RETURNING trade_order_id, trade_order_line_id, old_status, new_status, modification_time
), line_feed AS (
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT trade_order_id, 'line_status',
         jsonb_build_object('line', trade_order_line_id, 'old', old_status, 'new', new_status,
                            'modification_time', modification_time)
  FROM hist
  RETURNING 1
), replaced_feed AS ( -- only orders stored before: a new order's lines come with order_new
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT w.trade_order_id, 'lines_replaced',
         jsonb_build_object('added', coalesce(a.ids, '[]'), 'removed', coalesce(r.ids, '[]'))
  FROM stage_sets w
  LEFT JOIN (SELECT trade_order_id, jsonb_agg(trade_order_line_id ORDER BY trade_order_line_id)
             FROM cur WHERE old_order IS DISTINCT FROM trade_order_id GROUP BY 1) a (id, ids)
    ON a.id = w.trade_order_id
  LEFT JOIN (SELECT trade_order_id, jsonb_agg(trade_order_line_id ORDER BY trade_order_line_id)
             FROM stage_gone GROUP BY 1) r (id, ids)
    ON r.id = w.trade_order_id
  WHERE w.existed AND (a.ids IS NOT NULL OR r.ids IS NOT NULL)
  RETURNING 1
), ship_old AS MATERIALIZED ( -- shipments of lines stored before: added, changed or gone
  SELECT x.trade_order_line_id, x.order_no,
         jsonb_build_object('tracking_number', x.tracking_number,
                            'logistics_id', x.logistics_id) AS v
  FROM cur c
  CROSS JOIN LATERAL (SELECT trade_order_line_id, order_no, tracking_number, logistics_id
                      FROM taosync.line_shipments
                      WHERE shop = (SELECT $1::text) AND trade_order_line_id = c.trade_order_line_id
                      OFFSET 0) x
  WHERE c.stored
), ship_new AS MATERIALIZED (
  SELECT x.trade_order_line_id, x.order_no,
         jsonb_build_object('tracking_number', x.tracking_number,
                            'logistics_id', x.logistics_id) AS v
  FROM stage_shipments x
  WHERE x.trade_order_line_id IN (SELECT trade_order_line_id FROM cur WHERE stored)
), shipment_feed AS (
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT c.trade_order_id, 'shipment',
         jsonb_build_object('line', d.line, 'order_no', d.order_no, 'old', d.old, 'new', d.new)
  FROM (SELECT coalesce(o.trade_order_line_id, n.trade_order_line_id) AS line,
               coalesce(o.order_no, n.order_no) AS order_no, o.v AS old, n.v AS new
        FROM ship_old o
        FULL JOIN ship_new n
          ON n.trade_order_line_id = o.trade_order_line_id AND n.order_no = o.order_no
        WHERE o.v IS DISTINCT FROM n.v) d
  JOIN cur c ON c.trade_order_line_id = d.line
  RETURNING 1
)
SELECT (SELECT count(*) FROM hist), (SELECT count(*) FROM line_feed),
       (SELECT count(*) FROM replaced_feed), (SELECT count(*) FROM shipment_feed)
)sql";

/// Taken right before the feed rows are inserted, held until commit. A bigserial hands out ids
/// in call order, not commit order: without the lock, a transaction could commit id 11 while
/// id 10 is still uncommitted, and a reader at `id > 9` would see 11, move on and miss 10 for
/// ever. Under the lock, a writer draws its ids only after the previous holder has committed
/// (PostgreSQL releases a transaction's locks after its commit is visible), so ids become
/// visible in increasing order. Only the last moments of each write (these inserts, NOTIFY,
/// commit) are serialized; the constant is unique to taosync's feed. No row locks are taken
/// after it, so it cannot close a deadlock cycle.
constexpr std::string_view kLockChanges =
    "SELECT pg_advisory_xact_lock(7346152093415262) FROM stage_changes LIMIT 1";

/// Bytes of a NOTIFY payload given to the lines list: NOTIFY refuses payloads of 8000 bytes
/// or more, and the rest (shop, order id, status, each at most 64 bytes before escaping) fits
/// in what is left.
constexpr int kNotifyLinesBudget = 6000;

/// The end of both publishing statements below: from the CTEs `feed` (the rows inserted into
/// taosync.changes), `line_items` (each line's change as JSON, numbered per order, with the
/// running bytes `used`) and `notify_orders` (trade_order_id, status of each order to notify),
/// one taosync_order_changed NOTIFY per order with its lines within kNotifyLinesBudget bytes
/// ($2), and taosync_changes with the newest id. The payload's format lives here alone.
constexpr std::string_view kNotifyTail = R"sql(), line_lists AS (
  SELECT trade_order_id,
         coalesce(string_agg(item, ',' ORDER BY n) FILTER (WHERE used <= $2), '') AS items,
         count(*) FILTER (WHERE used <= $2) AS kept, count(*) AS total
  FROM line_items GROUP BY trade_order_id
), notified AS (
  SELECT pg_notify('taosync_order_changed',
           format('{"shop":%s,"trade_order_id":%s,"status":%s,"lines":[%s]%s}',
                  to_json($1::text), to_json(n.trade_order_id), to_json(n.status),
                  coalesce(l.items, ''),
                  CASE WHEN l.kept < l.total
                       THEN format(',"lines_truncated":true,"lines_total":%s', l.total)
                       ELSE '' END))
  FROM notify_orders n LEFT JOIN line_lists l ON l.trade_order_id = n.trade_order_id
), newest AS (
  SELECT pg_notify('taosync_changes', max(id)::text) FROM feed HAVING count(*) > 0
)
SELECT (SELECT count(*) FROM feed), (SELECT count(*) FROM notified), (SELECT count(*) FROM newest)
)sql";

/// Publishes the staged feed rows into taosync.changes (grouped by order, in a fixed order of
/// kinds), NOTIFYs taosync_order_changed once per order whose status or a line status changed
/// (with the lines, old -> new, truncated to kNotifyLinesBudget bytes and said so), and
/// taosync_changes with the newest id. Returns the rows published.
inline const std::string kPublishChanges = std::string(R"sql(
WITH feed AS (
  INSERT INTO taosync.changes (shop, trade_order_id, kind, detail)
  SELECT $1, trade_order_id, kind, detail FROM stage_changes
  ORDER BY trade_order_id,
           CASE kind WHEN 'order_new' THEN 0 WHEN 'order_status' THEN 1 WHEN 'address' THEN 2
                     WHEN 'lines_replaced' THEN 3 WHEN 'line_status' THEN 4 ELSE 5 END,
           seq
  RETURNING id
), line_items AS (
  SELECT trade_order_id, item, n,
         sum(octet_length(item) + 1) OVER (PARTITION BY trade_order_id ORDER BY n) AS used
  FROM (SELECT trade_order_id, row_number() OVER (PARTITION BY trade_order_id ORDER BY seq) AS n,
               format('{"id":%s,"old":%s,"new":%s}', to_json(detail->>'line'),
                      coalesce(to_json(detail->>'old')::text, 'null'),
                      coalesce(to_json(detail->>'new')::text, 'null')) AS item
        FROM stage_changes WHERE kind = 'line_status') i
), changed AS MATERIALIZED (
  SELECT DISTINCT trade_order_id FROM stage_changes
  WHERE kind IN ('order_new', 'order_status', 'line_status')
), notify_orders AS (
  SELECT c.trade_order_id, o.status
  FROM changed c
  LEFT JOIN LATERAL (SELECT status FROM taosync.orders
                     WHERE shop = (SELECT $1::text) AND trade_order_id = c.trade_order_id
                     OFFSET 0) o ON true
)sql") + std::string(kNotifyTail);

/// The ordering lock of kLockChanges, taken unconditionally: for a write that has feed rows
/// whatever its staging holds (a fresh batch, kPublishNew).
constexpr std::string_view kLockChangesNow = "SELECT pg_advisory_xact_lock(7346152093415262)";

/// kPublishChanges for a fresh batch (store/fresh_write.hpp), straight from the new orders and
/// lines staged in stage_orders and stage_lines (ids, status, time, line ids only): the
/// order_new row of each order and a line_status row (from NULL) of each line, in
/// kPublishChanges' order (by order, order_new first, lines as staged), and the same NOTIFYs.
/// Run under kLockChangesNow. Returns the rows published.
inline const std::string kPublishNew = std::string(R"sql(
WITH o AS MATERIALIZED (
  SELECT trade_order_id, status, line_ids::text[] AS line_ids,
         TIMESTAMPTZ 'epoch' + modification_ms * INTERVAL '1 millisecond' AS mt
  FROM stage_orders
), l AS MATERIALIZED (
  SELECT trade_order_id, trade_order_line_id, status,
         TIMESTAMPTZ 'epoch' + modification_ms * INTERVAL '1 millisecond' AS mt,
         row_number() OVER () AS n -- as staged
  FROM stage_lines
), feed AS (
  INSERT INTO taosync.changes (shop, trade_order_id, kind, detail)
  SELECT $1, trade_order_id, kind, detail
  FROM (SELECT trade_order_id, 0 AS rank, 0::bigint AS n, 'order_new' AS kind,
               jsonb_build_object('new', status, 'modification_time', mt,
                                  'line_ids', to_jsonb(line_ids)) AS detail
        FROM o
        UNION ALL
        SELECT trade_order_id, 1, n, 'line_status',
               jsonb_build_object('line', trade_order_line_id, 'old', NULL::text, 'new', status,
                                  'modification_time', mt)
        FROM l) f
  ORDER BY trade_order_id, rank, n
  RETURNING id
), line_items AS (
  SELECT trade_order_id, item, n,
         sum(octet_length(item) + 1) OVER (PARTITION BY trade_order_id ORDER BY n) AS used
  FROM (SELECT trade_order_id, n,
               format('{"id":%s,"old":null,"new":%s}', to_json(trade_order_line_id),
                      coalesce(to_json(status)::text, 'null')) AS item
        FROM l) i
), notify_orders AS (
  SELECT trade_order_id, status FROM o
)sql") + std::string(kNotifyTail);

/// Deletes up to $2 feed rows older than $1 (an interval); returns how many.
constexpr std::string_view kPruneChanges = R"sql(
WITH old AS (
  DELETE FROM taosync.changes
  WHERE id = ANY (ARRAY(SELECT id FROM taosync.changes WHERE changed_at < now() - $1::interval
                        ORDER BY changed_at LIMIT $2))
  RETURNING 1
)
SELECT count(*) FROM old
)sql";

/// Up to $3 feed rows after id $1, of shop $2 (NULL: every shop), in id order, each as its id
/// and one JSON object.
constexpr std::string_view kReadChanges = R"sql(
SELECT id, format('{"id":%s,"shop":%s,"trade_order_id":%s,"kind":%s,"detail":%s,"at":%s}',
                  id, to_json(shop), to_json(trade_order_id), to_json(kind), detail,
                  to_json(changed_at))
FROM taosync.changes
WHERE id > $1 AND ($2::text IS NULL OR shop = $2)
ORDER BY id LIMIT $3
)sql";

} // namespace taosync::store::sql
