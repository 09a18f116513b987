#pragma once
// One shop's business calls on its app's shared caller, whatever the platform: the gateway
// URLs checked once, the shop's tokens with their one refresh on IllegalAccessToken, and the
// shop's own call counts. Each platform's client sends its paths and parameters through it.

#include "api/caller.hpp"
#include "api/client.hpp"
#include "api/token_keeper.hpp"
#include "api/url.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// `text` as a gateway URL, or ApiFailure (fatal) naming the config key `key`; plain http only
/// when allowed.
Url checked_gateway(const std::string& text, std::string_view key, bool allow_insecure_http);

/// The calls of one shop. Single-threaded, like its caller.
class ShopCalls {
public:
  /// On `caller` (shared by the app's shops): business calls go to `base_url` (named by the
  /// config key `base_key` in errors; nullopt: the caller's api.base_url), token refreshes to
  /// the caller's api.auth_url.
  ShopCalls(std::shared_ptr<Caller> caller, Tokens tokens, TokenSaver save,
            const std::optional<std::string>& base_url, std::string_view base_key);

  /// One business call: the caller retries what is transient; one token refresh follows an
  /// IllegalAccessToken. `parse` turns a 200 body into a value or the body's error. Throws
  /// ApiFailure, its message led by the call's description (never a token). Everything it
  /// takes is kept by value: the call may be awaited after its arguments are gone.
  template <class T>
  net::awaitable<T> call(std::string_view path, Params business,
                         std::function<Outcome<T>(std::string_view)> parse) {
    std::optional<T> result;
    const BodyHandler handle = [&](std::string_view body) -> std::optional<ApiError> {
      auto outcome = parse(body);
      if (!outcome.ok())
        return outcome.error();
      result = std::move(outcome.value());
      return std::nullopt;
    };
    co_await run(path, std::move(business), handle);
    co_return std::move(*result);
  }

  /// Takes the newest modification time of a listing just read: a reading of the platform's
  /// clock finer than the Date's second.
  void observe_listing(const Page<Order>& page);

  Caller& caller() { return *caller_; }
  const Caller& caller() const { return *caller_; }
  /// This shop's calls so far, with its token refreshes.
  CallCounters counters() const;

private:
  net::awaitable<void> run(std::string_view path, Params business, const BodyHandler& handle);

  Url base_;
  Url auth_;
  std::shared_ptr<Caller> caller_;
  TokenKeeper keeper_;
  CallCounters tally_; ///< this shop's calls (its caller may serve other shops too)
};

} // namespace taosync::api
