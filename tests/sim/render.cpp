#include "render.hpp"

#include "json_out.hpp"
#include "prng.hpp"

#include <array>

namespace taosync::sim {

namespace {

constexpr std::size_t kHugeTitleBytes = 1 << 20;

// clang-format off
enum class F {
  creation_time, trade_order_id, buyer_id, seller_full_name, seller_id, actual_fee,
  buyer_full_name, shipping_fee_cc, shipping_fee, actual_shipping_fee, payment_channel,
  actual_shipping_fee_cc, delivery_info, modification_time, actual_fee_cc, line_id_list, status,
  line_list, product_main_image, product_detail_url, trade_order_line_id, package_id, product_id,
  unit_fee, unit_fee_cc, shipment_list, quantity, sku_info, sku_id, product_title,
};
// clang-format on

// Key orders exactly as in the seed's four examples.
// clang-format off
constexpr std::array kSummaryKeys = {
    F::creation_time, F::trade_order_id, F::buyer_id, F::seller_full_name, F::seller_id,
    F::actual_fee, F::buyer_full_name, F::shipping_fee_cc, F::shipping_fee,
    F::actual_shipping_fee, F::payment_channel, F::actual_shipping_fee_cc, F::delivery_info,
    F::modification_time, F::actual_fee_cc, F::line_id_list, F::status};
constexpr std::array kModuleKeys = {
    F::creation_time, F::trade_order_id, F::buyer_id, F::seller_full_name, F::seller_id,
    F::actual_fee, F::buyer_full_name, F::shipping_fee_cc, F::shipping_fee,
    F::actual_shipping_fee, F::payment_channel, F::actual_shipping_fee_cc, F::delivery_info,
    F::line_list, F::actual_fee_cc, F::modification_time, F::status};
constexpr std::array kItemKeys = {
    F::creation_time, F::product_main_image, F::product_detail_url, F::trade_order_id,
    F::trade_order_line_id, F::package_id, F::product_id, F::unit_fee, F::unit_fee_cc,
    F::shipment_list, F::quantity, F::actual_fee, F::sku_info, F::sku_id, F::buyer_full_name,
    F::product_title, F::shipping_fee_cc, F::shipping_fee, F::actual_shipping_fee,
    F::actual_shipping_fee_cc, F::modification_time, F::actual_fee_cc, F::status};
constexpr std::array kModuleLineKeys = {
    F::product_main_image, F::creation_time, F::product_detail_url, F::trade_order_id,
    F::trade_order_line_id, F::package_id, F::product_id, F::unit_fee, F::unit_fee_cc,
    F::shipment_list, F::quantity, F::sku_info, F::actual_fee, F::sku_id, F::product_title,
    F::buyer_full_name, F::shipping_fee_cc, F::shipping_fee, F::actual_shipping_fee,
    F::actual_shipping_fee_cc, F::modification_time, F::actual_fee_cc, F::status};
// clang-format on

/// One record being written: the order, maybe one of its lines, and what to break (when
/// serving) or to mark (in the truth).
struct Record {
  const OrderRec& rec;
  const OrderFields& fields;
  const LineFields* line;
  BadKind bad;
  BadKind mark;
  const RenderMode& mode;
};

Record make_record(const OrderRec& rec, const OrderFields& fields, const LineFields* line,
                   const RenderMode& mode) {
  auto id = line != nullptr ? line->line_id : rec.id;
  auto kind = bad_kind_for(mode.seed, mode.bad_rate, id, rec.mtime_ms, line != nullptr);
  return mode.truth ? Record{rec, fields, line, BadKind::none, kind, mode}
                    : Record{rec, fields, line, kind, BadKind::none, mode};
}

void write_shipments(std::string& out, const OrderRec& rec, const LineFields& line) {
  json::key(out, "shipment_list");
  out += '[';
  auto n = static_cast<int>(line.shipments.size());
  int tracked = tracked_shipments(status_name(rec.status), n);
  for (int i = 0; i < n; ++i) {
    if (i > 0)
      out += ',';
    out += '{';
    json::num(out, "order_no", i + 1, true);
    if (i >= n - tracked) {
      json::str(out, "tracking_number",
                line.shipments[static_cast<std::size_t>(i)].tracking_number);
      json::str(out, "logistics_id", line.shipments[static_cast<std::size_t>(i)].logistics_id);
    }
    out += '}';
  }
  out += ']';
}

template <class Keys> void write_object(std::string& out, const Record& r, const Keys& keys);

/// `"key":{"value":N}` where a number belongs: a record with the wrong type.
void write_wrapped_number(std::string& out, std::string_view key, std::int64_t v, bool first) {
  json::key(out, key, first);
  out += "{\"value\":";
  json::integer(out, v);
  out += '}';
}

/// Fields that orders and lines share. Returns false if `field` is not one of them.
bool write_shared_field(std::string& out, F field, const Record& r, bool first) {
  const auto& f = r.fields;
  const auto* l = r.line;
  switch (field) {
  case F::creation_time:
    if (r.bad == BadKind::wrong_type && l == nullptr)
      write_wrapped_number(out, "creation_time", r.rec.creation_ms, first);
    else
      json::num(out, "creation_time", r.rec.creation_ms, first);
    return true;
  case F::trade_order_id:
    if (r.bad != BadKind::missing_id || l != nullptr)
      json::str(out, "trade_order_id", std::to_string(f.order_id), first);
    return true;
  case F::actual_fee:
    if (r.bad == BadKind::non_numeric_fee && l == nullptr)
      json::str(out, "actual_fee", "N/A", first);
    else
      json::money(out, "actual_fee", l ? l->actual_fee() : f.actual_fee(), first);
    return true;
  case F::buyer_full_name:
    json::str(out, "buyer_full_name", f.buyer_full_name, first);
    return true;
  case F::shipping_fee:
  case F::actual_shipping_fee:
    json::money(out, field == F::shipping_fee ? "shipping_fee" : "actual_shipping_fee",
                l ? l->shipping_fee : f.shipping_fee, first);
    return true;
  case F::shipping_fee_cc:
    json::str(out, "shipping_fee_currency_code", "TWD", first);
    return true;
  case F::actual_shipping_fee_cc:
    json::str(out, "actual_shipping_fee_currency_code", "TWD", first);
    return true;
  case F::actual_fee_cc:
    json::str(out, "actual_fee_currency_code", "TWD", first);
    return true;
  case F::modification_time:
    json::num(out, "modification_time", r.rec.mtime_ms, first);
    return true;
  case F::status:
    json::str(out, "status", status_name(r.rec.status), first);
    return true;
  default:
    return false;
  }
}

void write_delivery(std::string& out, const OrderFields& f, bool first) {
  json::key(out, "delivery_info", first);
  out += '{';
  json::str(out, "area", f.area, true);
  json::str(out, "country_code", f.country_code);
  json::str(out, "city", f.city);
  json::str(out, "detail_address", f.detail_address);
  json::str(out, "receiver_name", f.receiver_name);
  json::str(out, "state", f.state);
  json::str(out, "receiver_phone", f.receiver_phone);
  out += '}';
}

/// Fields of orders only.
void write_order_field(std::string& out, F field, const Record& r, bool first) {
  const auto& f = r.fields;
  switch (field) {
  case F::buyer_id:
    json::str(out, "buyer_id", f.buyer_id, first);
    break;
  case F::seller_full_name:
    json::str(out, "seller_full_name", r.mode.seller_name, first);
    break;
  case F::seller_id:
    json::str(out, "seller_id", kSellerId, first);
    break;
  case F::payment_channel:
    json::str(out, "payment_channel", f.payment_channel, first);
    break;
  case F::delivery_info:
    write_delivery(out, f, first);
    break;
  case F::line_id_list:
    json::key(out, "trade_order_line_id_list", first);
    out += '[';
    for (std::size_t k = 0; k < f.lines.size(); ++k) {
      // The API wraps each id in literal quotes: "\"558757467941\"".
      out += k == 0 ? "\"\\\"" : ",\"\\\"";
      json::integer(out, static_cast<std::int64_t>(f.lines[k].line_id));
      out += "\\\"\"";
    }
    out += ']';
    break;
  case F::line_list:
    json::key(out, "trade_order_line_list", first);
    out += '[';
    for (std::size_t k = 0; k < f.lines.size(); ++k) {
      if (k > 0)
        out += ',';
      write_object(out, make_record(r.rec, f, &f.lines[k], r.mode), kModuleLineKeys);
    }
    out += ']';
    break;
  default:
    break;
  }
}

void write_title(std::string& out, const Record& r, bool first) {
  if (r.bad != BadKind::huge_title) {
    json::str(out, "product_title", r.line->product_title, first);
    return;
  }
  std::string title = r.line->product_title;
  while (title.size() + 3 <= kHugeTitleBytes)
    title += "長";
  json::str(out, "product_title", title, first);
}

/// Fields of lines only.
void write_line_field(std::string& out, F field, const Record& r, bool first) {
  const auto& l = *r.line;
  switch (field) {
  case F::product_main_image:
    json::str(out, "product_main_image", l.product_main_image, first);
    break;
  case F::product_detail_url:
    json::str(out, "product_detail_url", l.product_detail_url, first);
    break;
  case F::trade_order_line_id:
    if (r.bad != BadKind::missing_id)
      json::str(out, "trade_order_line_id", std::to_string(l.line_id), first);
    break;
  case F::package_id:
    json::str(out, "package_id", l.package_id, first);
    break;
  case F::product_id:
    json::str(out, "product_id", l.product_id, first);
    break;
  case F::unit_fee:
    if (r.bad == BadKind::non_numeric_fee)
      json::str(out, "unit_fee", "N/A", first);
    else
      json::money(out, "unit_fee", l.unit_fee, first);
    break;
  case F::unit_fee_cc:
    json::str(out, "unit_fee_currency_code", "TWD", first);
    break;
  case F::shipment_list:
    write_shipments(out, r.rec, l);
    break;
  case F::quantity:
    if (r.bad == BadKind::wrong_type)
      write_wrapped_number(out, "quantity", l.quantity, first);
    else
      json::num(out, "quantity", l.quantity, first);
    break;
  case F::sku_info:
    json::str(out, "sku_info", l.sku_info, first); // a JSON array encoded as a string
    break;
  case F::sku_id:
    json::str(out, "sku_id", l.sku_id, first);
    break;
  case F::product_title:
    write_title(out, r, first);
    break;
  default:
    break;
  }
}

template <class Keys> void write_object(std::string& out, const Record& r, const Keys& keys) {
  out += '{';
  // After a skipped first key (a missing id), the next key opens the object without a comma.
  auto mark = out.size();
  for (auto field : keys) {
    bool first = out.size() == mark;
    if (write_shared_field(out, field, r, first))
      continue;
    if (r.line != nullptr)
      write_line_field(out, field, r, first);
    else
      write_order_field(out, field, r, first);
  }
  if (r.mark != BadKind::none)
    json::str(out, "_sim_bad", bad_kind_name(r.mark));
  out += '}';
}

} // namespace

std::string_view bad_kind_name(BadKind kind) {
  switch (kind) {
  case BadKind::none:
    return "";
  case BadKind::non_numeric_fee:
    return "non_numeric_fee";
  case BadKind::missing_id:
    return "missing_id";
  case BadKind::wrong_type:
    return "wrong_type";
  case BadKind::huge_title:
    return "huge_title";
  }
  return "";
}

BadKind bad_kind_for(std::uint64_t seed, double rate, std::uint64_t id, std::int64_t mtime_ms,
                     bool is_line) {
  if (rate <= 0 || is_seed_order(owner_of_line(id).first) || is_seed_order(id))
    return BadKind::none;
  auto h = hash_of(seed, id, static_cast<std::uint64_t>(mtime_ms), 0xBADu);
  if (unit_of(h) >= rate)
    return BadKind::none;
  auto kinds = is_line ? 4u : 3u;
  return static_cast<BadKind>(1 + (h & 0xFF) % kinds);
}

void render_order_summary(std::string& out, const OrderRec& rec, const OrderFields& fields,
                          const RenderMode& mode) {
  write_object(out, make_record(rec, fields, nullptr, mode), kSummaryKeys);
}

void render_item_line(std::string& out, const OrderRec& rec, const OrderFields& fields, int k,
                      const RenderMode& mode) {
  write_object(out, make_record(rec, fields, &fields.lines[static_cast<std::size_t>(k)], mode),
               kItemKeys);
}

void render_order_module(std::string& out, const OrderRec& rec, const OrderFields& fields,
                         const RenderMode& mode) {
  write_object(out, make_record(rec, fields, nullptr, mode), kModuleKeys);
}

} // namespace taosync::sim
