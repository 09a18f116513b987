#include "api/record_checks.hpp"

#include "model/utf8.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace taosync::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// PostgreSQL 13's numeric input: an exponent past ±1000 is refused outright (later versions
// accept more, but the oldest supported server decides), and a value keeps at most 131072
// digits before the decimal point and 16383 after it.
constexpr std::int64_t kMaxExponent = 1000;
constexpr std::int64_t kMaxDigitsBefore = 131072;
constexpr std::int64_t kMaxDigitsAfter = 16383;
constexpr std::size_t kMaxQuoted = 40; // how much of a bad number a reason quotes

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A character of a number token as JSON writes it, or of the Infinity/NaN a serializer writes.
bool in_number_token(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' ||
         c == '-';
}

/// Object keys and the first unstorable number of the JSON text `raw`, in one pass.
struct TextCensus {
  std::size_t keys = 0;
  std::optional<std::string> number; ///< the first number jsonb cannot hold, as a reason
};

TextCensus census_of(std::string_view raw) {
  TextCensus census;
  for (std::size_t i = 0; i < raw.size();) {
    const char c = raw[i];
    if (c == '"') {
      for (++i; i < raw.size() && raw[i] != '"'; ++i)
        if (raw[i] == '\\')
          ++i; // skip the escaped character
      std::size_t j = ++i;
      while (j < raw.size() && is_space(raw[j]))
        ++j;
      if (j < raw.size() && raw[j] == ':')
        ++census.keys; // a string followed by a colon is a key
      continue;
    }
    // true, false and null start lowercase; numbers with '-' or a digit; Infinity and NaN (a
    // serializer's, never valid JSON) with a capital.
    if (c == '-' || is_digit(c) || c == 'I' || c == 'N') {
      const std::size_t start = i;
      while (i < raw.size() && in_number_token(raw[i]))
        ++i;
      if (!census.number) {
        const auto literal = raw.substr(start, i - start);
        if (auto problem = number_problem(literal))
          census.number = "record holds a number jsonb cannot store at byte " +
                          std::to_string(start) + ": " +
                          std::string(literal.substr(0, kMaxQuoted)) +
                          (literal.size() > kMaxQuoted ? "..." : "") + " (" + *problem + ")";
      }
      continue;
    }
    ++i;
  }
  return census;
}

/// Keys of every object in the parsed value (duplicates in the text collapsed to one).
std::size_t keys_in_value(const json::value& v) {
  std::size_t keys = 0;
  if (const auto* o = v.if_object()) {
    keys += o->size();
    for (const auto& field : *o)
      keys += keys_in_value(field.value());
  } else if (const auto* a = v.if_array()) {
    for (const auto& item : *a)
      keys += keys_in_value(item);
  }
  return keys;
}

/// The digits at the start of `s`, moved past.
std::string_view take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n]))
    ++n;
  const auto digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

} // namespace

std::string_view without_bom(std::string_view body) {
  return body.starts_with(kBom) ? body.substr(kBom.size()) : body;
}

bool has_duplicate_keys(std::string_view raw, const json::value& value) {
  return census_of(raw).keys != keys_in_value(value);
}

std::optional<std::string> number_problem(std::string_view literal) {
  std::string_view s = literal;
  if (s.starts_with('-'))
    s.remove_prefix(1);
  const auto whole = take_digits(s);
  if (whole.empty())
    return "not a finite number";
  std::string_view fraction;
  if (s.starts_with('.')) {
    s.remove_prefix(1);
    fraction = take_digits(s);
  }
  std::int64_t exponent = 0;
  if (s.starts_with('e') || s.starts_with('E')) {
    s.remove_prefix(1);
    const bool negative = s.starts_with('-');
    if (negative || s.starts_with('+'))
      s.remove_prefix(1);
    for (const char d : take_digits(s))
      exponent = std::min<std::int64_t>(exponent * 10 + (d - '0'), 10 * kMaxExponent);
    exponent = negative ? -exponent : exponent;
  }
  if (!s.empty())
    return "not a JSON number";
  if (std::llabs(exponent) > kMaxExponent)
    return "its exponent is past ±" + std::to_string(kMaxExponent);
  const auto significant = whole.find_first_not_of('0');
  const auto before = significant == std::string_view::npos
                          ? 0
                          : static_cast<std::int64_t>(whole.size() - significant);
  if (before > 0 && before + exponent > kMaxDigitsBefore)
    return "more than " + std::to_string(kMaxDigitsBefore) + " digits before the decimal point";
  if (static_cast<std::int64_t>(fraction.size()) - exponent > kMaxDigitsAfter)
    return "more than " + std::to_string(kMaxDigitsAfter) + " digits after the decimal point";
  return std::nullopt;
}

std::optional<std::string> stored_number_problem(std::string_view raw) {
  return census_of(raw).number;
}

std::optional<std::string> record_text_problem(std::string_view raw, const json::value& record) {
  if (const auto at = model::invalid_utf8_at(raw))
    return "record contains invalid UTF-8 at byte " + std::to_string(*at);
  auto census = census_of(raw);
  if (census.keys != keys_in_value(record))
    return "record is ambiguous: a key appears more than once";
  if (census.number)
    return std::move(census.number);
  return std::nullopt;
}

} // namespace taosync::api
