#include "api/client.hpp"

#include "api/call_params.hpp"
#include "api/caller.hpp"
#include "api/parse.hpp"
#include "api/shop_calls.hpp"
#include "model/endpoints.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace taosync::api {

struct Client::Impl {
  Impl(std::shared_ptr<Caller> shared, Tokens tokens, TokenSaver save)
      : calls(std::move(shared), std::move(tokens), std::move(save), std::nullopt, "api.base_url") {
  }

  // One page of /orders/get; its newest modification time is a reading of the platform's clock.
  net::awaitable<Page<Order>> list_orders(Params params) {
    auto page =
        co_await calls.call<Page<Order>>(model::kOrdersPath, std::move(params), parse_orders_page);
    calls.observe_listing(page);
    co_return page;
  }

  ShopCalls calls;
};

Client::Client(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save_tokens)
    : impl_(std::make_unique<Impl>(std::move(caller), std::move(tokens), std::move(save_tokens))) {}

Client::Client(std::shared_ptr<const config::ApiConfig> cfg, Tokens tokens, TokenSaver save_tokens)
    : Client(std::make_shared<Caller>(std::move(cfg)), std::move(tokens), std::move(save_tokens)) {}

Client::Client(const config::ApiConfig& cfg, Tokens tokens, TokenSaver save_tokens)
    : Client(std::make_shared<const config::ApiConfig>(cfg), std::move(tokens),
             std::move(save_tokens)) {}

Client::~Client() = default;

net::awaitable<Page<Order>> Client::list_orders(const OrdersQuery& query) {
  return impl_->list_orders(orders_params(query)); // the params are built before any suspension
}

const PlatformClock& Client::platform_clock() const {
  return impl_->calls.caller().platform_clock();
}

net::awaitable<Page<OrderLine>> Client::get_lines(const std::vector<std::string>& line_ids) {
  if (line_ids.empty())
    co_return Page<OrderLine>{};
  const int batch_size = impl_->calls.caller().settings().items_batch_size;
  if (line_ids.size() > static_cast<std::size_t>(batch_size))
    throw std::invalid_argument("get_lines: " + std::to_string(line_ids.size()) +
                                " ids exceed api.items_batch_size " + std::to_string(batch_size));
  co_return co_await impl_->calls.call<Page<OrderLine>>(model::kLinesPath, lines_params(line_ids),
                                                        parse_lines_page);
}

net::awaitable<OrderDetail> Client::get_order(const std::string& trade_order_id) {
  return impl_->calls.call<OrderDetail>(model::kOrderPath, order_params(trade_order_id),
                                        parse_order_detail);
}

void Client::reconfigure(std::shared_ptr<const config::ApiConfig> cfg) {
  impl_->calls.caller().reconfigure(std::move(cfg));
}

void Client::cancel() {
  impl_->calls.caller().cancel();
}

const model::ListingRules& Client::listing_rules() const {
  // Times in milliseconds, Page_Size up to 100 on the platform, any page reachable, and
  // /order/items/get by the line ids each listed order carries.
  static const model::ListingRules taobao{.resolution = std::chrono::milliseconds(1),
                                          .max_page_size = 100,
                                          .offset_cap = 0,
                                          .creation_filter = false,
                                          .lines_by = model::LinesBy::line_id,
                                          .max_ids_per_line_call = 50};
  return taobao;
}

CallCounters Client::counters() const {
  return impl_->calls.counters();
}

} // namespace taosync::api
