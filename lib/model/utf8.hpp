#pragma once
// UTF-8 validity, the one rule both the parser (a record with a bad byte is rejected alone)
// and the store (text PostgreSQL would refuse is repaired) apply.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::model {

/// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII, NUL included), or 0 if
/// it is invalid: a stray continuation byte, a truncated or overlong sequence, a surrogate, or
/// a code point past U+10FFFF.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
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

/// Offset of the first byte of `text` that does not begin a valid UTF-8 sequence, if any.
inline std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0)
      return i;
    i += len;
  }
  return std::nullopt;
}

/// `text` cut to at most `limit` bytes without splitting a UTF-8 sequence.
inline std::string truncate_utf8(std::string text, std::size_t limit) {
  if (text.size() <= limit)
    return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut; // step back over continuation bytes (10xxxxxx) to the start of a sequence
  text.resize(cut);
  return text;
}

} // namespace taosync::model
