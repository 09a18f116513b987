#include "store/text_repair.hpp"

#include "model/rules.hpp"
#include "model/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace taosync::store {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid; NUL counts as
/// invalid here, because a text column refuses it.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  return s[i] == '\0' ? 0 : model::utf8_sequence_length(s, i);
}

/// The code unit of a `\uXXXX` escape at json[i] (which is the backslash), or -1.
long escape_unit(std::string_view json, std::size_t i) {
  if (i + 6 > json.size() || json[i] != '\\' || json[i + 1] != 'u')
    return -1;
  long v = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int h = model::hex_value(json[i + k]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/// Length of a jsonb-unsafe escape at json[i] (a backslash), or 0 if it is fine.
std::size_t unsafe_escape(std::string_view json, std::size_t i) {
  const long unit = escape_unit(json, i);
  if (unit == 0)
    return 6;
  if (unit >= 0xD800 && unit <= 0xDBFF) { // a high surrogate needs a low one next
    const long next = escape_unit(json, i + 6);
    return (next >= 0xDC00 && next <= 0xDFFF) ? 0 : 6;
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) { // a low surrogate without its high one
    const long prev = i >= 6 ? escape_unit(json, i - 6) : -1;
    return (prev >= 0xD800 && prev <= 0xDBFF) ? 0 : 6;
  }
  return 0;
}

} // namespace

bool is_clean_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) - 1u < 0x7Fu) { // ASCII except NUL: the common case
      ++i;
      continue;
    }
    const auto len = utf8_sequence(s, i);
    if (len == 0)
      return false;
    i += len;
  }
  return true;
}

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto len = utf8_sequence(s, i);
    if (len == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

bool is_jsonb_safe(std::string_view json) {
  for (auto pos = json.find("\\u"); pos != std::string_view::npos;
       pos = json.find("\\u", pos + 2)) {
    std::size_t backslashes = 0; // "\\u0000" is an escaped backslash, then text
    while (pos > backslashes && json[pos - 1 - backslashes] == '\\')
      ++backslashes;
    if (backslashes % 2 == 0 && unsafe_escape(json, pos) != 0)
      return false;
  }
  return true;
}

std::string jsonb_safe(std::string_view json) {
  std::string text = is_clean_text(json) ? std::string(json) : clean_text(json);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '\\') {
      out += text[i++];
      continue;
    }
    if (const auto len = unsafe_escape(text, i); len != 0) {
      out += "\\ufffd";
      i += len;
    } else { // keep the escape and the character it escapes
      out.append(text, i, 2);
      i += 2;
    }
  }
  return out;
}

std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1)
      out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

} // namespace taosync::store
