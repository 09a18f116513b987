#pragma once
// The COPY rows of a batch, written once for both places they go: the staging tables of a
// compared write (times as epoch milliseconds, no shop column) and the real tables of a fresh
// one (timestamptz text, with the shop). A row is a head (the raw JSON, and the shop), the
// fields below, and a tail (the times, an order's line ids); COPY names its columns, so the
// order is the same for both.

#include "model/records.hpp"
#include "store/batch_check.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <initializer_list>
#include <string>
#include <tuple>
#include <vector>

namespace taosync::store::copy {

/// NULL for an absent value (an empty amount or raw record), else the text.
inline const char* or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

/// An amount (NULL when absent) and its currency code: two columns.
inline auto money_fields(const model::Money& m) {
  return std::make_tuple(or_null(m.amount), m.currency_code.c_str());
}

/// `head`, then `middle`, then `tail`: one COPY column list.
inline std::vector<std::string> columns(std::initializer_list<const char*> head,
                                        const std::vector<std::string>& middle,
                                        std::initializer_list<const char*> tail) {
  std::vector<std::string> out(head.begin(), head.end());
  out.insert(out.end(), middle.begin(), middle.end());
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

/// An order's columns between its head and its times.
inline const std::vector<std::string>& order_columns() {
  static const std::vector<std::string> kColumns{"trade_order_id",
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
                                                 "delivery_area",
                                                 "delivery_country_code",
                                                 "delivery_city",
                                                 "delivery_detail_address",
                                                 "delivery_receiver_name",
                                                 "delivery_state",
                                                 "delivery_receiver_phone"};
  return kColumns;
}

/// The values of order_columns() for `o`.
inline auto order_fields(const model::Order& o) {
  const auto& d = o.delivery;
  return std::tuple_cat(
      std::make_tuple(o.trade_order_id.c_str(), o.buyer_id.c_str(), o.buyer_full_name.c_str(),
                      o.seller_id.c_str(), o.seller_full_name.c_str(), o.status.c_str(),
                      o.payment_channel.c_str()),
      money_fields(o.actual_fee), money_fields(o.shipping_fee), money_fields(o.actual_shipping_fee),
      std::make_tuple(d.area.c_str(), d.country_code.c_str(), d.city.c_str(),
                      d.detail_address.c_str(), d.receiver_name.c_str(), d.state.c_str(),
                      d.receiver_phone.c_str()));
}

/// A line's columns between its head and its times.
inline const std::vector<std::string>& line_columns() {
  static const std::vector<std::string> kColumns{"sku_info",
                                                 "product_title",
                                                 "product_main_image",
                                                 "product_detail_url",
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
                                                 "actual_shipping_fee_currency_code"};
  return kColumns;
}

/// The values of line_columns() for `l`.
inline auto line_fields(const model::OrderLine& l) {
  return std::tuple_cat(std::make_tuple(l.sku_info.c_str(), l.product_title.c_str(),
                                        l.product_main_image.c_str(), l.product_detail_url.c_str(),
                                        l.trade_order_line_id.c_str(), l.trade_order_id.c_str(),
                                        l.product_id.c_str(), l.sku_id.c_str(),
                                        l.package_id.c_str(), l.buyer_full_name.c_str(),
                                        l.status.c_str(), l.quantity),
                        money_fields(l.unit_fee), money_fields(l.actual_fee),
                        money_fields(l.shipping_fee), money_fields(l.actual_shipping_fee));
}

/// COPYs the shipments and sku properties of `b`'s lines into `shipments_table` and
/// `props_table`, each row led by `head` (named `head_columns`).
template <class Head>
void line_children(pqxx::work& tx, const CheckedBatch& b, const char* shipments_table,
                   const char* props_table, std::initializer_list<const char*> head_columns,
                   const Head& head) {
  pqxx::stream_to shipments(
      tx, shipments_table,
      columns(head_columns, {"trade_order_line_id", "order_no", "tracking_number", "logistics_id"},
              {}));
  for (const model::OrderLine* l : b.lines)
    for (const auto& s : l->shipments)
      shipments << std::tuple_cat(
          head, std::make_tuple(l->trade_order_line_id.c_str(), s.order_no,
                                s.tracking_number ? s.tracking_number->c_str() : nullptr,
                                s.logistics_id ? s.logistics_id->c_str() : nullptr));
  shipments.complete();
  pqxx::stream_to props(tx, props_table,
                        columns(head_columns,
                                {"trade_order_line_id", "position", "property_id", "property_name",
                                 "value_id", "value_text"},
                                {}));
  for (const model::OrderLine* l : b.lines) {
    int position = 0;
    for (const auto& p : l->sku_properties)
      props << std::tuple_cat(head, std::make_tuple(l->trade_order_line_id.c_str(), position++,
                                                    p.property_id, p.property_name.c_str(),
                                                    p.value_id, p.value_text.c_str()));
  }
  props.complete();
}

} // namespace taosync::store::copy
