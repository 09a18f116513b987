#pragma once
// What the gateway checks before an API call reaches the shop: system parameters, timestamp,
// signature and tokens; and the platform's error envelope.

#include "api/signer.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace taosync::sim {

/// A platform error: sent as HTTP 200 with {"type","code","message","request_id"}.
struct ApiError {
  std::string type = "ISV";
  std::string code;
  std::string message;
};

/// MissingParameter naming the parameter.
ApiError missing_parameter(std::string_view name);

/// InvalidParameter naming the parameter and why.
ApiError invalid_parameter(std::string_view name, std::string_view why);

/// Decodes an application/x-www-form-urlencoded string (a query string or a POST body) into
/// `out`; '+' is a space. Later duplicates win.
void parse_form(std::string_view text, api::Params& out);

/// Percent-encodes a value for a query string (used by clients and tests).
std::string url_encode(std::string_view text);

/// New tokens as /auth/token/refresh returns them.
struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  std::chrono::seconds refresh_expires_in{0};
};

/// The seller's tokens. One access token is valid at a time; refresh tokens stay valid.
class TokenBook {
public:
  /// `ttl` 0 = the access token never expires. Every issued token ends in `suffix`, so that
  /// the books of several sellers never issue the same token.
  TokenBook(std::string access_token, std::string refresh_token, std::chrono::milliseconds ttl,
            std::int64_t now_ms, std::uint64_t seed, std::string suffix = {});

  /// True if `token` is the current access token and has not expired at `now_ms`.
  bool access_ok(std::string_view token, std::int64_t now_ms) const;

  /// True if `token` is the current access token, expired or not.
  bool holds_access(std::string_view token) const { return token == access_; }

  /// True if `token` is a valid refresh token.
  bool knows_refresh(std::string_view token) const { return refresh_tokens_.contains(token); }

  /// The current access token.
  const std::string& access_token() const { return access_; }

  /// The current access token stops working at `now_ms`.
  void expire_access(std::int64_t now_ms) { access_expires_ms_ = now_ms; }

  /// Every refresh token stops working (the seller withdrew the app's authorisation).
  void revoke_refresh_tokens() { refresh_tokens_.clear(); }

  /// Issues a new pair for a known refresh token (the old access token dies), or nullopt.
  std::optional<IssuedTokens> refresh(std::string_view refresh_token, std::int64_t now_ms);

private:
  std::string access_;
  std::int64_t access_expires_ms_;
  std::set<std::string, std::less<>> refresh_tokens_;
  std::chrono::milliseconds ttl_;
  std::uint64_t seed_;
  std::string suffix_;
  std::uint64_t issued_ = 0;
};

/// Settings of the gateway checks.
struct GateConfig {
  std::string app_key;
  std::string app_secret;
  std::chrono::seconds max_skew{7200};
};

/// Checks app_key, timestamp, sign_method, sign and (unless `is_token_call`) access_token of
/// a call to `api_path` ("/orders/get") against `tokens`, the book of the seller the access
/// token names (nullptr: it names none). Returns the first error, or nullopt.
std::optional<ApiError> check_call(std::string_view api_path, const api::Params& params,
                                   const GateConfig& config, const TokenBook* tokens,
                                   std::int64_t now_ms, bool is_token_call);

} // namespace taosync::sim
