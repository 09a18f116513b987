#include "gate.hpp"

#include "prng.hpp"

#include "model/rules.hpp"

#include <charconv>
#include <cstdlib>

namespace taosync::sim {

namespace {

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && model::hex_value(text[i + 1]) >= 0 &&
               model::hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(model::hex_value(text[i + 1]) * 16 + model::hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string token_text(std::string_view kind, std::uint64_t seed, std::uint64_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "sim-" + std::string(kind) + "-" + std::to_string(n) + "-";
  auto h = hash_of(seed, n, kind.size());
  for (int i = 0; i < 16; ++i, h >>= 4)
    s += kHex[h & 0xF];
  return s;
}

} // namespace

ApiError missing_parameter(std::string_view name) {
  return {"ISV", "MissingParameter",
          "The input parameter \"" + std::string(name) +
              "\" that is mandatory for processing this request is not supplied."};
}

ApiError invalid_parameter(std::string_view name, std::string_view why) {
  return {"ISV", "InvalidParameter",
          "The specified parameter \"" + std::string(name) + "\" is invalid: " + std::string(why)};
}

void parse_form(std::string_view text, api::Params& out) {
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto key = url_decode(pair.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::string{} : url_decode(pair.substr(eq + 1));
    out[key] = value;
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

TokenBook::TokenBook(std::string access_token, std::string refresh_token,
                     std::chrono::milliseconds ttl, std::int64_t now_ms, std::uint64_t seed,
                     std::string suffix)
    : access_(std::move(access_token)),
      access_expires_ms_(ttl.count() > 0 ? now_ms + ttl.count() : INT64_MAX), ttl_(ttl),
      seed_(seed), suffix_(std::move(suffix)) {
  refresh_tokens_.insert(std::move(refresh_token));
}

bool TokenBook::access_ok(std::string_view token, std::int64_t now_ms) const {
  return token == access_ && now_ms < access_expires_ms_;
}

std::optional<IssuedTokens> TokenBook::refresh(std::string_view refresh_token,
                                               std::int64_t now_ms) {
  if (!refresh_tokens_.contains(refresh_token))
    return std::nullopt;
  ++issued_;
  IssuedTokens t;
  t.access_token = token_text("access", seed_, issued_) + suffix_;
  t.refresh_token = token_text("refresh", seed_, issued_) + suffix_;
  using namespace std::chrono;
  t.expires_in = ttl_.count() > 0 ? duration_cast<seconds>(ttl_) : seconds(days(30));
  t.refresh_expires_in = seconds(days(180));
  access_ = t.access_token;
  access_expires_ms_ = ttl_.count() > 0 ? now_ms + ttl_.count() : INT64_MAX;
  refresh_tokens_.insert(t.refresh_token);
  return t;
}

std::optional<ApiError> check_call(std::string_view api_path, const api::Params& params,
                                   const GateConfig& config, const TokenBook* tokens,
                                   std::int64_t now_ms, bool is_token_call) {
  for (const char* name : {"app_key", "timestamp", "sign_method", "sign"})
    if (auto it = params.find(name); it == params.end() || it->second.empty())
      return missing_parameter(name);
  if (!is_token_call)
    if (auto it = params.find("access_token"); it == params.end() || it->second.empty())
      return missing_parameter("access_token");
  if (params.at("app_key") != config.app_key)
    return invalid_parameter("app_key", "unknown app");
  if (params.at("sign_method") != "sha256")
    return invalid_parameter("sign_method", "only sha256 is supported");
  const auto& ts = params.at("timestamp");
  std::int64_t ts_ms = 0;
  auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), ts_ms);
  if (ec != std::errc{} || end != ts.data() + ts.size())
    return invalid_parameter("timestamp", "not epoch milliseconds");
  auto skew = std::chrono::milliseconds(std::llabs(now_ms - ts_ms));
  if (skew > config.max_skew)
    return invalid_parameter("timestamp", "more than 7200 seconds away from UTC");
  if (api::sign(api_path, params, config.app_secret) != params.at("sign"))
    return ApiError{"ISV", "IncompleteSignature",
                    "The request signature does not conform to platform standards"};
  if (!is_token_call &&
      (tokens == nullptr || !tokens->access_ok(params.at("access_token"), now_ms)))
    return ApiError{"ISV", "IllegalAccessToken",
                    "The specified access token is invalid or expired"};
  return std::nullopt;
}

} // namespace taosync::sim
