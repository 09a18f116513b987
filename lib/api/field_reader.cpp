#include "api/field_reader.hpp"

#include <boost/json/value.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace taosync::api {
namespace {

namespace json = boost::json;

// Year 9999 in epoch ms: anything later is not a time this API sends.
constexpr std::int64_t kMaxEpochMs = 253402300799999;

const char* kind_name(const json::value& v) {
  switch (v.kind()) {
  case json::kind::null:
    return "null";
  case json::kind::bool_:
    return "a boolean";
  case json::kind::int64:
  case json::kind::uint64:
  case json::kind::double_:
    return "a number";
  case json::kind::string:
    return "a string";
  case json::kind::array:
    return "an array";
  case json::kind::object:
    return "an object";
  }
  return "unknown";
}

std::string_view view(const json::string& s) {
  return {s.data(), s.size()};
}

} // namespace

FieldReader::FieldReader(const json::object& object, std::string_view parent,
                         std::optional<std::size_t> index)
    : object_(object), parent_(parent), index_(index) {}

std::string FieldReader::field_name(std::string_view key) const {
  std::string name(parent_);
  if (index_)
    name += "[" + std::to_string(*index_) + "]";
  if (!name.empty())
    name += '.';
  name += key;
  return name;
}

void FieldReader::fail(std::string_view key, std::string_view problem) {
  if (!reason_.empty())
    return;
  reason_ = field_name(key);
  reason_ += ": ";
  reason_ += problem;
}

void FieldReader::merge(const FieldReader& nested) {
  if (reason_.empty())
    reason_ = nested.reason_;
}

const json::value* FieldReader::find(std::string_view key) const {
  return object_.if_contains(json::string_view(key.data(), key.size()));
}

// PostgreSQL text cannot hold NUL, and a 1 MiB "title" is a broken record.
bool FieldReader::check_text(std::string_view key, std::string_view text) {
  if (text.size() > kMaxFieldBytes) {
    fail(key, "too long (" + std::to_string(text.size()) + " bytes, limit " +
                  std::to_string(kMaxFieldBytes) + ")");
    return false;
  }
  if (text.find('\0') != std::string_view::npos) {
    fail(key, "contains a NUL character");
    return false;
  }
  return true;
}

std::string FieldReader::string(std::string_view key, Presence presence) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_null()) {
    if (presence == Presence::required)
      fail(key, v == nullptr ? "missing" : "null");
    return {};
  }
  const json::string* s = v->if_string();
  if (s == nullptr) {
    fail(key, std::string("expected a string, got ") + kind_name(*v));
    return {};
  }
  if (!check_text(key, view(*s)))
    return {};
  return std::string(view(*s));
}

std::optional<std::string> FieldReader::optional_string(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_null())
    return std::nullopt;
  return string(key, Presence::optional);
}

std::string FieldReader::id(std::string_view key) {
  std::string value = string(key, Presence::required);
  if (!ok())
    return value;
  if (value.empty())
    fail(key, "empty id");
  else if (value.size() > kMaxIdBytes)
    fail(key, "id too long (" + std::to_string(value.size()) + " bytes)");
  return value;
}

std::string FieldReader::id_or_number(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_string() || v->is_null())
    return id(key);
  const std::int64_t number = integer(key, Presence::required);
  if (ok() && number < 0)
    fail(key, "negative id (" + std::to_string(number) + ")");
  return ok() ? std::to_string(number) : std::string();
}

std::int64_t FieldReader::integer_or_text(std::string_view key, Presence presence) {
  const json::value* v = find(key);
  const json::string* s = v == nullptr ? nullptr : v->if_string();
  if (s == nullptr)
    return integer(key, presence);
  const std::string_view text = view(*s);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    fail(key, ec == std::errc::result_out_of_range ? "integer out of range (past int64)"
                                                   : "not an integer");
    return 0;
  }
  return value;
}

std::int64_t FieldReader::integer(std::string_view key, Presence presence) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_null()) {
    if (presence == Presence::required)
      fail(key, v == nullptr ? "missing" : "null");
    return 0;
  }
  if (const auto* i = v->if_int64())
    return *i;
  if (const auto* u = v->if_uint64(); u != nullptr) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(*u);
    fail(key, "integer out of range (past int64)");
    return 0;
  }
  // An integer literal past uint64 arrives as a double: it is out of range, not a fraction.
  if (const auto* d = v->if_double(); d != nullptr && !(std::abs(*d) < 0x1p63)) {
    fail(key, "integer out of range (past int64)");
    return 0;
  }
  fail(key, std::string("expected an integer, got ") + kind_name(*v));
  return 0;
}

TimePoint FieldReader::time(std::string_view key, Presence presence) {
  const bool had_problem = !ok();
  const std::int64_t ms = integer(key, presence);
  if (!had_problem && ok() && (ms < 0 || ms > kMaxEpochMs))
    fail(key, "not an epoch-milliseconds time (" + std::to_string(ms) + ")");
  return TimePoint(std::chrono::milliseconds(ms));
}

Money FieldReader::money(std::string_view amount_key, std::string_view currency_key) {
  Money money;
  money.amount = string(amount_key);
  money.currency_code = string(currency_key);
  if (money.amount.empty())
    return money;
  if (money.amount.size() > kMaxAmountBytes || !is_decimal(money.amount))
    fail(amount_key, "not a decimal number");
  return money;
}

const json::object* FieldReader::object(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_null())
    return nullptr;
  const json::object* o = v->if_object();
  if (o == nullptr)
    fail(key, std::string("expected an object, got ") + kind_name(*v));
  return o;
}

const json::array* FieldReader::array(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr || v->is_null())
    return nullptr;
  const json::array* a = v->if_array();
  if (a == nullptr)
    fail(key, std::string("expected an array, got ") + kind_name(*v));
  return a;
}

} // namespace taosync::api
