#include "store/copy_rows.hpp"

#include "store/text_repair.hpp"

namespace taosync::store::copy {
namespace {

/// The columns of a row into `into` after the shop: `middle`, then the times under their name
/// in `into`, then `tail`.
std::vector<std::string> columns(Into into, std::vector<std::string> middle, bool times,
                                 std::vector<std::string> tail = {}) {
  std::vector<std::string> out = std::move(middle);
  if (times) {
    if (into == Into::tables) {
      out.emplace_back("creation_time");
      out.emplace_back("modification_time");
    } else {
      out.emplace_back("creation_ms");
      out.emplace_back("modification_ms");
    }
  }
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

/// A row's columns (with its times) in each destination.
struct ColumnsByInto {
  std::vector<std::string> tables;
  std::vector<std::string> staging;
  const std::vector<std::string>& of(Into into) const {
    return into == Into::tables ? tables : staging;
  }
};

ColumnsByInto by_into(const std::vector<std::string>& middle,
                      const std::vector<std::string>& tail = {}) {
  return {columns(Into::tables, middle, true, tail), columns(Into::staging, middle, true, tail)};
}

const std::vector<std::string>& order_columns(Into into) {
  static const auto kColumns = by_into({"raw",
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
                                        "delivery_area",
                                        "delivery_country_code",
                                        "delivery_city",
                                        "delivery_detail_address",
                                        "delivery_receiver_name",
                                        "delivery_state",
                                        "delivery_receiver_phone"},
                                       {"line_ids"});
  return kColumns.of(into);
}

const std::vector<std::string>& line_columns(Into into) {
  static const auto kColumns = by_into({"raw",
                                        "sku_info",
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
                                        "actual_shipping_fee_currency_code"});
  return kColumns.of(into);
}

std::vector<std::string> with_shop(const std::vector<std::string>& columns) {
  std::vector<std::string> out{"shop"};
  out.insert(out.end(), columns.begin(), columns.end());
  return out;
}

} // namespace

Rows::Rows(pqxx::dbtransaction& tx, std::string_view table, const std::vector<std::string>& columns,
           Into into, const std::string& shop)
    : copy_(tx, table, into == Into::tables ? with_shop(columns) : columns), into_(into),
      shop_(shop) {}

void Rows::begin() {
  copy_.begin_row();
  if (into_ == Into::tables)
    copy_.text(shop_);
}

void Rows::text(const std::optional<std::string>& s) {
  if (s)
    copy_.text(*s);
  else
    copy_.null();
}

void Rows::raw(const std::string& json) {
  if (json.empty())
    copy_.null();
  else if (into_ == Into::tables)
    copy_.jsonb(json);
  else
    copy_.text(json);
}

void Rows::money(const model::Money& m) {
  if (m.amount.empty())
    copy_.null();
  else if (into_ == Into::tables)
    copy_.numeric(m.amount);
  else
    copy_.text(m.amount);
  copy_.text(m.currency_code);
}

void Rows::time(model::TimePoint t) {
  if (into_ == Into::tables)
    copy_.timestamptz(t);
  else
    copy_.int8(t.time_since_epoch().count());
}

void Rows::ids(const std::vector<std::string>& ids) {
  if (into_ == Into::tables)
    copy_.text_array(ids);
  else
    copy_.text(array_literal(ids));
}

void copy_orders(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* table, Into into,
                 const std::string& shop) {
  Rows rows(tx, table, order_columns(into), into, shop);
  for (const model::Order* o : b.orders) {
    const auto& d = o->delivery;
    rows.begin();
    rows.raw(o->raw_json);
    for (const std::string* s :
         {&o->trade_order_id, &o->buyer_id, &o->buyer_full_name, &o->seller_id,
          &o->seller_full_name, &o->status, &o->payment_channel})
      rows.text(*s);
    rows.money(o->actual_fee);
    rows.money(o->shipping_fee);
    rows.money(o->actual_shipping_fee);
    for (const std::string* s : {&d.area, &d.country_code, &d.city, &d.detail_address,
                                 &d.receiver_name, &d.state, &d.receiver_phone})
      rows.text(*s);
    rows.time(o->creation_time);
    rows.time(o->modification_time);
    rows.ids(o->line_ids);
  }
  rows.complete();
}

void copy_lines(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* table, Into into,
                const std::string& shop) {
  Rows rows(tx, table, line_columns(into), into, shop);
  for (const model::OrderLine* l : b.lines) {
    rows.begin();
    rows.raw(l->raw_json);
    for (const std::string* s :
         {&l->sku_info, &l->product_title, &l->product_main_image, &l->product_detail_url,
          &l->trade_order_line_id, &l->trade_order_id, &l->product_id, &l->sku_id, &l->package_id,
          &l->buyer_full_name, &l->status})
      rows.text(*s);
    rows.int8(l->quantity);
    rows.money(l->unit_fee);
    rows.money(l->actual_fee);
    rows.money(l->shipping_fee);
    rows.money(l->actual_shipping_fee);
    rows.time(l->creation_time);
    rows.time(l->modification_time);
  }
  rows.complete();
}

void copy_line_children(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* shipments_table,
                        const char* props_table, Into into, const std::string& shop) {
  Rows shipments(
      tx, shipments_table,
      columns(into, {"trade_order_line_id", "order_no", "tracking_number", "logistics_id"}, false),
      into, shop);
  for (const model::OrderLine* l : b.lines)
    for (const auto& s : l->shipments) {
      shipments.begin();
      shipments.text(l->trade_order_line_id);
      shipments.int8(s.order_no);
      shipments.text(s.tracking_number);
      shipments.text(s.logistics_id);
    }
  shipments.complete();
  Rows props(tx, props_table,
             columns(into,
                     {"trade_order_line_id", "position", "property_id", "property_name", "value_id",
                      "value_text"},
                     false),
             into, shop);
  for (const model::OrderLine* l : b.lines) {
    std::int32_t position = 0;
    for (const auto& p : l->sku_properties) {
      props.begin();
      props.text(l->trade_order_line_id);
      props.int4(position++);
      props.int8(p.property_id);
      props.text(p.property_name);
      props.int8(p.value_id);
      props.text(p.value_text);
    }
  }
  props.complete();
}

} // namespace taosync::store::copy
