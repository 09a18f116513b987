#include "store/order_rows.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <unordered_map>

namespace taosync::store {
namespace {

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

} // namespace taosync::store
