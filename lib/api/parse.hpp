#pragma once
// Response bodies of the order API turned into typed outcomes. Pure: text in, values out.
// A record that fails validation becomes a RejectedRecord of its page, never an error of
// the page; an error envelope becomes a classified ApiError; a body that is not JSON is a
// transient error.

#include "api/outcome.hpp"
#include "api/records.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api {

/// A /orders/get response: `result.model_list` with total_count, page_no, page_size.
Outcome<Page<Order>> parse_orders_page(std::string_view body);

/// A /order/items/get response: `result.model_list` of lines.
Outcome<Page<OrderLine>> parse_lines_page(std::string_view body);

/// A /order/get response: `result.module`, the order with `trade_order_line_list` embedded.
/// The order's line_ids are the ids of the embedded lines. When the order itself is invalid,
/// `order.trade_order_id` is empty and the whole module is in `rejected`.
Outcome<OrderDetail> parse_order_detail(std::string_view body);

/// A token refresh answer: the new tokens, and what was adjusted in them, safe to log.
struct TokenRefresh {
  Tokens tokens;
  std::vector<std::string> warnings; ///< a lifetime clamped (token_lifetime.hpp), with its value
};

/// A /auth/token/refresh response: access_token, refresh_token, expires_in and
/// refresh_expires_in (seconds from `now`, clamped to a minute .. a year), at the top level or
/// under `result`/`data`. A lifetime missing or not a number is a malformed (transient) answer.
Outcome<TokenRefresh> parse_token_refresh(std::string_view body, std::chrono::sys_seconds now);

/// The error of any response body, or nullopt when it is a success envelope.
std::optional<ApiError> parse_error(std::string_view endpoint, std::string_view body);

} // namespace taosync::api
