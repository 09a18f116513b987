#pragma once
// The Taobao TW order API as awaitable calls: signing, pooled keep-alive HTTP(S), a shared
// token bucket, ApiCallLimit bans, retries with backoff, and one token refresh on
// IllegalAccessToken.

#include "api/outcome.hpp"
#include "api/platform.hpp"
#include "api/records.hpp"
#include "config/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace taosync::api {

class Caller; // api/caller.hpp: the app's shared rate limit, pool and retries

namespace net = boost::asio;

/// Called after a token refresh, before the new token is used; persists the tokens.
using TokenSaver = std::function<net::awaitable<void>(const Tokens&)>;

/// The Taobao TW client of one shop. Every shop's calls share the app's rate limiter and
/// connection pool. Single-threaded: every call must run on one executor, the one of its first
/// call.
class Client final : public Platform {
public:
  /// One shop's client on the app's shared caller: every shop's calls draw from one rate limit
  /// and one connection pool; each shop has its own tokens and counts.
  Client(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save_tokens);
  /// With a caller of its own; `cfg` is the api settings in force (a part of the config
  /// snapshot).
  Client(std::shared_ptr<const config::ApiConfig> cfg, Tokens tokens, TokenSaver save_tokens);
  /// With settings of its own (tests, tools).
  Client(const config::ApiConfig& cfg, Tokens tokens, TokenSaver save_tokens);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Milliseconds, pages of at most 100 with no depth cap, lines by line id.
  const model::ListingRules& listing_rules() const override;

  /// One page of /orders/get. Retries transient errors; throws ApiFailure when it gives up.
  net::awaitable<Page<Order>> list_orders(const OrdersQuery& query) override;

  /// /order/items/get for up to `items_batch_size` line ids (a JSON array; one id goes bare).
  net::awaitable<Page<OrderLine>> get_lines(const std::vector<std::string>& line_ids) override;

  /// /order/get: one order with its lines.
  net::awaitable<OrderDetail> get_order(const std::string& trade_order_id) override;

  /// Puts new settings in force (SIGHUP) on its caller, for every client sharing it: rate
  /// limits, timeouts, retries, batch sizes. Keys and URLs are read at construction only (a
  /// reload keeps them: config::plan_reload).
  void reconfigure(std::shared_ptr<const config::ApiConfig> cfg);

  /// The platform's clock as the app's answers showed it (shared by every shop of the app).
  const PlatformClock& platform_clock() const override;

  /// This client's totals so far.
  CallCounters counters() const override;

  /// Shutdown: every call of its caller in flight or waiting (rate limit, ban, backoff) fails
  /// at once, and so does every later one, with ApiFailure code "cancelled". Call it on the
  /// client's executor.
  void cancel();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::api
