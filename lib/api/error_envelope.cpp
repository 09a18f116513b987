#include "api/error_envelope.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace taosync::api {
namespace {

namespace json = boost::json;

// Platform text is echoed into logs; keep it to a line.
constexpr std::size_t kMaxMessageBytes = 300;

struct KnownCode {
  std::string_view code;
  ErrorKind kind;
};

constexpr std::array kKnownCodes{
    KnownCode{"ApiCallLimit", ErrorKind::throttled},
    KnownCode{"IllegalAccessToken", ErrorKind::auth},
    KnownCode{"IllegalRefreshToken", ErrorKind::refresh_dead},
    KnownCode{"IncompleteSignature", ErrorKind::fatal},
    KnownCode{"MissingParameter", ErrorKind::fatal},
    KnownCode{"InvalidParameter", ErrorKind::fatal},
};

std::string_view string_field(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr)
    return {};
  if (const auto* s = v->if_string())
    return {s->data(), s->size()};
  return {};
}

std::string clip(std::string_view text) {
  return std::string(text.substr(0, std::min(text.size(), kMaxMessageBytes)));
}

} // namespace

std::chrono::seconds parse_ban(std::string_view message) {
  constexpr std::string_view kMarker = "ban will last ";
  const auto pos = message.find(kMarker);
  if (pos == std::string_view::npos)
    return kDefaultBan;
  const char* first = message.data() + pos + kMarker.size();
  const char* last = message.data() + message.size();
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(first, last, seconds);
  if (ec != std::errc{} || end == first || seconds <= 0)
    return kDefaultBan;
  return std::chrono::seconds(std::min(seconds, 24LL * 3600));
}

ApiError classify_error(std::string_view endpoint, std::string_view type, std::string_view code,
                        std::string_view message) {
  ApiError error;
  error.code = code.empty() ? std::string("unknown_error") : std::string(code);
  error.message = std::string(endpoint) + ": " + clip(message);
  const auto known = std::find_if(kKnownCodes.begin(), kKnownCodes.end(),
                                  [&](const KnownCode& k) { return k.code == code; });
  if (known != kKnownCodes.end())
    error.kind = known->kind;
  else if (type == "ISP" || type == "SYSTEM")
    error.kind = ErrorKind::transient;
  else
    error.kind = ErrorKind::fatal;
  if (error.kind == ErrorKind::throttled)
    error.ban = parse_ban(message);
  return error;
}

std::optional<ApiError> envelope_error(std::string_view endpoint, const json::value& root) {
  const auto* object = root.if_object();
  if (object == nullptr)
    return malformed_body(endpoint, "not a JSON object");
  const auto* code = object->if_contains("code");
  if (code == nullptr || (code->is_string() && code->get_string() == "0") ||
      (code->is_int64() && code->get_int64() == 0))
    return std::nullopt;
  const std::string code_text =
      code->is_string() ? std::string(code->get_string()) : json::serialize(*code);
  ApiError error = classify_error(endpoint, string_field(*object, "type"), code_text,
                                  string_field(*object, "message"));
  error.request_id = clip(string_field(*object, "request_id"));
  return error;
}

ApiError malformed_body(std::string_view endpoint, std::string_view detail) {
  ApiError error;
  error.kind = ErrorKind::transient;
  error.code = "malformed_body";
  error.message =
      std::string(endpoint) + ": response is not the expected JSON (" + clip(detail) + ")";
  return error;
}

} // namespace taosync::api
