#pragma once
// Lazada's order API as a Platform: listings by update time in whole seconds, paged by offset
// under its cap of 5,000; lines by order id, up to 50 orders a call; one order as /order/get
// plus its items. The gateway, signing, envelope and tokens are the ones Taobao TW's client
// uses (ShopCalls).

#include "api/platform.hpp"
#include "api/records.hpp"
#include "config/config.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api {
class Caller;
using TokenSaver = std::function<net::awaitable<void>(const Tokens&)>;
} // namespace taosync::api

namespace taosync::api::lazada {

/// Where `/orders/get` may start no page: offset + limit past it is refused by the platform.
inline constexpr std::int64_t kOffsetCap = 5000;
/// Orders one /orders/items/get call takes.
inline constexpr int kMaxOrdersPerItemsCall = 50;

/// A Lazada country: its code, seller API gateway and currency.
struct Country {
  std::string_view code;     ///< sg, my, th, ph, vn, id (config::kLazadaCountries)
  std::string_view gateway;  ///< "https://api.lazada.sg/rest"
  std::string_view currency; ///< "SGD"
};

/// The Lazada country of `code`, or nullopt.
std::optional<Country> country_of(std::string_view code);

/// The Lazada client of one shop, on its app's shared caller. Single-threaded, like the caller.
class Client final : public Platform {
public:
  /// Calls go to `base_url` (the country's gateway, or one configured), amounts are in
  /// `currency`; token refreshes go to the caller's api.auth_url.
  Client(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save_tokens,
         const std::string& base_url, std::string currency);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Whole seconds, pages of up to 100 no deeper than offset 5,000, lines by order id.
  const model::ListingRules& listing_rules() const override;

  /// /orders/get by update time, oldest first: offset (page - 1) * page_size. Throws
  /// std::invalid_argument for a page past the offset cap (the planner never asks one).
  net::awaitable<Page<Order>> list_orders(const OrdersQuery& query) override;

  /// /orders/items/get for up to 50 order ids: every item of those orders.
  net::awaitable<Page<OrderLine>> get_lines(const std::vector<std::string>& order_ids) override;

  /// /order/get, then /orders/items/get for its items: two calls.
  net::awaitable<OrderDetail> get_order(const std::string& trade_order_id) override;

  const PlatformClock& platform_clock() const override;
  CallCounters counters() const override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::api::lazada
