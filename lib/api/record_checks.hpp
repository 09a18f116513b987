#pragma once
// Checks that isolate a damaged record from the rest of its page: text that is not UTF-8 and
// objects whose keys repeat. The JSON parser accepts both (a page must not be lost to one bad
// byte), so each record is checked on its own and rejected with the reason. Pure.

#include "model/utf8.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// `body` without a leading UTF-8 byte-order mark, which some gateways prepend.
std::string_view without_bom(std::string_view body);

/// True when the JSON text `raw` holds more object keys than its parsed `value`: a key appeared
/// twice in one object and the parser kept only one of the values.
bool has_duplicate_keys(std::string_view raw, const boost::json::value& value);

/// Why `raw` (the record's JSON text as received) cannot be trusted, or nullopt: invalid
/// UTF-8, or an object key that appears twice (the parsed `record` then holds only one of the
/// values, and which one the platform meant is unknowable).
std::optional<std::string> record_text_problem(std::string_view raw,
                                               const boost::json::value& record);

} // namespace taosync::api
