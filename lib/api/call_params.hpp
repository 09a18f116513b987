#pragma once
// The parameters of each call, named exactly as in the seed, and the signed query string.

#include "api/client.hpp"
#include "api/signer.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api {

/// /orders/get: Order_Status, Page_Size, Page and, when a window is set,
/// modification_time_start and modification_time_end (epoch ms, inclusive).
Params orders_params(const OrdersQuery& query);

/// /order/items/get: trade_order_line_id_list, one id bare or several as ["id1","id2"].
Params lines_params(const std::vector<std::string>& line_ids);

/// /order/get: trade_order_id.
Params order_params(const std::string& trade_order_id);

/// The system parameters of a call; access_token is left out when empty (token refresh).
struct SystemParams {
  std::string_view app_key;
  std::string_view access_token;
  std::chrono::sys_time<std::chrono::milliseconds> timestamp;
};

/// Adds the system parameters to `params`, drops empty ones (the platform refuses them),
/// signs exactly what remains with `app_secret`, and returns the URL-encoded query string.
std::string signed_query(std::string_view api_path, Params params, const SystemParams& system,
                         std::string_view app_secret);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

/// "/orders/get Order_Status=all Page=1 ..." for logs: the path and business parameters only
/// (never a token or the sign), cut to a readable length.
std::string describe_call(std::string_view api_path, const Params& business);

} // namespace taosync::api
