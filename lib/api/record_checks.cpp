#include "api/record_checks.hpp"

#include "model/utf8.hpp"

#include <cstdint>
#include <string>

namespace taosync::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

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

bool has_duplicate_keys(std::string_view raw, const json::value& value) {
  return keys_in_text(raw) != keys_in_value(value);
}

std::optional<std::string> record_text_problem(std::string_view raw, const json::value& record) {
  if (const auto at = model::invalid_utf8_at(raw))
    return "record contains invalid UTF-8 at byte " + std::to_string(*at);
  if (has_duplicate_keys(raw, record))
    return "record is ambiguous: a key appears more than once";
  return std::nullopt;
}

} // namespace taosync::api
