#include "store/batch_check.hpp"

#include "model/newest.hpp"
#include "model/rejected_id.hpp"
#include "model/rules.hpp"

#include "store/text_repair.hpp"

#include <unordered_map>
#include <unordered_set>

namespace taosync::store {
namespace {

constexpr std::size_t kMaxStatusLength = 64;    // statuses are short words; they go into NOTIFY
constexpr std::size_t kMaxQuoted = 40;          // how much of a bad value a reason quotes
constexpr std::string_view kEndpoint = "store"; // rejected by the store, not by the parser

std::string excerpt(std::string_view value) {
  return "\"" + clean_text(value.substr(0, kMaxQuoted)) + "\"";
}

std::string money_problem(std::string_view field, const model::Money& m) {
  if (m.amount.empty() || is_decimal(m.amount))
    return {};
  return std::string(field) + ": not a decimal amount " + excerpt(m.amount);
}

std::string first_problem(std::initializer_list<std::string> problems) {
  for (const auto& p : problems)
    if (!p.empty())
      return p;
  return {};
}

std::string order_problem(const model::Order& o) {
  std::string status;
  if (o.status.empty() || o.status.size() > kMaxStatusLength)
    status = "status: empty or longer than 64 bytes";
  return first_problem({id_problem(o.trade_order_id).empty()
                            ? std::string()
                            : "trade_order_id: " + id_problem(o.trade_order_id),
                        status, money_problem("actual_fee", o.actual_fee),
                        money_problem("shipping_fee", o.shipping_fee),
                        money_problem("actual_shipping_fee", o.actual_shipping_fee)});
}

std::string line_problem(const model::OrderLine& l) {
  const auto line_id = id_problem(l.trade_order_line_id);
  const auto order_id = id_problem(l.trade_order_id);
  return first_problem({line_id.empty() ? line_id : "trade_order_line_id: " + line_id,
                        order_id.empty() ? order_id : "trade_order_id: " + order_id,
                        money_problem("unit_fee", l.unit_fee),
                        money_problem("actual_fee", l.actual_fee),
                        money_problem("shipping_fee", l.shipping_fee),
                        money_problem("actual_shipping_fee", l.actual_shipping_fee)});
}

model::RejectedRecord reject(const std::string& id, std::string reason, const std::string& raw) {
  return {std::string(kEndpoint), clean_text(model::rejected_record_id(id)), std::move(reason),
          clean_text(raw)};
}

bool order_text_ok(const model::Order& o) {
  const auto& d = o.delivery;
  for (const std::string* s :
       {&o.buyer_id, &o.buyer_full_name, &o.seller_id, &o.seller_full_name, &o.status,
        &o.payment_channel, &o.actual_fee.currency_code, &o.shipping_fee.currency_code,
        &o.actual_shipping_fee.currency_code, &d.area, &d.country_code, &d.city, &d.detail_address,
        &d.receiver_name, &d.state, &d.receiver_phone})
    if (!is_clean_text(*s))
      return false;
  for (const auto& id : o.line_ids)
    if (!is_clean_text(id))
      return false;
  return is_clean_text(o.raw_json) && is_jsonb_safe(o.raw_json);
}

model::Order repaired(model::Order o) {
  auto& d = o.delivery;
  for (std::string* s :
       {&o.buyer_id, &o.buyer_full_name, &o.seller_id, &o.seller_full_name, &o.status,
        &o.payment_channel, &o.actual_fee.currency_code, &o.shipping_fee.currency_code,
        &o.actual_shipping_fee.currency_code, &d.area, &d.country_code, &d.city, &d.detail_address,
        &d.receiver_name, &d.state, &d.receiver_phone})
    *s = clean_text(*s);
  for (auto& id : o.line_ids)
    id = clean_text(id);
  o.raw_json = jsonb_safe(o.raw_json);
  return o;
}

bool line_text_ok(const model::OrderLine& l) {
  for (const std::string* s :
       {&l.product_id, &l.sku_id, &l.package_id, &l.product_title, &l.product_main_image,
        &l.product_detail_url, &l.buyer_full_name, &l.status, &l.unit_fee.currency_code,
        &l.actual_fee.currency_code, &l.shipping_fee.currency_code,
        &l.actual_shipping_fee.currency_code, &l.sku_info})
    if (!is_clean_text(*s))
      return false;
  for (const auto& sh : l.shipments)
    if (!is_clean_text(sh.tracking_number.value_or("")) ||
        !is_clean_text(sh.logistics_id.value_or("")))
      return false;
  for (const auto& p : l.sku_properties)
    if (!is_clean_text(p.property_name) || !is_clean_text(p.value_text))
      return false;
  return is_clean_text(l.raw_json) && is_jsonb_safe(l.raw_json);
}

/// Repairs text and keeps one shipment per order_no (the last one sent).
model::OrderLine repaired(model::OrderLine l) {
  for (std::string* s :
       {&l.product_id, &l.sku_id, &l.package_id, &l.product_title, &l.product_main_image,
        &l.product_detail_url, &l.buyer_full_name, &l.status, &l.unit_fee.currency_code,
        &l.actual_fee.currency_code, &l.shipping_fee.currency_code,
        &l.actual_shipping_fee.currency_code, &l.sku_info})
    *s = clean_text(*s);
  std::vector<model::Shipment> shipments;
  for (auto& sh : l.shipments) {
    for (auto* opt : {&sh.tracking_number, &sh.logistics_id})
      if (*opt)
        **opt = clean_text(**opt);
    std::erase_if(shipments, [&](const model::Shipment& s) { return s.order_no == sh.order_no; });
    shipments.push_back(std::move(sh));
  }
  l.shipments = std::move(shipments);
  for (auto& p : l.sku_properties) {
    p.property_name = clean_text(p.property_name);
    p.value_text = clean_text(p.value_text);
  }
  l.raw_json = jsonb_safe(l.raw_json);
  return l;
}

bool shipments_distinct(const model::OrderLine& l) {
  for (std::size_t i = 0; i < l.shipments.size(); ++i)
    for (std::size_t j = i + 1; j < l.shipments.size(); ++j)
      if (l.shipments[i].order_no == l.shipments[j].order_no)
        return false;
  return true;
}

} // namespace

std::string id_problem(std::string_view id) {
  if (id.empty())
    return "empty";
  if (id.size() > model::kMaxIdBytes)
    return "longer than 64 bytes";
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return "unexpected character in " + excerpt(id);
  return {};
}

CheckedBatch check_batch(const Batch& batch) {
  CheckedBatch out;
  for (const auto& r : batch.rejected)
    out.rejected.push_back({clean_text(r.endpoint),
                            clean_text(model::rejected_record_id(r.record_id)),
                            clean_text(r.reason), clean_text(r.raw_json)});
  std::unordered_map<std::string_view, std::size_t> order_at;
  for (const auto& o : batch.orders) {
    if (auto problem = order_problem(o); !problem.empty()) {
      out.rejected.push_back(reject(o.trade_order_id, std::move(problem), o.raw_json));
      continue;
    }
    const model::Order* rec = &o;
    if (!order_text_ok(o))
      rec = &out.repaired_orders.emplace_back(repaired(o));
    model::keep_newest(out.orders, order_at, std::string_view(rec->trade_order_id), rec);
  }
  std::unordered_set<std::string_view> sets;
  for (const auto& id : batch.lines_for)
    if (id_problem(id).empty() && sets.insert(id).second)
      out.lines_for.push_back(id);
  std::unordered_map<std::string_view, std::size_t> line_at;
  for (const auto& l : batch.lines) {
    if (auto problem = line_problem(l); !problem.empty()) {
      out.rejected.push_back(reject(l.trade_order_line_id, std::move(problem), l.raw_json));
      continue;
    }
    if (!sets.contains(l.trade_order_id))
      continue; // not part of a complete line set of this batch
    const model::OrderLine* rec = &l;
    if (!line_text_ok(l) || !shipments_distinct(l))
      rec = &out.repaired_lines.emplace_back(repaired(l));
    model::keep_newest(out.lines, line_at, std::string_view(rec->trade_order_line_id), rec);
  }
  return out;
}

} // namespace taosync::store
