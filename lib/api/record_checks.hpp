#pragma once
// Checks that isolate a damaged record from the rest of its page: text that is not UTF-8,
// objects whose keys repeat, and numbers PostgreSQL cannot store. The JSON parser accepts all
// three (a page must not be lost to one bad value), so each record is checked on its own and
// rejected with the reason. Pure.

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

/// Why PostgreSQL's numeric, and so a jsonb document, cannot hold the JSON number `literal`
/// ("1e999999", or the "Infinity" a serializer writes for a double past its range), or nullopt.
/// The limits are those of the oldest supported server (PostgreSQL 13): an exponent within
/// ±1000, at most 131072 digits before the decimal point and 16383 after it.
std::optional<std::string> number_problem(std::string_view literal);

/// Why `raw` (the record's JSON text as received, or serialized) cannot be trusted or stored,
/// or nullopt: invalid UTF-8; an object key that appears twice (the parsed `record` then holds
/// only one of the values, and which one the platform meant is unknowable); or a number that
/// jsonb cannot hold.
std::optional<std::string> record_text_problem(std::string_view raw,
                                               const boost::json::value& record);

/// The number-only part of record_text_problem: the first number in the JSON text `raw` that
/// jsonb cannot hold, as a reason, or nullopt.
std::optional<std::string> stored_number_problem(std::string_view raw);

} // namespace taosync::api
