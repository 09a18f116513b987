#pragma once
// What the sync asks of a marketplace platform, and nothing of how: one page of the orders
// modified in a window, the lines of a batch of orders, one order whole. Each platform's
// client implements it; the sync core (lib/sync) names no platform's path, field or client.

#include "api/outcome.hpp"
#include "api/records.hpp"
#include "model/listing_rules.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace taosync::api {

class PlatformClock; // api/platform_clock.hpp

namespace net = boost::asio;

/// A platform's order API as the sync uses it: every call retries transient errors on its own
/// and throws ApiFailure when it gives up. Single-threaded: every call runs on one executor.
class Platform {
public:
  virtual ~Platform() = default;

  /// How the listing may be asked: the sync plans its windows and line calls by these.
  virtual const model::ListingRules& listing_rules() const = 0;

  /// One page of the orders modified in `query`'s window (both ends inclusive).
  virtual net::awaitable<Page<Order>> list_orders(const OrdersQuery& query) = 0;

  /// The lines with `ids`: line ids, or the ids of the orders whose lines are wanted, as
  /// listing_rules().lines_by says; at most the configured batch size.
  virtual net::awaitable<Page<OrderLine>> get_lines(const std::vector<std::string>& ids) = 0;

  /// One order with its lines.
  virtual net::awaitable<OrderDetail> get_order(const std::string& trade_order_id) = 0;

  /// The platform's clock as its answers showed it.
  virtual const PlatformClock& platform_clock() const = 0;

  /// The totals of this shop's calls so far.
  virtual CallCounters counters() const = 0;

protected:
  Platform() = default;
  Platform(const Platform&) = default;
  Platform& operator=(const Platform&) = default;
};

} // namespace taosync::api
