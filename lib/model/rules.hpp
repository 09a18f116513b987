#pragma once
// Rules more than one layer applies, each in one place: what an id may be, what a decimal
// amount looks like, which hosts count as loopback (where plain http is allowed), and the value
// of a hex digit (JSON escapes, URL encoding).

#include <cstddef>
#include <string_view>

namespace taosync::model {

/// Longest id kept: ids are numeric strings, and keys must stay small.
inline constexpr std::size_t kMaxIdBytes = 64;

/// Raw JSON stored with a rejected record is cut to this size (at a UTF-8 boundary).
inline constexpr std::size_t kMaxRejectedRawBytes = 64 * 1024;

/// The value of the hexadecimal digit `c`, or -1 if it is none.
inline int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// True if `s` is a plain decimal amount: -?digits[.digits] (what `numeric` accepts).
inline bool is_decimal(std::string_view s) {
  if (s.starts_with('-'))
    s.remove_prefix(1);
  const auto digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const auto dot = s.find('.');
  if (dot == std::string_view::npos)
    return digits(s);
  return digits(s.substr(0, dot)) && digits(s.substr(dot + 1));
}

/// True for "localhost", "::1" (bracketed or not) and any 127.x.y.z address.
inline bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]")
    return true;
  if (!host.starts_with("127."))
    return false;
  int dots = 0;
  std::size_t run = 0;
  for (char c : host) {
    if (c == '.') {
      if (run == 0 || run > 3)
        return false;
      ++dots;
      run = 0;
    } else if (c >= '0' && c <= '9') {
      ++run;
    } else {
      return false;
    }
  }
  return dots == 3 && run > 0 && run <= 3;
}

} // namespace taosync::model
