#include "api/client.hpp"

#include "api/call_params.hpp"
#include "api/caller.hpp"
#include "api/parse.hpp"
#include "api/token_keeper.hpp"
#include "api/url.hpp"
#include "model/endpoints.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace taosync::api {
namespace {

Url checked_gateway(const std::string& text, std::string_view key, bool allow_insecure_http) {
  Url url;
  try {
    url = parse_url(text);
  } catch (const std::invalid_argument& e) {
    throw ApiFailure(
        ApiError{ErrorKind::fatal, "bad_url", std::string(key) + ": " + e.what(), {}, {}});
  }
  check_transport_security(url, key, allow_insecure_http);
  return url;
}

} // namespace

struct Client::Impl {
  Impl(std::shared_ptr<Caller> shared, Tokens tokens, TokenSaver save)
      : base(checked_gateway(shared->settings().base_url, "api.base_url",
                             shared->settings().allow_insecure_http)),
        auth(checked_gateway(shared->settings().auth_url, "api.auth_url",
                             shared->settings().allow_insecure_http)),
        caller_ptr(std::move(shared)), caller(*caller_ptr),
        keeper(std::move(tokens), std::move(save), caller, auth) {}

  // One business call: retries inside the caller; one token refresh on IllegalAccessToken.
  template <class T>
  net::awaitable<T> call(std::string_view path, Params business,
                         Outcome<T> (*parse)(std::string_view)) {
    const std::string description = describe_call(path, business);
    std::optional<T> result;
    const BodyHandler handle = [&](std::string_view body) -> std::optional<ApiError> {
      auto outcome = parse(body);
      if (!outcome.ok())
        return outcome.error();
      result = std::move(outcome.value());
      return std::nullopt;
    };
    for (bool refreshed = false;; refreshed = true) {
      co_await keeper.save_pending();
      const auto generation = keeper.generation();
      const CallSpec spec{&base, path, &business, keeper.access_token(), description, &tally};
      auto error = co_await caller.run(spec, handle);
      if (!error)
        co_return std::move(*result);
      if (error->kind == ErrorKind::auth && !refreshed) {
        co_await keeper.refresh_after_refusal(generation);
        caller.count_retry(&tally);
        continue;
      }
      if (error->kind == ErrorKind::auth) {
        error->kind = ErrorKind::refresh_dead;
        error->message += " (still refused after a token refresh; the seller must "
                          "re-authorize the app)";
      }
      error->message = description + ": " + error->message;
      throw ApiFailure(std::move(*error)); // the one throw of a failed call; the catcher logs
    }
  }

  // One page of /orders/get; its newest modification time is a reading of the platform's clock
  // finer than the Date's second.
  net::awaitable<Page<Order>> list_orders(Params params) {
    auto page =
        co_await call<Page<Order>>(model::kOrdersPath, std::move(params), parse_orders_page);
    const auto newest =
        std::max_element(page.items.begin(), page.items.end(), [](const Order& a, const Order& b) {
          return a.modification_time < b.modification_time;
        });
    if (newest != page.items.end())
      caller.observe_platform_time(newest->modification_time, std::chrono::steady_clock::now());
    co_return page;
  }

  Url base;
  Url auth;
  std::shared_ptr<Caller> caller_ptr;
  Caller& caller;
  TokenKeeper keeper;
  CallCounters tally; ///< this client's calls (its caller may serve other shops too)
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
  return impl_->caller.platform_clock();
}

net::awaitable<Page<OrderLine>> Client::get_lines(const std::vector<std::string>& line_ids) {
  if (line_ids.empty())
    co_return Page<OrderLine>{};
  const int batch_size = impl_->caller.settings().items_batch_size;
  if (line_ids.size() > static_cast<std::size_t>(batch_size))
    throw std::invalid_argument("get_lines: " + std::to_string(line_ids.size()) +
                                " ids exceed api.items_batch_size " + std::to_string(batch_size));
  co_return co_await impl_->call<Page<OrderLine>>(model::kLinesPath, lines_params(line_ids),
                                                  parse_lines_page);
}

net::awaitable<OrderDetail> Client::get_order(const std::string& trade_order_id) {
  return impl_->call<OrderDetail>(model::kOrderPath, order_params(trade_order_id),
                                  parse_order_detail);
}

void Client::reconfigure(std::shared_ptr<const config::ApiConfig> cfg) {
  impl_->caller.reconfigure(std::move(cfg));
}

void Client::cancel() {
  impl_->caller.cancel();
}

const model::ListingRules& Client::listing_rules() const {
  // Times in milliseconds, Page_Size up to 100 on the platform, any page reachable, and
  // /order/items/get by the line ids each listed order carries.
  static const model::ListingRules taobao{.resolution = std::chrono::milliseconds(1),
                                          .max_page_size = 100,
                                          .offset_cap = 0,
                                          .lines_by = model::LinesBy::line_id,
                                          .max_ids_per_line_call = 50};
  return taobao;
}

CallCounters Client::counters() const {
  CallCounters counters = impl_->tally;
  counters.refreshes = impl_->keeper.refreshes();
  return counters;
}

} // namespace taosync::api
