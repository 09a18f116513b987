#include "order_diff.hpp"

#include <map>

namespace taosync::daemon {

namespace {

class Differ {
public:
  explicit Differ(std::vector<std::string>& out) : out_(out) {}

  void field(const std::string& name, const std::string& db, const std::string& api) {
    if (db != api)
      out_.push_back(name + ": db='" + db + "' api='" + api + "'");
  }
  void field(const std::string& name, std::int64_t db, std::int64_t api) {
    field(name, std::to_string(db), std::to_string(api));
  }
  void time(const std::string& name, model::TimePoint db, model::TimePoint api) {
    field(name, db.time_since_epoch().count(), api.time_since_epoch().count());
  }
  void money(const std::string& name, const model::Money& db, const model::Money& api) {
    field(name, canonical_decimal(db.amount), canonical_decimal(api.amount));
    field(name + "_currency_code", db.currency_code, api.currency_code);
  }

private:
  std::vector<std::string>& out_;
};

void diff_order_fields(Differ& d, const model::Order& a, const model::Order& b) {
  d.field("status", a.status, b.status);
  d.field("buyer_id", a.buyer_id, b.buyer_id);
  d.field("buyer_full_name", a.buyer_full_name, b.buyer_full_name);
  d.field("seller_id", a.seller_id, b.seller_id);
  d.field("payment_channel", a.payment_channel, b.payment_channel);
  d.money("actual_fee", a.actual_fee, b.actual_fee);
  d.money("shipping_fee", a.shipping_fee, b.shipping_fee);
  d.money("actual_shipping_fee", a.actual_shipping_fee, b.actual_shipping_fee);
  d.time("creation_time", a.creation_time, b.creation_time);
  d.time("modification_time", a.modification_time, b.modification_time);
  d.field("delivery_area", a.delivery.area, b.delivery.area);
  d.field("delivery_country_code", a.delivery.country_code, b.delivery.country_code);
  d.field("delivery_city", a.delivery.city, b.delivery.city);
  d.field("delivery_detail_address", a.delivery.detail_address, b.delivery.detail_address);
  d.field("delivery_receiver_name", a.delivery.receiver_name, b.delivery.receiver_name);
  d.field("delivery_state", a.delivery.state, b.delivery.state);
  d.field("delivery_receiver_phone", a.delivery.receiver_phone, b.delivery.receiver_phone);
}

void diff_line(Differ& d, const std::string& p, const model::OrderLine& a,
               const model::OrderLine& b) {
  d.field(p + "status", a.status, b.status);
  d.field(p + "product_id", a.product_id, b.product_id);
  d.field(p + "sku_id", a.sku_id, b.sku_id);
  d.field(p + "package_id", a.package_id, b.package_id);
  d.field(p + "product_title", a.product_title, b.product_title);
  d.field(p + "quantity", a.quantity, b.quantity);
  d.money(p + "unit_fee", a.unit_fee, b.unit_fee);
  d.money(p + "actual_fee", a.actual_fee, b.actual_fee);
  d.money(p + "shipping_fee", a.shipping_fee, b.shipping_fee);
  d.money(p + "actual_shipping_fee", a.actual_shipping_fee, b.actual_shipping_fee);
  d.time(p + "modification_time", a.modification_time, b.modification_time);
  std::map<std::int64_t, const model::Shipment*> db_ships, api_ships;
  for (const auto& s : a.shipments)
    db_ships[s.order_no] = &s;
  for (const auto& s : b.shipments)
    api_ships[s.order_no] = &s;
  for (const auto& [no, s] : api_ships) {
    const std::string sp = p + "shipment " + std::to_string(no) + ".";
    const auto it = db_ships.find(no);
    if (it == db_ships.end()) {
      d.field(sp + "present", "no", "yes");
      continue;
    }
    d.field(sp + "tracking_number", it->second->tracking_number.value_or(""),
            s->tracking_number.value_or(""));
    d.field(sp + "logistics_id", it->second->logistics_id.value_or(""),
            s->logistics_id.value_or(""));
  }
  for (const auto& [no, s] : db_ships) {
    if (!api_ships.contains(no))
      d.field(p + "shipment " + std::to_string(no) + ".present", "yes", "no");
  }
  std::map<std::int64_t, std::string> db_sku, api_sku;
  for (const auto& s : a.sku_properties)
    db_sku[s.property_id] = s.property_name + "=" + s.value_text;
  for (const auto& s : b.sku_properties)
    api_sku[s.property_id] = s.property_name + "=" + s.value_text;
  if (db_sku != api_sku) {
    std::string x, y;
    for (const auto& [id, v] : db_sku)
      x += (x.empty() ? "" : ",") + v;
    for (const auto& [id, v] : api_sku)
      y += (y.empty() ? "" : ",") + v;
    d.field(p + "sku_properties", x, y);
  }
}

} // namespace

std::string canonical_decimal(const std::string& amount) {
  std::string s = amount;
  std::string sign;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-')
      sign = "-";
    s.erase(0, 1);
  }
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (!s.empty() && s.back() == '.')
      s.pop_back();
  }
  const auto first = s.find_first_not_of('0');
  s = first == std::string::npos ? "0" : s.substr(first);
  if (s.empty() || s[0] == '.')
    s = "0" + s;
  return s == "0" ? s : sign + s;
}

OrderDiff diff_orders(const model::OrderDetail& stored, const model::OrderDetail& fresh) {
  OrderDiff out;
  if (fresh.order.modification_time > stored.order.modification_time) {
    out.changed_upstream = true;
    return out;
  }
  Differ d(out.differences);
  diff_order_fields(d, stored.order, fresh.order);
  std::map<std::string, const model::OrderLine*> db_lines, api_lines;
  for (const auto& l : stored.lines)
    db_lines[l.trade_order_line_id] = &l;
  for (const auto& l : fresh.lines)
    api_lines[l.trade_order_line_id] = &l;
  for (const auto& [id, line] : api_lines) {
    const auto it = db_lines.find(id);
    if (it == db_lines.end()) {
      d.field("line " + id + ".present", "no", "yes");
    } else {
      diff_line(d, "line " + id + ".", *it->second, *line);
    }
  }
  for (const auto& [id, line] : db_lines) {
    if (!api_lines.contains(id))
      d.field("line " + id + ".present", "yes", "no");
  }
  return out;
}

} // namespace taosync::daemon
