#include "api/token_lifetime.hpp"

#include "api/error_envelope.hpp"
#include "model/endpoints.hpp"
#include "model/rules.hpp"

#include <cmath>
#include <cstdio>

namespace taosync::api {
namespace {

/// "1e+18" or "3600": the value answered, as a log line can show it.
std::string shown(long double answered) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6Lg", answered);
  return text;
}

/// The value of a string of digits ("2592000", "-5", "3600.5"), saturating far past the clamp.
long double decimal_value(std::string_view digits) {
  long double value = 0;
  bool negative = digits.starts_with('-');
  if (negative)
    digits.remove_prefix(1);
  for (const char c : digits.substr(0, digits.find('.')))
    value = std::min(value * 10 + (c - '0'), 1e30L);
  return negative ? -value : value;
}

} // namespace

TokenLifetime clamp_token_lifetime(std::string_view key, long double answered) {
  const auto low = static_cast<long double>(kMinTokenLifetime.count());
  const auto high = static_cast<long double>(kMaxTokenLifetime.count());
  TokenLifetime lifetime;
  if (answered >= low && answered <= high) {
    lifetime.value = std::chrono::seconds(static_cast<std::int64_t>(std::floor(answered)));
    return lifetime;
  }
  const bool too_long = answered > high;
  lifetime.value = too_long ? kMaxTokenLifetime : kMinTokenLifetime;
  lifetime.warning = std::string(model::kRefreshPath) + ": " + std::string(key) + " of " +
                     shown(answered) + " s is " +
                     (too_long ? "longer than a year" : "shorter than a minute") + "; taking " +
                     std::to_string(lifetime.value.count()) + " s";
  return lifetime;
}

Outcome<TokenLifetime> read_token_lifetime(const boost::json::object& answer,
                                           std::string_view key) {
  const auto* v = answer.if_contains(boost::json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null())
    return malformed_body(model::kRefreshPath, std::string(key) + ": missing");
  if (const auto* i = v->if_int64())
    return clamp_token_lifetime(key, static_cast<long double>(*i));
  if (const auto* u = v->if_uint64())
    return clamp_token_lifetime(key, static_cast<long double>(*u));
  if (const auto* d = v->if_double()) // past uint64, up to 1e999 (infinity): clamped all the same
    return clamp_token_lifetime(key, static_cast<long double>(*d));
  if (const auto* s = v->if_string();
      s != nullptr && model::is_decimal(std::string_view(s->data(), s->size())))
    return clamp_token_lifetime(key, decimal_value(std::string_view(s->data(), s->size())));
  return malformed_body(model::kRefreshPath, std::string(key) + ": not a number of seconds");
}

} // namespace taosync::api
