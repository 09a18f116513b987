#include "record_text.hpp"

namespace taosync::sim::record_text {

namespace {

/// The end of the value starting at `pos`: after the closing quote of a string, else at the
/// next delimiter of a number.
std::size_t value_end(std::string_view record, std::size_t pos) {
  if (pos < record.size() && record[pos] == '"') {
    for (auto i = pos + 1; i < record.size(); ++i) {
      if (record[i] == '\\')
        ++i; // skip the escaped character
      else if (record[i] == '"')
        return i + 1;
    }
    return record.size();
  }
  auto end = record.find_first_of(",}]", pos);
  return end == std::string_view::npos ? record.size() : end;
}

std::string quoted_key(std::string_view key) {
  std::string k = "\"";
  k += key;
  k += "\":";
  return k;
}

} // namespace

std::optional<Span> value_span(std::string_view record, std::string_view key, int nth) {
  auto k = quoted_key(key);
  std::size_t found = std::string_view::npos;
  int seen = 0;
  for (auto at = record.find(k); at != std::string_view::npos; at = record.find(k, at + 1)) {
    found = at;
    if (seen++ == nth)
      break;
  }
  if (found == std::string_view::npos || (nth != kLast && seen <= nth))
    return std::nullopt;
  auto pos = found + k.size();
  return Span{pos, value_end(record, pos) - pos};
}

std::string_view value_text(std::string_view record, std::string_view key, int nth) {
  auto span = value_span(record, key, nth);
  return span ? record.substr(span->pos, span->len) : std::string_view{};
}

bool replace_value(std::string& record, std::string_view key, int nth,
                   std::string_view json_value) {
  auto span = value_span(record, key, nth);
  if (!span)
    return false;
  record.replace(span->pos, span->len, json_value);
  return true;
}

bool insert_after(std::string& record, std::string_view marker, std::string_view bytes) {
  auto at = record.find(marker);
  if (at == std::string::npos)
    return false;
  record.insert(at + marker.size(), bytes);
  return true;
}

void add_duplicate(std::string& record, std::string_view key, std::string_view json_value,
                   bool first) {
  auto pair = quoted_key(key);
  pair += json_value;
  if (first) {
    record.insert(1, pair + ","); // after the opening brace
  } else {
    record.insert(record.size() - 1, "," + pair); // before the closing brace
  }
}

} // namespace taosync::sim::record_text
