#pragma once
// `sku_info`: the API sends a line's SKU properties as a JSON array encoded in a string.

#include "api/records.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api {

/// Decodes `[{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326},...]`
/// into `out`. An empty string means no properties. Returns the problem when it is malformed.
std::optional<std::string> decode_sku_info(std::string_view encoded, std::vector<SkuProperty>& out);

} // namespace taosync::api
