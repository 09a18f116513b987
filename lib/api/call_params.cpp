#include "api/call_params.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace taosync::api {
namespace {

constexpr std::size_t kMaxDescriptionBytes = 240;

std::string epoch_ms(TimePoint t) {
  return std::to_string(t.time_since_epoch().count());
}

// "k1=v1&k2=v2": the same pairs that were signed, keys and values URL-encoded, in the map's
// order.
std::string encode_query(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty())
      out += '&';
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

} // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

Params orders_params(const OrdersQuery& query) {
  if (query.created_from || query.created_to)
    throw std::invalid_argument("/orders/get of Taobao TW has no creation-time filter");
  Params params{{"Order_Status", query.status},
                {"Page_Size", std::to_string(query.page_size)},
                {"Page", std::to_string(query.page)}};
  // Both ends unset means no window (the seed's first call); otherwise both are sent.
  if (query.modified_from != TimePoint{} || query.modified_to != TimePoint{}) {
    params["modification_time_start"] = epoch_ms(query.modified_from);
    params["modification_time_end"] = epoch_ms(query.modified_to);
  }
  return params;
}

Params lines_params(const std::vector<std::string>& line_ids) {
  if (line_ids.size() == 1)
    return {{"trade_order_line_id_list", line_ids.front()}};
  boost::json::array ids;
  ids.reserve(line_ids.size());
  for (const auto& id : line_ids)
    ids.emplace_back(id);
  return {{"trade_order_line_id_list", boost::json::serialize(ids)}};
}

Params order_params(const std::string& trade_order_id) {
  return {{"trade_order_id", trade_order_id}};
}

std::string signed_query(std::string_view api_path, Params params, const SystemParams& system,
                         std::string_view app_secret) {
  params["app_key"] = std::string(system.app_key);
  params["timestamp"] = std::to_string(system.timestamp.time_since_epoch().count());
  params["sign_method"] = "sha256";
  params["access_token"] = std::string(system.access_token);
  params.erase("sign");
  std::erase_if(params, [](const auto& entry) { return entry.second.empty(); });
  params["sign"] = sign(api_path, params, app_secret);
  return encode_query(params);
}

std::string describe_call(std::string_view api_path, const Params& business) {
  std::string out(api_path);
  for (const auto& [key, value] : business) {
    if (key == "access_token" || key == "refresh_token" || key == "sign")
      continue;
    out += ' ';
    out += key;
    out += '=';
    out += value;
    if (out.size() > kMaxDescriptionBytes) {
      out.resize(kMaxDescriptionBytes);
      out += "…";
      break;
    }
  }
  return out;
}

} // namespace taosync::api
