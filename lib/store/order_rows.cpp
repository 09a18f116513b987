#include "store/order_rows.hpp"
#include "store/pq.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <unordered_map>

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

// A random sample, drawn from the most recently modified orders (10x n of them).
constexpr std::string_view kSampleRecent = R"sql(
SELECT trade_order_id FROM (
  SELECT trade_order_id FROM taosync.orders WHERE shop = $1
  ORDER BY modification_time DESC LIMIT $2::bigint * 10
) recent ORDER BY random() LIMIT $2::bigint
)sql";

constexpr std::string_view kSelectOrder = R"sql(
SELECT trade_order_id, buyer_id, buyer_full_name, seller_id, seller_full_name, status,
  payment_channel, actual_fee::text, actual_fee_currency_code, shipping_fee::text,
  shipping_fee_currency_code, actual_shipping_fee::text, actual_shipping_fee_currency_code,
  (extract(epoch FROM creation_time) * 1000)::bigint,
  (extract(epoch FROM modification_time) * 1000)::bigint,
  delivery_area, delivery_country_code, delivery_city, delivery_detail_address,
  delivery_receiver_name, delivery_state, delivery_receiver_phone, raw::text
FROM taosync.orders WHERE shop = $1 AND trade_order_id = $2
)sql";

constexpr std::string_view kSelectLineIds = R"sql(
SELECT u.id FROM taosync.orders o, unnest(o.line_ids) WITH ORDINALITY AS u(id, n)
WHERE o.shop = $1 AND o.trade_order_id = $2 ORDER BY u.n
)sql";

constexpr std::string_view kSelectLines = R"sql(
SELECT trade_order_line_id, trade_order_id, product_id, sku_id, package_id, product_title,
  product_main_image, product_detail_url, buyer_full_name, status, quantity,
  unit_fee::text, unit_fee_currency_code, actual_fee::text, actual_fee_currency_code,
  shipping_fee::text, shipping_fee_currency_code, actual_shipping_fee::text,
  actual_shipping_fee_currency_code,
  (extract(epoch FROM creation_time) * 1000)::bigint,
  (extract(epoch FROM modification_time) * 1000)::bigint, sku_info, raw::text
FROM taosync.order_lines WHERE shop = $1 AND trade_order_id = $2
ORDER BY trade_order_line_id
)sql";

constexpr std::string_view kSelectShipments = R"sql(
SELECT x.trade_order_line_id, x.order_no, x.tracking_number, x.logistics_id
FROM taosync.line_shipments x
JOIN taosync.order_lines l ON l.shop = x.shop AND l.trade_order_line_id = x.trade_order_line_id
WHERE l.shop = $1 AND l.trade_order_id = $2 ORDER BY x.trade_order_line_id, x.order_no
)sql";

constexpr std::string_view kSelectSkuProperties = R"sql(
SELECT x.trade_order_line_id, x.property_id, x.property_name, x.value_id, x.value_text
FROM taosync.line_sku_properties x
JOIN taosync.order_lines l ON l.shop = x.shop AND l.trade_order_line_id = x.trade_order_line_id
WHERE l.shop = $1 AND l.trade_order_id = $2 ORDER BY x.trade_order_line_id, x.position
)sql";

std::string text(const pqxx::field& f) {
  return f.as<std::string>(std::string());
}

model::TimePoint time_ms(const pqxx::field& f) {
  return model::TimePoint(std::chrono::milliseconds(f.as<std::int64_t>(0)));
}

model::Money money(const pqxx::field& amount, const pqxx::field& currency) {
  return {text(amount), text(currency)};
}

model::Order order_of(const pqxx::row& r) {
  model::Order o;
  o.trade_order_id = text(r[0]);
  o.buyer_id = text(r[1]);
  o.buyer_full_name = text(r[2]);
  o.seller_id = text(r[3]);
  o.seller_full_name = text(r[4]);
  o.status = text(r[5]);
  o.payment_channel = text(r[6]);
  o.actual_fee = money(r[7], r[8]);
  o.shipping_fee = money(r[9], r[10]);
  o.actual_shipping_fee = money(r[11], r[12]);
  o.creation_time = time_ms(r[13]);
  o.modification_time = time_ms(r[14]);
  o.delivery = {text(r[15]), text(r[16]), text(r[17]), text(r[18]),
                text(r[19]), text(r[20]), text(r[21])};
  o.raw_json = text(r[22]);
  return o;
}

model::OrderLine line_of(const pqxx::row& r) {
  model::OrderLine l;
  l.trade_order_line_id = text(r[0]);
  l.trade_order_id = text(r[1]);
  l.product_id = text(r[2]);
  l.sku_id = text(r[3]);
  l.package_id = text(r[4]);
  l.product_title = text(r[5]);
  l.product_main_image = text(r[6]);
  l.product_detail_url = text(r[7]);
  l.buyer_full_name = text(r[8]);
  l.status = text(r[9]);
  l.quantity = r[10].as<std::int64_t>(0);
  l.unit_fee = money(r[11], r[12]);
  l.actual_fee = money(r[13], r[14]);
  l.shipping_fee = money(r[15], r[16]);
  l.actual_shipping_fee = money(r[17], r[18]);
  l.creation_time = time_ms(r[19]);
  l.modification_time = time_ms(r[20]);
  l.sku_info = text(r[21]);
  l.raw_json = text(r[22]);
  return l;
}

std::optional<std::string> optional_text(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return f.as<std::string>();
}

} // namespace

std::optional<model::OrderDetail> select_order(pqxx::transaction_base& tx, const std::string& shop,
                                               const std::string& id) {
  const auto head = pq::run(tx, std::string(kSelectOrder), shop, id);
  if (head.empty())
    return std::nullopt;
  model::OrderDetail detail;
  detail.order = order_of(head[0]);
  for (const auto& row : pq::run(tx, std::string(kSelectLineIds), shop, id))
    detail.order.line_ids.push_back(text(row[0]));
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& row : pq::run(tx, std::string(kSelectLines), shop, id)) {
    index.emplace(text(row[0]), detail.lines.size());
    detail.lines.push_back(line_of(row));
  }
  for (const auto& row : pq::run(tx, std::string(kSelectShipments), shop, id))
    detail.lines[index.at(text(row[0]))].shipments.push_back(
        {row[1].as<std::int64_t>(), optional_text(row[2]), optional_text(row[3])});
  for (const auto& row : pq::run(tx, std::string(kSelectSkuProperties), shop, id))
    detail.lines[index.at(text(row[0]))].sku_properties.push_back(
        {row[1].as<std::int64_t>(0), text(row[2]), row[3].as<std::int64_t>(0), text(row[4])});
  return detail;
}

StoredVersions select_stored_versions(pqxx::transaction_base& tx, const std::string& shop,
                                      const std::vector<std::string>& order_ids) {
  StoredVersions out;
  if (order_ids.empty())
    return out;
  for (const auto& row : pq::run(tx, std::string(kStoredVersions), shop, array_literal(order_ids)))
    out.emplace(
        row[0].as<std::string>(),
        StoredVersion{model::TimePoint(std::chrono::milliseconds(row[1].as<std::int64_t>())),
                      row[2].as<std::string>(), pq::text_array(row[3])});
  return out;
}

std::vector<std::string> select_recent_orders(pqxx::transaction_base& tx, const std::string& shop,
                                              int n) {
  std::vector<std::string> ids;
  for (const auto& row : pq::run(tx, std::string(kSampleRecent), shop, n))
    ids.push_back(row[0].as<std::string>());
  return ids;
}

} // namespace taosync::store
