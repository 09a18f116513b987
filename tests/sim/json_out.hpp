#pragma once
// Hand-written JSON output into a string buffer: the simulator's responses are large and hot,
// and appending literal fragments is several times faster than building a boost::json tree.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sim::json {

/// Appends `v` as a JSON string body (without quotes): escapes quotes, backslashes, controls.
inline void escape(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
}

/// Appends an integer.
inline void integer(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

/// Appends `"key":` preceded by a comma unless `first`.
inline void key(std::string& out, std::string_view k, bool first = false) {
  if (!first)
    out += ',';
  out += '"';
  out += k;
  out += "\":";
}

/// Appends `"key":"value"`.
inline void str(std::string& out, std::string_view k, std::string_view v, bool first = false) {
  key(out, k, first);
  out += '"';
  escape(out, v);
  out += '"';
}

/// Appends `"key":N`.
inline void num(std::string& out, std::string_view k, std::int64_t v, bool first = false) {
  key(out, k, first);
  integer(out, v);
}

/// Appends `"key":"N"`: the API sends money as decimal strings.
inline void money(std::string& out, std::string_view k, std::int64_t v, bool first = false) {
  key(out, k, first);
  out += '"';
  integer(out, v);
  out += '"';
}

} // namespace taosync::sim::json
