#pragma once
// The table's rows laid out as nested YAML mappings ("api.rate_limit.burst" inside
// "rate_limit:" inside "api:"), for check-config and the example config.

#include "config/settings.hpp"

#include <functional>
#include <string>
#include <vector>

namespace taosync::config::detail {

/// Visits `rows` in order: `open(depth, name)` when a mapping starts, `key(depth, row)` for
/// each row, depth 0 being the top level. A mapping's rows must be contiguous in the table.
void for_each_nested(const std::vector<Setting>& rows,
                     const std::function<void(int depth, const std::string& name)>& open,
                     const std::function<void(int depth, const Setting& row)>& key);

/// Two spaces per level.
std::string indent(int depth);

} // namespace taosync::config::detail
