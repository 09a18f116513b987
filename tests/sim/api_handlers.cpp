#include "api_handlers.hpp"

#include "catalog.hpp"
#include "endpoint_lies.hpp"
#include "json_out.hpp"
#include "query.hpp"
#include "render.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <set>

namespace taosync::sim {

namespace {

/// An optional integer parameter: nullopt if absent, an error if not an integer.
std::variant<std::optional<std::int64_t>, ApiError> int_param(const api::Params& params,
                                                              const char* name) {
  auto it = params.find(name);
  if (it == params.end())
    return std::optional<std::int64_t>{};
  const auto& text = it->second;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return invalid_parameter(name, "not an integer");
  return std::optional<std::int64_t>{v};
}

/// The success envelope around `result`; it may start with a BOM (a lie).
std::string envelope(Liar& liar, const std::string& result, const std::string& request_id) {
  std::string out = "{\"result\":";
  out += result;
  out += ",\"code\":\"0\",\"request_id\":\"";
  out += request_id;
  out += "\"}";
  lie_in_body(liar, out);
  return out;
}

/// Parses /orders/get's parameters into a query.
std::variant<ListQuery, ApiError> parse_list_query(const SimState& state,
                                                   const api::Params& params) {
  ListQuery q;
  q.sort = state.options().sort;
  q.page_size = std::min(100, state.options().max_page_size);
  if (auto it = params.find("Order_Status"); it != params.end() && it->second != "all") {
    if (auto s = parse_status(it->second))
      q.status = static_cast<std::size_t>(*s);
    else
      q.unknown_status = true; // statuses grow over time; an unknown one simply matches nothing
  }
  struct Field {
    const char* name;
    std::optional<std::int64_t>* target;
  };
  std::optional<std::int64_t> page_size, page;
  for (auto [name, target] :
       {Field{"Page_Size", &page_size}, Field{"Page", &page},
        Field{"modification_time_start", &q.from}, Field{"modification_time_end", &q.to}}) {
    auto v = int_param(params, name);
    if (auto* e = std::get_if<ApiError>(&v))
      return *e;
    *target = std::get<0>(v);
  }
  if (page_size && (*page_size < 1 || *page_size > state.options().max_page_size))
    return invalid_parameter("Page_Size",
                             "must be 1.." + std::to_string(state.options().max_page_size));
  if (page && *page < 1)
    return invalid_parameter("Page", "must be >= 1");
  if (q.from && q.to && *q.from > *q.to)
    return invalid_parameter("modification_time_end", "is before modification_time_start");
  q.page_size = page_size.value_or(q.page_size);
  q.page = page.value_or(1);
  return q;
}

/// Parses trade_order_line_id_list: one bare id, or a JSON array of ids (strings or numbers).
std::variant<std::vector<std::uint64_t>, ApiError> parse_line_ids(std::string_view text,
                                                                  int max_ids) {
  static constexpr const char* kName = "trade_order_line_id_list";
  std::vector<std::string> raw;
  if (!text.empty() && text.front() == '[') {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_array())
      return invalid_parameter(kName, "not a JSON array");
    for (const auto& v : value.as_array()) {
      if (v.is_string())
        raw.emplace_back(v.as_string());
      else if (v.is_int64() || v.is_uint64())
        raw.push_back(boost::json::serialize(v));
      else
        return invalid_parameter(kName, "ids must be strings or numbers");
    }
  } else {
    raw.emplace_back(text);
  }
  if (raw.empty())
    return invalid_parameter(kName, "no ids");
  if (static_cast<int>(raw.size()) > max_ids)
    return invalid_parameter(kName, "at most " + std::to_string(max_ids) + " ids per call");
  std::vector<std::uint64_t> ids;
  for (const auto& s : raw) {
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
      return invalid_parameter(kName, "not a numeric id: " + s);
    ids.push_back(id);
  }
  return ids;
}

RenderMode serving_mode(const SimState& state, const Seller& seller,
                        std::string_view seller_name = kSellerName) {
  return RenderMode{seller.seed(), state.live().bad_record_rate, false, seller_name};
}

} // namespace

void churn_before_listing(SimState& state, Seller& seller) {
  if (state.live().churn_per_page > 0)
    state.mutate(seller, state.live().churn_per_page);
}

std::string error_body(const ApiError& error, const std::string& request_id) {
  std::string out = "{";
  json::str(out, "type", error.type, true);
  json::str(out, "code", error.code);
  json::str(out, "message", error.message);
  json::str(out, "request_id", request_id);
  out += '}';
  return out;
}

ApiAnswer orders_get(SimState& state, Seller& seller, const api::Params& params,
                     const std::string& request_id) {
  auto parsed = parse_list_query(state, params);
  if (auto* e = std::get_if<ApiError>(&parsed))
    return *e;
  const auto& q = std::get<ListQuery>(parsed);
  churn_before_listing(state, seller);
  const auto& shop = seller.shop();
  auto page = list_orders(shop, q);
  // The seed's unwindowed listing shows an older spelling of the seller's name.
  auto mode = serving_mode(state, seller, q.from || q.to ? kSellerName : kSellerNameUnwindowed);
  Listing listing{{}, page.total, q.page, q.page_size};
  listing.records.reserve(page.orders.size());
  for (auto index : page.orders) {
    const auto& rec = shop.orders()[index];
    auto& record = listing.records.emplace_back();
    record.reserve(1200);
    render_order_summary(record, rec, describe_order(seller.seed(), rec.id), mode);
  }
  auto liar = state.liar();
  lie_in_orders(liar, listing, q);
  return envelope(liar, listing.result(), request_id);
}

ApiAnswer order_items_get(SimState& state, Seller& seller, const api::Params& params,
                          const std::string& request_id) {
  auto it = params.find("trade_order_line_id_list");
  if (it == params.end())
    return missing_parameter("trade_order_line_id_list");
  auto parsed = parse_line_ids(it->second, state.options().max_ids);
  if (auto* e = std::get_if<ApiError>(&parsed))
    return *e;
  auto page_size = int_param(params, "Page_Size");
  if (auto* e = std::get_if<ApiError>(&page_size))
    return *e;
  auto mode = serving_mode(state, seller);
  const auto& shop = seller.shop();
  Listing listing{{}, 0, 1, std::get<0>(page_size).value_or(50)};
  std::set<std::uint64_t> seen;
  for (auto line_id : std::get<0>(parsed)) {
    auto [order_id, k] = owner_of_line(line_id);
    auto index = k >= 0 && seen.insert(line_id).second ? shop.find(order_id) : std::nullopt;
    if (!index || k >= shop.orders()[*index].lines)
      continue; // unknown ids (another seller's among them) are simply absent
    const auto& rec = shop.orders()[*index];
    render_item_line(listing.records.emplace_back(), rec, describe_order(seller.seed(), rec.id), k,
                     mode);
  }
  listing.total_count = static_cast<std::int64_t>(listing.records.size());
  auto liar = state.liar();
  lie_in_items(liar, listing, shop);
  return envelope(liar, listing.result(), request_id);
}

ApiAnswer order_get(SimState& state, Seller& seller, const api::Params& params,
                    const std::string& request_id) {
  if (!params.contains("trade_order_id"))
    return missing_parameter("trade_order_id");
  auto id = int_param(params, "trade_order_id");
  if (auto* e = std::get_if<ApiError>(&id))
    return *e;
  auto value = *std::get<0>(id);
  const auto& shop = seller.shop();
  auto index = value > 0 ? shop.find(static_cast<std::uint64_t>(value)) : std::nullopt;
  if (!index)
    return invalid_parameter("trade_order_id", "no such order: " + std::to_string(value));
  const auto& rec = shop.orders()[*index];
  std::string module;
  render_order_module(module, rec, describe_order(seller.seed(), rec.id),
                      serving_mode(state, seller));
  auto liar = state.liar();
  if (!lie_in_order(liar, module, rec.lines, shop))
    return envelope(liar, "{\"success\":false,\"module\":null}", request_id);
  return envelope(liar, "{\"success\":true,\"module\":" + module + "}", request_id);
}

ApiAnswer token_refresh(SimState& state, const api::Params& params, const std::string& request_id) {
  auto it = params.find("refresh_token");
  if (it == params.end())
    return missing_parameter("refresh_token");
  auto* seller = state.seller_by_refresh_token(it->second);
  auto issued = seller ? seller->tokens().refresh(it->second, wall_ms()) : std::nullopt;
  if (!issued)
    return ApiError{"ISV", "IllegalRefreshToken",
                    "The specified refresh token is invalid or expired"};
  std::string out = "{";
  json::str(out, "access_token", issued->access_token, true);
  json::str(out, "refresh_token", issued->refresh_token);
  json::num(out, "expires_in", issued->expires_in.count());
  json::num(out, "refresh_expires_in", issued->refresh_expires_in.count());
  json::str(out, "account_platform", "seller_center");
  json::str(out, "country", "tw");
  json::str(out, "code", "0");
  json::str(out, "request_id", request_id);
  out += '}';
  return out;
}

} // namespace taosync::sim
