#include "store/fresh_write.hpp"

#include "store/fresh_sql.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

namespace taosync::store {
namespace {

constexpr const char* kAnyStoredName = "taosync_any_stored";

/// NULL for an absent value (an empty amount or raw record), else the text.
const char* absent_as_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

/// Whether timestamptz_text can write `t`.
bool writable(model::TimePoint t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return ymd.year() >= std::chrono::year(1) && ymd.year() <= std::chrono::year(9999);
}

void copy_order_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  // big columns first, as in staging: cheapest for libpqxx 6.4's row formatting
  static const std::vector<std::string> kColumns{"raw",
                                                 "shop",
                                                 "trade_order_id",
                                                 "buyer_id",
                                                 "buyer_full_name",
                                                 "seller_id",
                                                 "seller_full_name",
                                                 "status",
                                                 "payment_channel",
                                                 "actual_fee",
                                                 "actual_fee_currency_code",
                                                 "shipping_fee",
                                                 "shipping_fee_currency_code",
                                                 "actual_shipping_fee",
                                                 "actual_shipping_fee_currency_code",
                                                 "creation_time",
                                                 "modification_time",
                                                 "delivery_area",
                                                 "delivery_country_code",
                                                 "delivery_city",
                                                 "delivery_detail_address",
                                                 "delivery_receiver_name",
                                                 "delivery_state",
                                                 "delivery_receiver_phone",
                                                 "line_ids"};
  pqxx::stream_to stream(tx, "taosync.orders", kColumns);
  for (const model::Order* o : b.orders) {
    const auto& d = o->delivery;
    stream << std::make_tuple(
        absent_as_null(o->raw_json), shop.c_str(), o->trade_order_id.c_str(), o->buyer_id.c_str(),
        o->buyer_full_name.c_str(), o->seller_id.c_str(), o->seller_full_name.c_str(),
        o->status.c_str(), o->payment_channel.c_str(), absent_as_null(o->actual_fee.amount),
        o->actual_fee.currency_code.c_str(), absent_as_null(o->shipping_fee.amount),
        o->shipping_fee.currency_code.c_str(), absent_as_null(o->actual_shipping_fee.amount),
        o->actual_shipping_fee.currency_code.c_str(), timestamptz_text(o->creation_time),
        timestamptz_text(o->modification_time), d.area.c_str(), d.country_code.c_str(),
        d.city.c_str(), d.detail_address.c_str(), d.receiver_name.c_str(), d.state.c_str(),
        d.receiver_phone.c_str(), array_literal(o->line_ids));
  }
  stream.complete();
}

void copy_line_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  static const std::vector<std::string> kColumns{"raw",
                                                 "sku_info",
                                                 "product_title",
                                                 "product_main_image",
                                                 "product_detail_url",
                                                 "shop",
                                                 "trade_order_line_id",
                                                 "trade_order_id",
                                                 "product_id",
                                                 "sku_id",
                                                 "package_id",
                                                 "buyer_full_name",
                                                 "status",
                                                 "quantity",
                                                 "unit_fee",
                                                 "unit_fee_currency_code",
                                                 "actual_fee",
                                                 "actual_fee_currency_code",
                                                 "shipping_fee",
                                                 "shipping_fee_currency_code",
                                                 "actual_shipping_fee",
                                                 "actual_shipping_fee_currency_code",
                                                 "creation_time",
                                                 "modification_time"};
  pqxx::stream_to stream(tx, "taosync.order_lines", kColumns);
  for (const model::OrderLine* l : b.lines)
    stream << std::make_tuple(
        absent_as_null(l->raw_json), l->sku_info.c_str(), l->product_title.c_str(),
        l->product_main_image.c_str(), l->product_detail_url.c_str(), shop.c_str(),
        l->trade_order_line_id.c_str(), l->trade_order_id.c_str(), l->product_id.c_str(),
        l->sku_id.c_str(), l->package_id.c_str(), l->buyer_full_name.c_str(), l->status.c_str(),
        l->quantity, absent_as_null(l->unit_fee.amount), l->unit_fee.currency_code.c_str(),
        absent_as_null(l->actual_fee.amount), l->actual_fee.currency_code.c_str(),
        absent_as_null(l->shipping_fee.amount), l->shipping_fee.currency_code.c_str(),
        absent_as_null(l->actual_shipping_fee.amount), l->actual_shipping_fee.currency_code.c_str(),
        timestamptz_text(l->creation_time), timestamptz_text(l->modification_time));
  stream.complete();
}

void copy_child_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  pqxx::stream_to shipments(tx, "taosync.line_shipments",
                            std::vector<std::string>{"shop", "trade_order_line_id", "order_no",
                                                     "tracking_number", "logistics_id"});
  for (const model::OrderLine* l : b.lines)
    for (const auto& s : l->shipments)
      shipments << std::make_tuple(shop.c_str(), l->trade_order_line_id.c_str(), s.order_no,
                                   s.tracking_number ? s.tracking_number->c_str() : nullptr,
                                   s.logistics_id ? s.logistics_id->c_str() : nullptr);
  shipments.complete();
  pqxx::stream_to props(tx, "taosync.line_sku_properties",
                        std::vector<std::string>{"shop", "trade_order_line_id", "position",
                                                 "property_id", "property_name", "value_id",
                                                 "value_text"});
  for (const model::OrderLine* l : b.lines) {
    int position = 0;
    for (const auto& p : l->sku_properties)
      props << std::make_tuple(shop.c_str(), l->trade_order_line_id.c_str(), position++,
                               p.property_id, p.property_name.c_str(), p.value_id,
                               p.value_text.c_str());
  }
  props.complete();
}

/// The status history of new orders and lines: changes from NULL (old_status stays NULL).
void copy_history(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  pqxx::stream_to orders(
      tx, "taosync.order_status_history",
      std::vector<std::string>{"shop", "trade_order_id", "new_status", "modification_time"});
  for (const model::Order* o : b.orders)
    orders << std::make_tuple(shop.c_str(), o->trade_order_id.c_str(), o->status.c_str(),
                              timestamptz_text(o->modification_time));
  orders.complete();
  pqxx::stream_to lines(tx, "taosync.order_line_status_history",
                        std::vector<std::string>{"shop", "trade_order_id", "trade_order_line_id",
                                                 "new_status", "modification_time"});
  for (const model::OrderLine* l : b.lines)
    lines << std::make_tuple(shop.c_str(), l->trade_order_id.c_str(),
                             l->trade_order_line_id.c_str(), l->status.c_str(),
                             timestamptz_text(l->modification_time));
  lines.complete();
}

/// What publish_new_changes reads of the orders and lines: ids, status, time, line ids.
void stage_new(pqxx::work& tx, const CheckedBatch& b) {
  pqxx::stream_to orders(
      tx, "stage_orders",
      std::vector<std::string>{"trade_order_id", "status", "modification_ms", "line_ids"});
  for (const model::Order* o : b.orders)
    orders << std::make_tuple(o->trade_order_id.c_str(), o->status.c_str(),
                              o->modification_time.time_since_epoch().count(),
                              array_literal(o->line_ids));
  orders.complete();
  pqxx::stream_to lines(tx, "stage_lines",
                        std::vector<std::string>{"trade_order_line_id", "trade_order_id", "status",
                                                 "modification_ms"});
  for (const model::OrderLine* l : b.lines)
    lines << std::make_tuple(l->trade_order_line_id.c_str(), l->trade_order_id.c_str(),
                             l->status.c_str(), l->modification_time.time_since_epoch().count());
  lines.complete();
}

} // namespace

void prepare_fresh_write(pqxx::connection_base& conn) {
  conn.prepare(kAnyStoredName, std::string(sql::kAnyStored));
}

bool fresh_candidate(const CheckedBatch& b) {
  if (b.orders.empty())
    return false;
  std::unordered_set<std::string_view> ids;
  for (const model::Order* o : b.orders) {
    if (!writable(o->creation_time) || !writable(o->modification_time))
      return false;
    ids.insert(o->trade_order_id);
  }
  for (const auto& id : b.lines_for)
    if (!ids.contains(id))
      return false; // a line set of an order the batch does not list: it may be stored
  for (const model::OrderLine* l : b.lines)
    if (!writable(l->creation_time) || !writable(l->modification_time))
      return false;
  return true;
}

bool none_stored(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  std::vector<std::string> orders;
  orders.reserve(b.orders.size());
  for (const model::Order* o : b.orders)
    orders.push_back(o->trade_order_id);
  return !tx.exec_prepared1(kAnyStoredName, shop, array_literal(orders))[0].as<bool>();
}

void copy_fresh(pqxx::work& tx, const std::string& shop, const CheckedBatch& b,
                WriteResult& result) {
  copy_order_rows(tx, shop, b);
  copy_line_rows(tx, shop, b);
  copy_child_rows(tx, shop, b);
  copy_history(tx, shop, b);
  stage_new(tx, b);
  result.inserted = b.orders.size();
  result.lines = b.lines.size();
  result.status_changes = b.orders.size(); // from NULL, as the compared write counts them
  result.line_status_changes = b.lines.size();
}

std::string timestamptz_text(model::TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> time{t - day};
  char text[64]; // room for any value the format can take, so none is cut
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02lld:%02lld:%02lld.%03lld+00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(time.hours().count()),
                static_cast<long long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()));
  return text;
}

} // namespace taosync::store
