#include "api/raw_record.hpp"

#include "api/field_reader.hpp"

#include "model/rejected_id.hpp"

#include <boost/json/serialize.hpp>

namespace taosync::api {

namespace json = boost::json;

std::string raw_json_of(const json::value& record) {
  return json::serialize(record);
}

bool has_escaped_nul(std::string_view raw_json) {
  constexpr std::string_view kNul = "\\u0000";
  for (auto pos = raw_json.find(kNul); pos != std::string_view::npos;
       pos = raw_json.find(kNul, pos + 1)) {
    // "\\u0000" is an escaped backslash followed by text: count the backslashes before.
    std::size_t backslashes = 0;
    while (pos > backslashes && raw_json[pos - backslashes - 1] == '\\')
      ++backslashes;
    if (backslashes % 2 == 0)
      return true;
  }
  return false;
}

RejectedRecord make_rejected(std::string_view endpoint, const json::value& record,
                             std::string_view id_key, std::string reason,
                             std::optional<std::string_view> raw_text) {
  RejectedRecord rejected;
  rejected.endpoint = std::string(endpoint);
  rejected.reason = std::move(reason);
  if (const auto* object = record.if_object()) {
    if (const auto* id = object->if_contains(json::string_view(id_key.data(), id_key.size()))) {
      if (const auto* s = id->if_string())
        rejected.record_id = model::rejected_record_id({s->data(), s->size()});
      else if (id->is_int64() || id->is_uint64())
        rejected.record_id = json::serialize(*id);
    }
  }
  if (raw_text)
    rejected.raw_json = truncate_utf8(std::string(raw_text->substr(0, kMaxRejectedRawBytes + 4)),
                                      kMaxRejectedRawBytes);
  else
    rejected.raw_json = truncate_utf8(raw_json_of(record), kMaxRejectedRawBytes);
  return rejected;
}

} // namespace taosync::api
