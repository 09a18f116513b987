#pragma once
// One order line, as /order/items/get lists it and /order/get embeds it.

#include "api/records.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace taosync::api {

/// Fills `out` (but `raw_json`) from a line record, decoding `shipment_list` and `sku_info`.
/// Returns the problem, naming the field, when the record is invalid.
std::optional<std::string> read_line(const boost::json::object& record, OrderLine& out);

} // namespace taosync::api
