#include "api/token_keeper.hpp"

#include "api/call_params.hpp"
#include "api/parse.hpp"
#include "model/endpoints.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

namespace taosync::api {
namespace {

ApiFailure refresh_dead(std::string code, const std::string& why) {
  return ApiFailure(
      ApiError{ErrorKind::refresh_dead,
               std::move(code),
               "the access token was refused and " + why + "; the seller must re-authorize the app",
               {},
               {}});
}

} // namespace

TokenKeeper::Flight::Flight(net::any_io_executor executor)
    : done(executor, net::steady_timer::time_point::max()) {}

TokenKeeper::TokenKeeper(Tokens tokens, TokenSaver save, Caller& caller, const Url& auth_gateway)
    : tokens_(std::move(tokens)), save_(std::move(save)), caller_(caller),
      auth_gateway_(auth_gateway) {}

net::awaitable<void> TokenKeeper::save_pending() {
  if (!pending_)
    co_return;
  const Tokens fresh = *pending_;
  if (save_)
    co_await save_(fresh);
  if (pending_ && pending_->access_token == fresh.access_token) {
    tokens_ = fresh;
    pending_.reset();
    ++generation_;
  }
}

net::awaitable<void> TokenKeeper::refresh_after_refusal(std::uint64_t seen_generation) {
  if (generation_ != seen_generation)
    co_return; // another call refreshed meanwhile: just retry with the new token
  if (auto flight = flight_) {
    // Cancelling the timer is how the running refresh says it ended.
    co_await flight->done.async_wait(net::as_tuple(net::use_awaitable));
    if (flight->failure)
      std::rethrow_exception(flight->failure);
    co_return;
  }
  auto flight = std::make_shared<Flight>(co_await net::this_coro::executor);
  flight_ = flight;
  try {
    co_await refresh();
  } catch (...) {
    flight->failure = std::current_exception();
  }
  flight_.reset();
  flight->done.cancel();
  if (flight->failure)
    std::rethrow_exception(flight->failure);
}

net::awaitable<void> TokenKeeper::refresh() {
  if (pending_) { // refreshed before, but the save failed: save those instead
    co_await save_pending();
    co_return;
  }
  pending_ = co_await request_new_tokens();
  ++refreshes_;
  co_await save_pending();
  spdlog::info("access token refreshed and saved (generation {})", generation_);
}

net::awaitable<Tokens> TokenKeeper::request_new_tokens() {
  if (tokens_.refresh_token.empty())
    throw refresh_dead("no_refresh_token", "no refresh token is configured");
  const Params business{{"refresh_token", tokens_.refresh_token}};
  const std::string description = describe_call(model::kRefreshPath, {});
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::optional<Tokens> fresh;
  const BodyHandler handle = [&](std::string_view body) -> std::optional<ApiError> {
    auto outcome = parse_token_refresh(body, now);
    if (!outcome.ok())
      return outcome.error();
    for (const auto& warning : outcome.value().warnings)
      spdlog::warn("{}", warning);
    fresh = std::move(outcome.value().tokens);
    return std::nullopt;
  };
  spdlog::warn("access token refused; refreshing it through {}", model::kRefreshPath);
  const CallSpec spec{&auth_gateway_, model::kRefreshPath, &business, {}, description};
  if (auto error = co_await caller_.run(spec, handle)) {
    // The platform could not be asked (retries spent): try again later, the token may be fine.
    if (error->kind == ErrorKind::transient || error->kind == ErrorKind::throttled) {
      error->message = description + ": " + error->message;
      throw ApiFailure(std::move(*error));
    }
    throw refresh_dead(error->code, std::string(model::kRefreshPath) + " answered " + error->code +
                                        ": " + error->message);
  }
  if (fresh->refresh_token.empty()) // some gateways keep the old refresh token valid
    fresh->refresh_token = tokens_.refresh_token;
  co_return std::move(*fresh);
}

} // namespace taosync::api
