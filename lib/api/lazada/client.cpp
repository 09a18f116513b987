#include "api/lazada/client.hpp"

#include "api/lazada/answers.hpp"
#include "api/lazada/time_text.hpp"
#include "api/shop_calls.hpp"
#include "model/endpoints.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace taosync::api::lazada {
namespace {

// ids as Lazada's order_ids takes them: [42922,32793].
std::string id_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0)
      out += ',';
    out += ids[i];
  }
  return out + "]";
}

Params one_param(std::string name, std::string value) {
  Params params;
  params.emplace(std::move(name), std::move(value));
  return params;
}

Params orders_params(const OrdersQuery& query) {
  const auto offset = static_cast<std::int64_t>(query.page - 1) * query.page_size;
  if (query.page < 1 || query.page_size < 1 || offset + query.page_size > kOffsetCap)
    throw std::invalid_argument("lazada list_orders: page " + std::to_string(query.page) + " of " +
                                std::to_string(query.page_size) + " reaches past the offset cap " +
                                std::to_string(kOffsetCap));
  Params params{{"update_after", format_time(query.modified_from)},
                {"update_before", format_time(query.modified_to)},
                {"sort_by", "updated_at"},
                {"sort_direction", "ASC"},
                {"offset", std::to_string(offset)},
                {"limit", std::to_string(query.page_size)}};
  if (query.created_from)
    params.emplace("created_after", format_time(*query.created_from));
  if (query.created_to)
    params.emplace("created_before", format_time(*query.created_to));
  return params;
}

} // namespace

std::optional<Country> country_of(std::string_view code) {
  // The seller API gateway and the currency of each country Lazada sells in.
  static constexpr std::array<Country, 6> kCountries{{
      {"sg", "https://api.lazada.sg/rest", "SGD"},
      {"my", "https://api.lazada.com.my/rest", "MYR"},
      {"th", "https://api.lazada.co.th/rest", "THB"},
      {"ph", "https://api.lazada.com.ph/rest", "PHP"},
      {"vn", "https://api.lazada.vn/rest", "VND"},
      {"id", "https://api.lazada.co.id/rest", "IDR"},
  }};
  for (const auto& c : kCountries)
    if (c.code == code)
      return c;
  return std::nullopt;
}

struct Client::Impl {
  Impl(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save, const std::string& base_url,
       std::string amounts_in)
      : calls(std::move(caller), std::move(tokens), std::move(save), base_url, "shops[].base_url"),
        currency(std::move(amounts_in)) {}

  net::awaitable<Page<Order>> list_orders(Params params) {
    auto page = co_await calls.call<Page<Order>>(
        model::kOrdersPath, std::move(params),
        [this](std::string_view body) { return parse_orders_page(body, currency); });
    calls.observe_listing(page);
    co_return page;
  }

  net::awaitable<Page<OrderLine>> items(std::vector<std::string> order_ids) {
    co_return co_await calls.call<Page<OrderLine>>(
        kItemsPath, one_param("order_ids", id_list(order_ids)),
        [this](std::string_view body) { return parse_items_page(body, currency); });
  }

  net::awaitable<OrderDetail> order(std::string id) {
    auto detail = co_await calls.call<OrderDetail>(
        model::kOrderPath, one_param("order_id", id),
        [this](std::string_view body) { return parse_order(body, currency); });
    if (detail.order.trade_order_id.empty())
      co_return detail; // the order itself was rejected: its items would have nothing to join
    std::vector<std::string> ids{id}; // named: GCC 12 co_await (docs/design.md)
    auto lines = co_await items(std::move(ids));
    detail.lines = std::move(lines.items);
    for (auto& rejected : lines.rejected)
      detail.rejected.push_back(std::move(rejected));
    co_return detail;
  }

  ShopCalls calls;
  std::string currency;
};

Client::Client(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save_tokens,
               const std::string& base_url, std::string currency)
    : impl_(std::make_unique<Impl>(std::move(caller), std::move(tokens), std::move(save_tokens),
                                   base_url, std::move(currency))) {}

Client::~Client() = default;

const model::ListingRules& Client::listing_rules() const {
  static const model::ListingRules lazada{.resolution = std::chrono::seconds(1),
                                          .max_page_size = 100,
                                          .offset_cap = kOffsetCap,
                                          .creation_filter = true,
                                          .lines_by = model::LinesBy::order_id,
                                          .max_ids_per_line_call = kMaxOrdersPerItemsCall};
  return lazada;
}

net::awaitable<Page<Order>> Client::list_orders(const OrdersQuery& query) {
  return impl_->list_orders(orders_params(query)); // the params are built before any suspension
}

net::awaitable<Page<OrderLine>> Client::get_lines(const std::vector<std::string>& order_ids) {
  if (order_ids.size() > static_cast<std::size_t>(kMaxOrdersPerItemsCall))
    throw std::invalid_argument("lazada get_lines: " + std::to_string(order_ids.size()) +
                                " order ids exceed " + std::to_string(kMaxOrdersPerItemsCall));
  if (order_ids.empty()) {
    co_return Page<OrderLine>{};
  }
  co_return co_await impl_->items(order_ids);
}

net::awaitable<OrderDetail> Client::get_order(const std::string& trade_order_id) {
  return impl_->order(trade_order_id);
}

const PlatformClock& Client::platform_clock() const {
  return impl_->calls.caller().platform_clock();
}

CallCounters Client::counters() const {
  return impl_->calls.counters();
}

} // namespace taosync::api::lazada
