#pragma once
// The SQL of one batch write: TEMP staging tables filled by COPY, then a constant number of
// set-based statements from staging into the real tables. $1 is always the shop.
//
// Every read of a real table is a probe by key, one per staged key, whatever the statistics
// say. During an init the real tables grow much faster than autovacuum analyzes them, and a
// shop the statistics have not seen yet looks empty to the planner: reading it through an
// index on shop alone, or by a scan, looks as cheap as through the key, and reads the whole
// shop (in a probe: once per staged key). Hence:
// - a probe is a subquery on the key kept apart by OFFSET 0 (LATERAL, or EXISTS), never
//   `= ANY (...)` or a join, which the planner may turn into one read of the whole shop;
// - a probe gets the shop as `(SELECT $1::text)`, a value the planner cannot see, so that it
//   estimates the shop's rows from the number of shops instead of from statistics that may
//   lack the shop, and the key wins (only statistics in which every row had a shop of its own
//   could still make them tie);
// - a DELETE collects the ctids of its rows by probes and deletes `ctid = ANY (...)`, which is
//   a TID scan.
// The key is the primary key; for the lines of an order, order_lines_order_idx (shop,
// trade_order_id); for the shipments and sku properties of a line, the first two columns of
// their primary keys. tests/unit/store/probe_plans_test.cpp checks the plans on stale
// statistics.

#include <string_view>

namespace taosync::store::sql {

/// Session setup, run once per connection before the staging tables are first touched.
/// Staging lives in temp buffers: a 1000-order batch is a few MiB.
constexpr std::string_view kSessionSetup = "SET temp_buffers = '64MB'";

/// Staging tables: session-local, emptied at every commit. Big columns come first because
/// that is cheapest for libpqxx 6.4's row formatting.
constexpr std::string_view kCreateStaging = R"sql(
CREATE TEMP TABLE IF NOT EXISTS stage_orders (
  raw text, trade_order_id text, buyer_id text, buyer_full_name text, seller_id text,
  seller_full_name text, status text, payment_channel text,
  actual_fee text, actual_fee_currency_code text, shipping_fee text,
  shipping_fee_currency_code text, actual_shipping_fee text,
  actual_shipping_fee_currency_code text, creation_ms bigint, modification_ms bigint,
  delivery_area text, delivery_country_code text, delivery_city text,
  delivery_detail_address text, delivery_receiver_name text, delivery_state text,
  delivery_receiver_phone text, line_ids text
) ON COMMIT DELETE ROWS;
-- existed: the order was stored before this batch (unknown, so true, if the batch lacks it).
CREATE TEMP TABLE IF NOT EXISTS stage_sets (
  trade_order_id text, existed boolean NOT NULL DEFAULT true
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_lines (
  raw text, sku_info text, product_title text, product_main_image text, product_detail_url text,
  trade_order_line_id text, trade_order_id text, product_id text, sku_id text, package_id text,
  buyer_full_name text, status text, quantity bigint,
  unit_fee text, unit_fee_currency_code text, actual_fee text, actual_fee_currency_code text,
  shipping_fee text, shipping_fee_currency_code text, actual_shipping_fee text,
  actual_shipping_fee_currency_code text, creation_ms bigint, modification_ms bigint
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_shipments (
  trade_order_line_id text, order_no bigint, tracking_number text, logistics_id text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_sku (
  trade_order_line_id text, position integer, property_id bigint, property_name text,
  value_id bigint, value_text text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_rejected (
  endpoint text, record_id text, reason text, raw text
) ON COMMIT DELETE ROWS;
-- The batch's change-feed rows, gathered by the statements that see them and published into
-- taosync.changes at the end of the transaction (store/change_sql.hpp).
CREATE TEMP TABLE IF NOT EXISTS stage_changes (
  seq bigint GENERATED ALWAYS AS IDENTITY, trade_order_id text, kind text, detail jsonb
) ON COMMIT DELETE ROWS;
-- The stored lines that replaced line sets dropped.
CREATE TEMP TABLE IF NOT EXISTS stage_gone (
  trade_order_id text, trade_order_line_id text
) ON COMMIT DELETE ROWS;
)sql";

/// Classifies each staged order against the stored row (new / newer / same / older), upserts
/// all but the older ones, records status changes in the history, stages the feed rows of new
/// orders, status and address changes, and drops the line sets of stale orders from stage_sets
/// and marks those of new orders (nothing stored to replace).
/// Returns inserted, updated, unchanged, stale, status changes.
constexpr std::string_view kUpsertOrders = R"sql(
WITH cls AS MATERIALIZED (
  SELECT s.*, TIMESTAMPTZ 'epoch' + s.modification_ms * INTERVAL '1 millisecond' AS mt,
         o.modification_time AS old_mt, o.status AS old_status, o.address AS old_address,
         jsonb_build_object('area', s.delivery_area, 'country_code', s.delivery_country_code,
                            'city', s.delivery_city, 'detail_address', s.delivery_detail_address,
                            'receiver_name', s.delivery_receiver_name, 'state', s.delivery_state,
                            'receiver_phone', s.delivery_receiver_phone) AS address
  FROM stage_orders s
  LEFT JOIN LATERAL (SELECT modification_time, status,
                            jsonb_build_object('area', delivery_area,
                                               'country_code', delivery_country_code,
                                               'city', delivery_city,
                                               'detail_address', delivery_detail_address,
                                               'receiver_name', delivery_receiver_name,
                                               'state', delivery_state,
                                               'receiver_phone', delivery_receiver_phone) AS address
                     FROM taosync.orders o
                     WHERE o.shop = (SELECT $1::text) AND o.trade_order_id = s.trade_order_id
                     OFFSET 0) o ON true
), up AS (
  INSERT INTO taosync.orders AS o (
    shop, trade_order_id, buyer_id, buyer_full_name, seller_id, seller_full_name, status,
    payment_channel, actual_fee, actual_fee_currency_code, shipping_fee,
    shipping_fee_currency_code, actual_shipping_fee, actual_shipping_fee_currency_code,
    creation_time, modification_time, delivery_area, delivery_country_code, delivery_city,
    delivery_detail_address, delivery_receiver_name, delivery_state, delivery_receiver_phone,
    line_ids, raw, synced_at)
  SELECT $1, trade_order_id, buyer_id, buyer_full_name, seller_id, seller_full_name, status,
    payment_channel, actual_fee::numeric, actual_fee_currency_code, shipping_fee::numeric,
    shipping_fee_currency_code, actual_shipping_fee::numeric, actual_shipping_fee_currency_code,
    TIMESTAMPTZ 'epoch' + creation_ms * INTERVAL '1 millisecond', mt, delivery_area,
    delivery_country_code, delivery_city, delivery_detail_address, delivery_receiver_name,
    delivery_state, delivery_receiver_phone, line_ids::text[], raw::jsonb, now()
  FROM cls WHERE old_mt IS NULL OR old_mt <= mt
  ON CONFLICT (shop, trade_order_id) DO UPDATE SET
    buyer_id = EXCLUDED.buyer_id, buyer_full_name = EXCLUDED.buyer_full_name,
    seller_id = EXCLUDED.seller_id, seller_full_name = EXCLUDED.seller_full_name,
    status = EXCLUDED.status, payment_channel = EXCLUDED.payment_channel,
    actual_fee = EXCLUDED.actual_fee, actual_fee_currency_code = EXCLUDED.actual_fee_currency_code,
    shipping_fee = EXCLUDED.shipping_fee,
    shipping_fee_currency_code = EXCLUDED.shipping_fee_currency_code,
    actual_shipping_fee = EXCLUDED.actual_shipping_fee,
    actual_shipping_fee_currency_code = EXCLUDED.actual_shipping_fee_currency_code,
    creation_time = EXCLUDED.creation_time, modification_time = EXCLUDED.modification_time,
    delivery_area = EXCLUDED.delivery_area, delivery_country_code = EXCLUDED.delivery_country_code,
    delivery_city = EXCLUDED.delivery_city,
    delivery_detail_address = EXCLUDED.delivery_detail_address,
    delivery_receiver_name = EXCLUDED.delivery_receiver_name,
    delivery_state = EXCLUDED.delivery_state,
    delivery_receiver_phone = EXCLUDED.delivery_receiver_phone,
    line_ids = EXCLUDED.line_ids, raw = EXCLUDED.raw, synced_at = EXCLUDED.synced_at
  WHERE o.modification_time <= EXCLUDED.modification_time
  RETURNING 1
), hist AS (
  INSERT INTO taosync.order_status_history
    (shop, trade_order_id, old_status, new_status, modification_time)
  SELECT $1, trade_order_id, old_status, status, mt FROM cls
  WHERE (old_mt IS NULL OR old_mt <= mt) AND old_status IS DISTINCT FROM status
  RETURNING 1
), status_feed AS (
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT trade_order_id,
         CASE WHEN old_mt IS NULL THEN 'order_new' ELSE 'order_status' END,
         CASE WHEN old_mt IS NULL
              THEN jsonb_build_object('new', status, 'modification_time', mt,
                                      'line_ids', to_jsonb(line_ids::text[]))
              ELSE jsonb_build_object('old', old_status, 'new', status, 'modification_time', mt)
         END
  FROM cls
  WHERE (old_mt IS NULL OR old_mt <= mt) AND old_status IS DISTINCT FROM status
  RETURNING 1
), address_feed AS (
  INSERT INTO stage_changes (trade_order_id, kind, detail)
  SELECT trade_order_id, 'address',
         jsonb_build_object('old', old_address, 'new', address, 'modification_time', mt)
  FROM cls
  WHERE old_mt <= mt AND old_address IS DISTINCT FROM address
  RETURNING 1
), unset AS (
  DELETE FROM stage_sets w USING cls
  WHERE w.trade_order_id = cls.trade_order_id AND cls.old_mt > cls.mt
  RETURNING 1
), fresh AS (
  UPDATE stage_sets w SET existed = false FROM cls
  WHERE w.trade_order_id = cls.trade_order_id AND cls.old_mt IS NULL
  RETURNING 1
)
SELECT count(*) FILTER (WHERE old_mt IS NULL),
       count(*) FILTER (WHERE old_mt < mt),
       count(*) FILTER (WHERE old_mt = mt),
       count(*) FILTER (WHERE old_mt > mt),
       (SELECT count(*) FROM hist),
       (SELECT count(*) FROM up),
       (SELECT count(*) FROM unset),
       (SELECT count(*) FROM fresh)
FROM cls
)sql";

/// Deletes the stored lines (with their shipments and sku properties) of the replaced line
/// sets that the new sets no longer contain, and remembers them in stage_gone. Only orders stored
/// before can have any. A line the order still lists but that did not come back usable is kept: it
/// is owed, and its stored version is better than none.
constexpr std::string_view kDeleteGoneLines = R"sql(
WITH doomed AS MATERIALIZED ( -- stored lines the new sets lack, by a probe per order
  SELECT l.ctid, l.trade_order_line_id
  FROM stage_sets w
  CROSS JOIN LATERAL (SELECT ctid, trade_order_line_id FROM taosync.order_lines
                      WHERE shop = (SELECT $1::text) AND trade_order_id = w.trade_order_id
                      OFFSET 0) l
  WHERE w.existed
    AND NOT EXISTS (SELECT 1 FROM stage_lines s
                    WHERE s.trade_order_line_id = l.trade_order_line_id)
    AND NOT EXISTS (SELECT 1 FROM taosync.orders o
                    WHERE o.shop = (SELECT $1::text) AND o.trade_order_id = w.trade_order_id
                      AND l.trade_order_line_id = ANY (o.line_ids)
                    OFFSET 0)
), gone AS (
  DELETE FROM taosync.order_lines WHERE ctid = ANY (ARRAY(SELECT ctid FROM doomed))
  RETURNING trade_order_id, trade_order_line_id
), remembered AS ( -- for the lines_replaced rows of the change feed
  INSERT INTO stage_gone SELECT trade_order_id, trade_order_line_id FROM gone RETURNING 1
), shipments AS (
  DELETE FROM taosync.line_shipments
  WHERE ctid = ANY (ARRAY(
    SELECT x.ctid FROM gone g
    CROSS JOIN LATERAL (SELECT ctid FROM taosync.line_shipments
                        WHERE shop = (SELECT $1::text)
                          AND trade_order_line_id = g.trade_order_line_id
                        OFFSET 0) x))
  RETURNING 1
), props AS (
  DELETE FROM taosync.line_sku_properties
  WHERE ctid = ANY (ARRAY(
    SELECT x.ctid FROM gone g
    CROSS JOIN LATERAL (SELECT ctid FROM taosync.line_sku_properties
                        WHERE shop = (SELECT $1::text)
                          AND trade_order_line_id = g.trade_order_line_id
                        OFFSET 0) x))
  RETURNING 1
)
SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM shipments), (SELECT count(*) FROM props)
)sql";

/// Leaves in stage_lines only the lines to write: those of a replaced set (stale orders'
/// sets are gone from stage_sets) that are not older than the stored line.
constexpr std::string_view kPruneStagedLines = R"sql(
DELETE FROM stage_lines s
WHERE NOT EXISTS (SELECT 1 FROM stage_sets w WHERE w.trade_order_id = s.trade_order_id)
   OR EXISTS (SELECT 1 FROM taosync.order_lines l
              WHERE l.shop = (SELECT $1::text) AND l.trade_order_line_id = s.trade_order_line_id
                AND l.modification_time
                    > TIMESTAMPTZ 'epoch' + s.modification_ms * INTERVAL '1 millisecond'
              OFFSET 0)
)sql";

/// Deletes the stored shipments and sku properties of the lines about to be written: those
/// lines that are stored already.
constexpr std::string_view kDeleteLineChildren = R"sql(
WITH stored AS MATERIALIZED (
  SELECT s.trade_order_line_id FROM stage_lines s
  WHERE EXISTS (SELECT 1 FROM taosync.order_lines l
                WHERE l.shop = (SELECT $1::text) AND l.trade_order_line_id = s.trade_order_line_id
                OFFSET 0)
), shipments AS (
  DELETE FROM taosync.line_shipments
  WHERE ctid = ANY (ARRAY(
    SELECT x.ctid FROM stored k
    CROSS JOIN LATERAL (SELECT ctid FROM taosync.line_shipments
                        WHERE shop = (SELECT $1::text)
                          AND trade_order_line_id = k.trade_order_line_id
                        OFFSET 0) x))
  RETURNING 1
), props AS (
  DELETE FROM taosync.line_sku_properties
  WHERE ctid = ANY (ARRAY(
    SELECT x.ctid FROM stored k
    CROSS JOIN LATERAL (SELECT ctid FROM taosync.line_sku_properties
                        WHERE shop = (SELECT $1::text)
                          AND trade_order_line_id = k.trade_order_line_id
                        OFFSET 0) x))
  RETURNING 1
)
SELECT (SELECT count(*) FROM shipments), (SELECT count(*) FROM props)
)sql";

/// Upserts the staged lines and inserts their shipments and sku properties.
/// Returns the number of line rows written.
constexpr std::string_view kInsertLines = R"sql(
WITH lines AS (
  INSERT INTO taosync.order_lines AS l (
    shop, trade_order_line_id, trade_order_id, product_id, sku_id, package_id, product_title,
    product_main_image, product_detail_url, buyer_full_name, status, quantity,
    unit_fee, unit_fee_currency_code, actual_fee, actual_fee_currency_code,
    shipping_fee, shipping_fee_currency_code, actual_shipping_fee,
    actual_shipping_fee_currency_code, creation_time, modification_time, sku_info, raw)
  SELECT $1, trade_order_line_id, trade_order_id, product_id, sku_id, package_id, product_title,
    product_main_image, product_detail_url, buyer_full_name, status, quantity,
    unit_fee::numeric, unit_fee_currency_code, actual_fee::numeric, actual_fee_currency_code,
    shipping_fee::numeric, shipping_fee_currency_code, actual_shipping_fee::numeric,
    actual_shipping_fee_currency_code,
    TIMESTAMPTZ 'epoch' + creation_ms * INTERVAL '1 millisecond',
    TIMESTAMPTZ 'epoch' + modification_ms * INTERVAL '1 millisecond', sku_info, raw::jsonb
  FROM stage_lines
  ON CONFLICT (shop, trade_order_line_id) DO UPDATE SET
    trade_order_id = EXCLUDED.trade_order_id, product_id = EXCLUDED.product_id,
    sku_id = EXCLUDED.sku_id, package_id = EXCLUDED.package_id,
    product_title = EXCLUDED.product_title, product_main_image = EXCLUDED.product_main_image,
    product_detail_url = EXCLUDED.product_detail_url, buyer_full_name = EXCLUDED.buyer_full_name,
    status = EXCLUDED.status, quantity = EXCLUDED.quantity, unit_fee = EXCLUDED.unit_fee,
    unit_fee_currency_code = EXCLUDED.unit_fee_currency_code, actual_fee = EXCLUDED.actual_fee,
    actual_fee_currency_code = EXCLUDED.actual_fee_currency_code,
    shipping_fee = EXCLUDED.shipping_fee,
    shipping_fee_currency_code = EXCLUDED.shipping_fee_currency_code,
    actual_shipping_fee = EXCLUDED.actual_shipping_fee,
    actual_shipping_fee_currency_code = EXCLUDED.actual_shipping_fee_currency_code,
    creation_time = EXCLUDED.creation_time, modification_time = EXCLUDED.modification_time,
    sku_info = EXCLUDED.sku_info, raw = EXCLUDED.raw
  WHERE l.modification_time <= EXCLUDED.modification_time
  RETURNING 1
), shipments AS (
  INSERT INTO taosync.line_shipments
    (shop, trade_order_line_id, order_no, tracking_number, logistics_id)
  SELECT $1, x.trade_order_line_id, x.order_no, x.tracking_number, x.logistics_id
  FROM stage_shipments x
  WHERE EXISTS (SELECT 1 FROM stage_lines s WHERE s.trade_order_line_id = x.trade_order_line_id)
  RETURNING 1
), props AS (
  INSERT INTO taosync.line_sku_properties
    (shop, trade_order_line_id, position, property_id, property_name, value_id, value_text)
  SELECT $1, x.trade_order_line_id, x.position, x.property_id, x.property_name, x.value_id,
         x.value_text
  FROM stage_sku x
  WHERE EXISTS (SELECT 1 FROM stage_lines s WHERE s.trade_order_line_id = x.trade_order_line_id)
  RETURNING 1
)
SELECT (SELECT count(*) FROM lines), (SELECT count(*) FROM shipments), (SELECT count(*) FROM props)
)sql";

/// Stores rejected records; one already stored (same shop, endpoint, id, reason, raw) is kept.
constexpr std::string_view kInsertRejected = R"sql(
INSERT INTO taosync.rejected_records (shop, endpoint, record_id, reason, raw)
SELECT $1, endpoint, record_id, reason, raw FROM stage_rejected
ON CONFLICT DO NOTHING
)sql";

} // namespace taosync::store::sql
