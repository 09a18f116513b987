#include "lazada_handlers.hpp"

#include "api/lazada/time_text.hpp"
#include "catalog.hpp"
#include "json_out.hpp"
#include "lazada_render.hpp"
#include "query.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <set>

namespace taosync::sim {

namespace {

ApiError numbered(std::string code, std::string message) {
  return ApiError{"ISV", std::move(code), std::move(message)};
}

/// The success envelope around `data`.
std::string lazada_envelope(const std::string& data, const std::string& request_id) {
  std::string out = "{\"code\":\"0\",\"request_id\":\"";
  out += request_id;
  out += "\",\"data\":";
  out += data;
  out += '}';
  return out;
}

std::optional<std::int64_t> whole_number(const api::Params& params, const char* name) {
  const auto it = params.find(name);
  if (it == params.end())
    return std::nullopt;
  std::int64_t v = 0;
  const auto& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return std::int64_t{-1};
  return v;
}

/// A time filter in epoch ms (its second's first millisecond), nullopt when absent, or the error.
std::variant<std::optional<std::int64_t>, ApiError> time_param(const api::Params& params,
                                                               const char* name) {
  const auto it = params.find(name);
  if (it == params.end())
    return std::optional<std::int64_t>{};
  const auto t = api::lazada::parse_time(it->second);
  if (!t)
    return numbered("E017", std::string("Invalid Date Format: ") + name);
  return std::optional<std::int64_t>{t->time_since_epoch().count()};
}

std::variant<ListQuery, ApiError> parse_lazada_query(const api::Params& params) {
  ListQuery q;
  auto after = time_param(params, "update_after");
  auto before = time_param(params, "update_before");
  for (auto* v : {&after, &before})
    if (auto* e = std::get_if<ApiError>(v))
      return *e;
  q.from = std::get<0>(after);
  if (!q.from)
    return missing_parameter("update_after");
  if (const auto to = std::get<0>(before))
    q.to = *to + 999; // inclusive, to the second
  if (q.to && *q.to < *q.from)
    return numbered("E017", "update_before is before update_after");
  auto created_after = time_param(params, "created_after");
  auto created_before = time_param(params, "created_before");
  for (auto* v : {&created_after, &created_before})
    if (auto* e = std::get_if<ApiError>(v))
      return *e;
  q.created_from = std::get<0>(created_after);
  if (const auto to = std::get<0>(created_before))
    q.created_to = *to + 999;
  const auto limit = whole_number(params, "limit").value_or(100);
  if (limit < 1 || limit > 100)
    return numbered("E019", "Invalid Limit: 1..100");
  const auto offset = whole_number(params, "offset").value_or(0);
  if (offset < 0)
    return numbered("E014", "Invalid Offset");
  if (offset >= kLazadaOffsetCap)
    return numbered("E014", "Invalid Offset: offset must be less than 5000; narrow the "
                            "update_after/update_before range");
  q.offset = offset;
  q.page_size = limit;
  const auto by = params.contains("sort_by") ? params.at("sort_by") : "created_at";
  const auto direction = params.contains("sort_direction") ? params.at("sort_direction") : "DESC";
  if ((by != "created_at" && by != "updated_at") || (direction != "ASC" && direction != "DESC"))
    return invalid_parameter("sort_by", "created_at|updated_at, ASC|DESC");
  if (by == "updated_at")
    q.sort = direction == "ASC" ? SortOrder::modification_asc : SortOrder::modification_desc;
  else
    q.sort = direction == "ASC" ? SortOrder::id_asc : SortOrder::creation_desc;
  return q;
}

/// order_ids: a JSON array of numbers or numeric strings.
std::variant<std::vector<std::uint64_t>, ApiError> parse_order_ids(const api::Params& params) {
  const auto it = params.find("order_ids");
  if (it == params.end())
    return missing_parameter("order_ids");
  boost::system::error_code ec;
  auto value = boost::json::parse(it->second, ec);
  if (ec || !value.is_array() || value.as_array().empty())
    return numbered("E037", "order_ids must be a non-empty list");
  if (value.as_array().size() > kLazadaMaxOrderIds)
    return numbered("E038", "at most 50 order_ids per call");
  std::vector<std::uint64_t> ids;
  for (const auto& v : value.as_array()) {
    std::uint64_t id = 0;
    if (v.is_uint64() || (v.is_int64() && v.as_int64() > 0)) {
      id = v.is_uint64() ? v.as_uint64() : static_cast<std::uint64_t>(v.as_int64());
    } else if (v.is_string()) {
      const auto& s = v.as_string();
      auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), id);
      if (err != std::errc{} || end != s.data() + s.size())
        return numbered("E039", "order_ids holds a non-numeric id");
    } else {
      return numbered("E039", "order_ids holds a non-numeric id");
    }
    ids.push_back(id);
  }
  return ids;
}

} // namespace

ApiAnswer lazada_orders_get(SimState& state, Seller& seller, const api::Params& params,
                            const std::string& request_id) {
  auto parsed = parse_lazada_query(params);
  if (auto* e = std::get_if<ApiError>(&parsed))
    return *e;
  const auto& q = std::get<ListQuery>(parsed);
  churn_before_listing(state, seller);
  const auto& shop = seller.shop();
  const auto page = list_orders(shop, q);
  std::string data = "{";
  json::num(data, "count", static_cast<std::int64_t>(page.orders.size()), true);
  json::num(data, "countTotal", page.total);
  data += ",\"orders\":[";
  for (std::size_t i = 0; i < page.orders.size(); ++i) {
    const auto& rec = shop.orders()[page.orders[i]];
    if (i > 0)
      data += ',';
    render_lazada_order(data, rec, describe_order(seller.seed(), rec.id));
  }
  data += "]}";
  return lazada_envelope(data, request_id);
}

ApiAnswer lazada_items_get(SimState&, Seller& seller, const api::Params& params,
                           const std::string& request_id) {
  auto parsed = parse_order_ids(params);
  if (auto* e = std::get_if<ApiError>(&parsed))
    return *e;
  const auto& shop = seller.shop();
  std::string data = "[";
  std::set<std::uint64_t> seen;
  for (const auto id : std::get<0>(parsed)) {
    const auto index = seen.insert(id).second ? shop.find(id) : std::nullopt;
    if (!index)
      continue; // unknown ids (another seller's among them) are simply absent
    const auto& rec = shop.orders()[*index];
    const auto fields = describe_order(seller.seed(), rec.id);
    if (data.size() > 1)
      data += ',';
    data += '{';
    json::num(data, "order_id", static_cast<std::int64_t>(rec.id), true);
    json::num(data, "order_number", static_cast<std::int64_t>(rec.id));
    data += ",\"order_items\":[";
    for (int k = 0; k < static_cast<int>(fields.lines.size()); ++k) {
      if (k > 0)
        data += ',';
      render_lazada_item(data, rec, fields, k);
    }
    data += "]}";
  }
  data += ']';
  return lazada_envelope(data, request_id);
}

ApiAnswer lazada_order_get(SimState&, Seller& seller, const api::Params& params,
                           const std::string& request_id) {
  const auto id = whole_number(params, "order_id");
  if (!id)
    return missing_parameter("order_id");
  const auto& shop = seller.shop();
  const auto index = *id > 0 ? shop.find(static_cast<std::uint64_t>(*id)) : std::nullopt;
  if (!index)
    return numbered("E016", "Invalid Order ID: " + params.at("order_id"));
  const auto& rec = shop.orders()[*index];
  std::string data;
  render_lazada_order(data, rec, describe_order(seller.seed(), rec.id));
  return lazada_envelope(data, request_id);
}

} // namespace taosync::sim
