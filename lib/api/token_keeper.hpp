#pragma once
// The shop's tokens and their one refresh: when calls are refused with IllegalAccessToken,
// exactly one /auth/token/refresh runs, however many calls were refused at once; the new
// tokens are persisted (TokenSaver, awaited) before any call uses them.

#include "api/caller.hpp"
#include "api/client.hpp"

#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>

namespace taosync::api {

/// Holds the tokens and refreshes them. Single-threaded, like the Caller it uses.
class TokenKeeper {
public:
  TokenKeeper(Tokens tokens, TokenSaver save, Caller& caller, const Url& auth_gateway);

  /// The access token to send now.
  const std::string& access_token() const { return tokens_.access_token; }
  /// Bumped each time new tokens are adopted.
  std::uint64_t generation() const { return generation_; }
  /// Refreshes completed.
  std::uint64_t refreshes() const { return refreshes_; }

  /// Called after a call sent with token `seen_generation` was refused: refreshes, or joins
  /// the refresh already running, or returns at once when a newer token exists. Throws
  /// ApiFailure (refresh_dead when the seller must re-authorize) when no new token comes.
  net::awaitable<void> refresh_after_refusal(std::uint64_t seen_generation);

  /// Persists and adopts tokens whose earlier save failed; a no-op normally.
  net::awaitable<void> save_pending();

private:
  struct Flight {
    explicit Flight(net::any_io_executor executor);
    net::steady_timer done; ///< cancelled when the refresh ends
    std::exception_ptr failure;
  };

  net::awaitable<void> refresh();
  net::awaitable<Tokens> request_new_tokens();

  Tokens tokens_;
  std::optional<Tokens> pending_; ///< refreshed but not yet saved
  TokenSaver save_;
  Caller& caller_;
  const Url& auth_gateway_;
  std::uint64_t generation_ = 0;
  std::uint64_t refreshes_ = 0;
  std::shared_ptr<Flight> flight_; ///< the refresh in progress, if any
};

} // namespace taosync::api
