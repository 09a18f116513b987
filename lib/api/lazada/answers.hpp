#pragma once
// Lazada's order answers turned into the domain records. The envelope is the gateway's own
// (`code` "0" and `data`, or an error with `type`, `code` and `message`); the records differ
// from Taobao TW's: an order has the distinct statuses of its items instead of a status, a
// count of items instead of line ids, prices as decimal strings without a currency, and times
// in whole seconds with an offset. Pure: text in, values out.

#include "api/outcome.hpp"
#include "api/records.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api::lazada {

/// The path of the items of several orders (Taobao TW's /order/items/get takes line ids).
inline constexpr std::string_view kItemsPath = "/orders/items/get";

/// The status of an order whose items have `statuses` (the rule, in order):
/// 1. one distinct status is the order's, whatever it is;
/// 2. otherwise the ended ones (canceled, returned, failed, lost, …: the item left the flow)
///    are set aside, and of the rest the earliest in the flow (unpaid → pending → topack →
///    packed → toship → ready_to_ship → shipping → shipped → delivered) is the order's, since
///    that is the work still owed on it; a status outside the flow, one Lazada added later,
///    comes after every known one, and among several the least by byte order;
/// 3. when every status has ended, the first of them in Lazada's documented list.
/// Empty when `statuses` is.
std::string order_status(std::vector<std::string> statuses);

/// A /orders/get answer: `data.orders`, with `data.countTotal` (or `data.count`) as the page's
/// total_count. `count` is either the total as well or the number of orders on the page;
/// anything else makes the page's claims disagree (Page::problem). Amounts are in `currency`.
Outcome<Page<Order>> parse_orders_page(std::string_view body, std::string_view currency);

/// A /orders/items/get answer: `data` as a list of orders, each with its `order_items`, one
/// line per unit sold.
Outcome<Page<OrderLine>> parse_items_page(std::string_view body, std::string_view currency);

/// A /order/get answer: the order alone in `data` (Lazada sends its items by another call).
/// When the order is invalid, `order.trade_order_id` is empty and it is in `rejected`.
Outcome<OrderDetail> parse_order(std::string_view body, std::string_view currency);

} // namespace taosync::api::lazada
