#pragma once
// One order record, as /orders/get lists it and as /order/get's `module` starts.

#include "api/records.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// Removes the literal quotes the API wraps line ids in: `"558757467941"` → `558757467941`.
std::string_view unquote_id(std::string_view id);

/// Fills `out` from an order record (everything but `raw_json` and, for /order/get, the
/// line ids, which come from the embedded lines). Returns the problem, naming the field,
/// when the record is invalid.
std::optional<std::string> read_order(const boost::json::object& record, Order& out);

} // namespace taosync::api
