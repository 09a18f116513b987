#include "lazada_render.hpp"

#include "json_out.hpp"
#include "status.hpp"

#include <chrono>
#include <cstdio>

namespace taosync::sim {

namespace {

std::string price(std::int64_t whole) {
  return std::to_string(whole) + ".00";
}

// The price of an order: its lines' item prices (Lazada's excludes the shipping fee).
std::int64_t order_price(const OrderFields& fields) {
  std::int64_t sum = 0;
  for (const auto& l : fields.lines)
    sum += l.unit_fee;
  return sum;
}

// The tracking code of a line's unit, when its status shows one, and its provider.
std::pair<std::string, std::string> tracking_of(const OrderRec& rec, const LineFields& line) {
  const auto shipments = static_cast<int>(line.shipments.size());
  if (shipments == 0 || tracked_shipments(status_name(rec.status), shipments) == 0)
    return {};
  const auto& last = line.shipments.back();
  return {last.tracking_number, last.logistics_id};
}

} // namespace

std::string lazada_time(std::int64_t ms) {
  using namespace std::chrono;
  const sys_seconds utc{seconds(ms / 1000 - (ms % 1000 < 0 ? 1 : 0))};
  const auto local = utc + hours(8);
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02lld:%02lld:%02lld +0800",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return text;
}

void render_lazada_order(std::string& out, const OrderRec& rec, const OrderFields& fields) {
  out += '{';
  json::num(out, "order_id", static_cast<std::int64_t>(rec.id), true);
  json::num(out, "order_number", static_cast<std::int64_t>(rec.id));
  json::str(out, "created_at", lazada_time(rec.creation_ms));
  json::str(out, "updated_at", lazada_time(rec.mtime_ms));
  json::str(out, "price", price(order_price(fields)));
  json::str(out, "shipping_fee", price(fields.shipping_fee));
  json::str(out, "shipping_fee_original", price(fields.shipping_fee));
  json::str(out, "payment_method", fields.payment_channel);
  json::str(out, "customer_first_name", fields.buyer_full_name);
  json::str(out, "customer_last_name", "");
  json::num(out, "items_count", static_cast<std::int64_t>(fields.lines.size()));
  out += ",\"statuses\":[\"";
  out += status_name(rec.status);
  out += "\"],\"address_shipping\":{";
  json::str(out, "first_name", fields.receiver_name, true);
  json::str(out, "last_name", "");
  json::str(out, "phone", fields.receiver_phone);
  json::str(out, "address1", fields.detail_address);
  json::str(out, "city", fields.city);
  json::str(out, "post_code", fields.area);
  json::str(out, "country", fields.country_code);
  out += "}}";
}

void render_lazada_item(std::string& out, const OrderRec& rec, const OrderFields& fields, int k) {
  const auto& line = fields.lines[static_cast<std::size_t>(k)];
  const auto [tracking, provider] = tracking_of(rec, line);
  out += '{';
  json::num(out, "order_item_id", static_cast<std::int64_t>(line.line_id), true);
  json::num(out, "order_id", static_cast<std::int64_t>(rec.id));
  json::str(out, "status", status_name(rec.status));
  json::str(out, "name", line.product_title);
  json::str(out, "sku", "SKU-" + line.sku_id);
  json::str(out, "sku_id", line.sku_id);
  json::str(out, "product_id", line.product_id);
  json::str(out, "package_id", line.package_id);
  json::str(out, "product_main_image", line.product_main_image);
  json::str(out, "product_detail_url", line.product_detail_url);
  json::str(out, "item_price", price(line.unit_fee));
  json::str(out, "paid_price", price(line.unit_fee + line.shipping_fee));
  json::str(out, "shipping_amount", price(line.shipping_fee));
  json::str(out, "currency", kLazadaCurrency);
  json::str(out, "tracking_code", tracking);
  json::str(out, "shipment_provider", provider);
  json::str(out, "created_at", lazada_time(rec.creation_ms));
  json::str(out, "updated_at", lazada_time(rec.mtime_ms));
  out += '}';
}

void render_lazada_truth(std::string& out, const OrderRec& rec, const OrderFields& fields) {
  const auto money = [&](std::string_view key, std::int64_t whole) {
    json::str(out, key, std::to_string(whole));
    json::str(out, std::string(key) + "_currency_code", kLazadaCurrency);
  };
  out += '{';
  json::str(out, "trade_order_id", std::to_string(rec.id), true);
  json::str(out, "buyer_id", "");
  json::str(out, "buyer_full_name", fields.buyer_full_name);
  json::str(out, "seller_id", "");
  json::str(out, "seller_full_name", "");
  json::str(out, "status", status_name(rec.status));
  json::str(out, "payment_channel", fields.payment_channel);
  money("actual_fee", order_price(fields));
  money("shipping_fee", fields.shipping_fee);
  money("actual_shipping_fee", fields.shipping_fee);
  json::num(out, "creation_time", rec.creation_ms);
  json::num(out, "modification_time", rec.mtime_ms);
  out += ",\"delivery_info\":{";
  json::str(out, "area", fields.area, true);
  json::str(out, "country_code", fields.country_code);
  json::str(out, "city", fields.city);
  json::str(out, "detail_address", fields.detail_address);
  json::str(out, "receiver_name", fields.receiver_name);
  json::str(out, "state", "");
  json::str(out, "receiver_phone", fields.receiver_phone);
  out += "},\"trade_order_line_list\":[";
  for (std::size_t k = 0; k < fields.lines.size(); ++k) {
    const auto& line = fields.lines[k];
    const auto [tracking, provider] = tracking_of(rec, line);
    out += k == 0 ? "{" : ",{";
    json::str(out, "trade_order_line_id", std::to_string(line.line_id), true);
    json::str(out, "trade_order_id", std::to_string(rec.id));
    json::str(out, "product_id", line.product_id);
    json::str(out, "sku_id", line.sku_id);
    json::str(out, "package_id", line.package_id);
    json::str(out, "product_title", line.product_title);
    json::str(out, "product_main_image", line.product_main_image);
    json::str(out, "product_detail_url", line.product_detail_url);
    json::str(out, "buyer_full_name", "");
    json::str(out, "status", status_name(rec.status));
    json::num(out, "quantity", 1);
    money("unit_fee", line.unit_fee);
    money("actual_fee", line.unit_fee + line.shipping_fee);
    money("shipping_fee", line.shipping_fee);
    money("actual_shipping_fee", line.shipping_fee);
    json::num(out, "creation_time", rec.creation_ms);
    json::num(out, "modification_time", rec.mtime_ms);
    json::str(out, "sku_info", "");
    out += ",\"shipment_list\":[";
    if (!tracking.empty()) {
      out += '{';
      json::num(out, "order_no", 1, true);
      json::str(out, "tracking_number", tracking);
      json::str(out, "logistics_id", provider);
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
}

} // namespace taosync::sim
