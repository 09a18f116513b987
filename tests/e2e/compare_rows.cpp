#include "compare_rows.hpp"

#include "compare.hpp"
#include "store/pq.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <pqxx/pqxx>
#include <sstream>

namespace taosync::e2e::rows {

namespace json = boost::json;

const std::vector<Field> kOrderFields = {
    {"buyer_id", "buyer_id", Kind::text},
    {"buyer_full_name", "buyer_full_name", Kind::text},
    {"seller_id", "seller_id", Kind::text},
    {"seller_full_name", "seller_full_name", Kind::text},
    {"status", "status", Kind::text},
    {"payment_channel", "payment_channel", Kind::text},
    {"actual_fee", "actual_fee", Kind::money},
    {"actual_fee_currency_code", "actual_fee_currency_code", Kind::text},
    {"shipping_fee", "shipping_fee", Kind::money},
    {"shipping_fee_currency_code", "shipping_fee_currency_code", Kind::text},
    {"actual_shipping_fee", "actual_shipping_fee", Kind::money},
    {"actual_shipping_fee_currency_code", "actual_shipping_fee_currency_code", Kind::text},
    {"creation_time", "creation_time", Kind::time_ms},
    {"delivery_info.area", "delivery_area", Kind::text},
    {"delivery_info.country_code", "delivery_country_code", Kind::text},
    {"delivery_info.city", "delivery_city", Kind::text},
    {"delivery_info.detail_address", "delivery_detail_address", Kind::text},
    {"delivery_info.receiver_name", "delivery_receiver_name", Kind::text},
    {"delivery_info.state", "delivery_state", Kind::text},
    {"delivery_info.receiver_phone", "delivery_receiver_phone", Kind::text},
};

const std::vector<Field> kLineFields = {
    {"trade_order_id", "trade_order_id", Kind::text},
    {"product_id", "product_id", Kind::text},
    {"sku_id", "sku_id", Kind::text},
    {"package_id", "package_id", Kind::text},
    {"product_title", "product_title", Kind::text},
    {"product_main_image", "product_main_image", Kind::text},
    {"product_detail_url", "product_detail_url", Kind::text},
    {"buyer_full_name", "buyer_full_name", Kind::text},
    {"status", "status", Kind::text},
    {"quantity", "quantity", Kind::integer},
    {"unit_fee", "unit_fee", Kind::money},
    {"unit_fee_currency_code", "unit_fee_currency_code", Kind::text},
    {"actual_fee", "actual_fee", Kind::money},
    {"actual_fee_currency_code", "actual_fee_currency_code", Kind::text},
    {"shipping_fee", "shipping_fee", Kind::money},
    {"shipping_fee_currency_code", "shipping_fee_currency_code", Kind::text},
    {"actual_shipping_fee", "actual_shipping_fee", Kind::money},
    {"actual_shipping_fee_currency_code", "actual_shipping_fee_currency_code", Kind::text},
    {"creation_time", "creation_time", Kind::time_ms},
    {"sku_info", "sku_info", Kind::text},
};

namespace {

/// The SQL expression selecting a column as comparable text.
std::string select_expr(std::string_view column, Kind kind) {
  std::string col(column);
  switch (kind) {
  case Kind::text:
    return col + "::text";
  case Kind::time_ms:
    return time_ms_expr(col);
  case Kind::money:
  case Kind::integer:
    return col + "::text";
  }
  return col;
}

std::string select_list(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields)
    out += ", " + select_expr(f.column, f.kind);
  return out;
}

Value field_value(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return std::string(f.c_str(), f.size());
}

std::vector<std::string> split_ids(const Value& csv) {
  std::vector<std::string> out;
  if (!csv || csv->empty())
    return out;
  std::size_t start = 0;
  for (;;) {
    auto comma = csv->find(',', start);
    out.push_back(csv->substr(start, comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

std::string time_ms_expr(const std::string& column) {
  return "(extract(epoch from " + column + ") * 1000)::bigint::text";
}

void fetch_orders_and_lines(pqxx::transaction_base& tx, const std::string& shop,
                            const std::vector<std::string>& order_ids, DbChunk& out) {
  const std::string ids = pg_text_array(order_ids);
  const std::string orders_sql = "SELECT trade_order_id, " + time_ms_expr("modification_time") +
                                 ", array_to_string(line_ids, ',')" + select_list(kOrderFields) +
                                 " FROM taosync.orders WHERE shop = $1 AND trade_order_id = "
                                 "ANY($2::text[])";
  for (const auto& row : store::pq::run(tx, orders_sql, shop, ids)) {
    DbOrder order;
    order.modification_ms = row[1].is_null() ? 0 : row[1].as<std::int64_t>();
    order.line_ids = split_ids(field_value(row[2]));
    for (std::size_t i = 0; i < kOrderFields.size(); ++i)
      order.values.push_back(field_value(row[static_cast<int>(i + 3)]));
    out.orders.emplace(row[0].c_str(), std::move(order));
  }
  const std::string lines_sql = "SELECT trade_order_line_id, " + time_ms_expr("modification_time") +
                                select_list(kLineFields) +
                                " FROM taosync.order_lines WHERE shop = $1 AND trade_order_id = "
                                "ANY($2::text[])";
  for (const auto& row : store::pq::run(tx, lines_sql, shop, ids)) {
    DbLine line;
    line.modification_ms = row[1].is_null() ? 0 : row[1].as<std::int64_t>();
    for (std::size_t i = 0; i < kLineFields.size(); ++i)
      line.values.push_back(field_value(row[static_cast<int>(i + 2)]));
    line.trade_order_id = line.values[0].value_or("");
    out.lines.emplace(row[0].c_str(), std::move(line));
  }
}

void fetch_line_children(pqxx::transaction_base& tx, const std::string& shop,
                         const std::vector<std::string>& line_ids, DbChunk& out) {
  const std::string ids = pg_text_array(line_ids);
  static const std::string kShipments =
      "SELECT trade_order_line_id, order_no::bigint, tracking_number::text, logistics_id::text "
      "FROM taosync.line_shipments WHERE shop = $1 AND trade_order_line_id = ANY($2::text[])";
  for (const auto& row : store::pq::run(tx, kShipments, shop, ids)) {
    out.shipments[row[0].c_str()].push_back(
        {row[1].as<std::int64_t>(), field_value(row[2]), field_value(row[3])});
    ++out.shipment_rows;
  }
  static const std::string kSku =
      "SELECT trade_order_line_id, property_id::text, property_name::text, value_id::text, "
      "value_text::text FROM taosync.line_sku_properties WHERE shop = $1 AND "
      "trade_order_line_id = ANY($2::text[])";
  for (const auto& row : store::pq::run(tx, kSku, shop, ids)) {
    out.sku[row[0].c_str()].push_back(
        {field_value(row[1]).value_or(""), field_value(row[2]).value_or(""),
         field_value(row[3]).value_or(""), field_value(row[4]).value_or("")});
    ++out.sku_rows;
  }
  for (auto& [id, rows] : out.sku)
    std::sort(rows.begin(), rows.end());
}

std::string pg_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

const json::value* json_path(const json::object& obj, std::string_view dotted) {
  const json::object* at = &obj;
  for (;;) {
    auto dot = dotted.find('.');
    auto key = dotted.substr(0, dot);
    auto it = at->find(key);
    if (it == at->end())
      return nullptr;
    if (dot == std::string_view::npos)
      return &it->value();
    if (!it->value().is_object())
      return nullptr;
    at = &it->value().as_object();
    dotted.remove_prefix(dot + 1);
  }
}

Value json_text(const json::value* v) {
  if (!v || v->is_null())
    return std::nullopt;
  if (v->is_string())
    return std::string(v->as_string());
  if (v->is_int64())
    return std::to_string(v->as_int64());
  if (v->is_uint64())
    return std::to_string(v->as_uint64());
  return json::serialize(*v);
}

bool same_value(Kind kind, const Value& a, const Value& b) {
  const std::string& x = a ? *a : std::string();
  const std::string& y = b ? *b : std::string();
  if (kind == Kind::money)
    return normalize_decimal(x) == normalize_decimal(y);
  return x == y;
}

std::optional<std::vector<SkuRow>> parse_sku_info(const Value& sku_info) {
  std::vector<SkuRow> out;
  if (!sku_info || sku_info->empty())
    return out;
  boost::system::error_code ec;
  json::value v = json::parse(*sku_info, ec);
  if (ec || !v.is_array())
    return std::nullopt;
  for (const auto& item : v.as_array()) {
    if (!item.is_object())
      return std::nullopt;
    const auto& o = item.as_object();
    out.push_back({json_text(json_path(o, "propertyId")).value_or(""),
                   json_text(json_path(o, "propertyName")).value_or(""),
                   json_text(json_path(o, "valueId")).value_or(""),
                   json_text(json_path(o, "valueText")).value_or("")});
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace taosync::e2e::rows

namespace taosync::e2e {

std::string normalize_decimal(const std::string& text) {
  std::string s = text;
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  std::string sign;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-')
      sign = "-";
    s.erase(0, 1);
  }
  if (s.empty() || s.find_first_not_of("0123456789.") != std::string::npos ||
      std::count(s.begin(), s.end(), '.') > 1)
    return text; // not a plain decimal: compare as spelled
  if (auto dot = s.find('.'); dot != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.')
      s.pop_back();
  }
  auto first = s.find_first_not_of('0');
  if (first == std::string::npos || s[first] == '.')
    s = "0" + s.substr(first == std::string::npos ? s.size() : first);
  else
    s = s.substr(first);
  if (s == "0")
    sign.clear();
  return sign + s;
}

std::string CompareReport::summary() const {
  std::ostringstream out;
  out << "compare: truth orders=" << truth_orders << " lines=" << truth_lines
      << " shipments=" << truth_shipments << " sku_properties=" << truth_sku
      << " broken=" << truth_bad << " | db orders=" << db_orders << " lines=" << db_lines
      << " shipments=" << db_shipments << " sku_properties=" << db_sku
      << " rejected=" << db_rejected << " | missing=" << missing << " extra=" << extra
      << " duplicate=" << duplicate << " stale=" << stale << " mismatched=" << mismatched
      << " broken_stored=" << bad_stored << " broken_unrejected=" << bad_unrejected
      << " rejected_without_reason=" << rejected_without_reason
      << " | differences=" << differences() << "\n";
  for (const auto& d : details)
    out << "  " << d << "\n";
  return out.str();
}

} // namespace taosync::e2e
