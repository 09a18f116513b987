#pragma once
// One record of a list answer taken into its page: kept with its raw JSON when it reads and
// stores cleanly, otherwise rejected with the reason. Every platform's parser takes records so.

#include "api/raw_record.hpp"
#include "api/record_checks.hpp"
#include "api/records.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// Parses one record of a list with `read` (which fills a T from the object and returns the
/// problem, if any). Invalid → rejected.
/// `raw` is the record's text as received, when known; `flaw` why its text did not decode.
template <class T, class Reader>
void take_record(std::string_view endpoint, std::string_view id_key,
                 const boost::json::value& record, std::optional<std::string_view> raw, Reader read,
                 Page<T>& page, std::optional<std::string> flaw = std::nullopt) {
  if (flaw) {
    page.rejected.push_back(make_rejected(endpoint, record, id_key, std::move(*flaw), raw));
    return;
  }
  const boost::json::object* object = record.if_object();
  if (object == nullptr) {
    page.rejected.push_back(
        make_rejected(endpoint, record, id_key, "record is not an object", raw));
    return;
  }
  if (auto problem = record_text_problem(raw ? *raw : raw_json_of(record), record)) {
    page.rejected.push_back(make_rejected(endpoint, record, id_key, std::move(*problem), raw));
    return;
  }
  T item;
  if (auto problem = read(*object, item)) {
    page.rejected.push_back(make_rejected(endpoint, record, id_key, std::move(*problem), raw));
    return;
  }
  item.raw_json = raw ? std::string(*raw) : raw_json_of(record);
  if (has_escaped_nul(item.raw_json)) {
    page.rejected.push_back(
        make_rejected(endpoint, record, id_key, "record contains a NUL character", raw));
    return;
  }
  page.items.push_back(std::move(item));
}

} // namespace taosync::api
