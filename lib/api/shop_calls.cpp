#include "api/shop_calls.hpp"

#include "api/call_params.hpp"

#include <algorithm>
#include <stdexcept>

namespace taosync::api {

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

ShopCalls::ShopCalls(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save,
                     const std::optional<std::string>& base_url, std::string_view base_key)
    : base_(checked_gateway(base_url.value_or(caller->settings().base_url), base_key,
                            caller->settings().allow_insecure_http)),
      auth_(checked_gateway(caller->settings().auth_url, "api.auth_url",
                            caller->settings().allow_insecure_http)),
      caller_(std::move(caller)), keeper_(std::move(tokens), std::move(save), *caller_, auth_) {}

net::awaitable<void> ShopCalls::run(std::string_view path, Params business,
                                    const BodyHandler& handle) {
  const std::string description = describe_call(path, business);
  for (bool refreshed = false;; refreshed = true) {
    co_await keeper_.save_pending();
    const auto generation = keeper_.generation();
    const CallSpec spec{&base_, path, &business, keeper_.access_token(), description, &tally_};
    auto error = co_await caller_->run(spec, handle);
    if (!error)
      co_return;
    if (error->kind == ErrorKind::auth && !refreshed) {
      co_await keeper_.refresh_after_refusal(generation);
      caller_->count_retry(&tally_);
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

void ShopCalls::observe_listing(const Page<Order>& page) {
  const auto newest =
      std::max_element(page.items.begin(), page.items.end(), [](const Order& a, const Order& b) {
        return a.modification_time < b.modification_time;
      });
  if (newest != page.items.end())
    caller_->observe_platform_time(newest->modification_time, std::chrono::steady_clock::now());
}

CallCounters ShopCalls::counters() const {
  CallCounters counters = tally_;
  counters.refreshes = keeper_.refreshes();
  return counters;
}

} // namespace taosync::api
