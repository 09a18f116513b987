#include "api/record_checks.hpp"

#include <cstdint>
#include <string>

namespace taosync::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80)
    return 1;
  std::size_t len = 0;
  std::uint32_t min = 0;
  std::uint32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

/// Object keys in the JSON text `raw` (a string followed by a colon), at every depth.
std::size_t keys_in_text(std::string_view raw) {
  std::size_t keys = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '"')
      continue;
    for (++i; i < raw.size() && raw[i] != '"'; ++i)
      if (raw[i] == '\\')
        ++i; // skip the escaped character
    std::size_t j = i + 1;
    while (j < raw.size() && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r'))
      ++j;
    if (j < raw.size() && raw[j] == ':')
      ++keys;
  }
  return keys;
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

} // namespace

std::string_view without_bom(std::string_view body) {
  return body.starts_with(kBom) ? body.substr(kBom.size()) : body;
}

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // ASCII runs are the common case: skip them a byte at a time without decoding
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = sequence_length(text, i);
    if (len == 0)
      return i;
    i += len;
  }
  return std::nullopt;
}

bool has_duplicate_keys(std::string_view raw, const json::value& value) {
  return keys_in_text(raw) != keys_in_value(value);
}

std::optional<std::string> record_text_problem(std::string_view raw, const json::value& record) {
  if (const auto at = invalid_utf8_at(raw))
    return "record contains invalid UTF-8 at byte " + std::to_string(*at);
  if (has_duplicate_keys(raw, record))
    return "record is ambiguous: a key appears more than once";
  return std::nullopt;
}

} // namespace taosync::api
