#pragma once
// Reading and showing the `shops:` list.

#include "config/config.hpp"
#include "config/settings.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace taosync::config {

/// A shop name (the `shop` key of every table): 1 to 64 of A-Z a-z 0-9 _ - .
bool valid_shop_name(const std::string& name);

/// Reads `shops:` (absent or null: empty). Dates of init.start are local to `zone`. Throws
/// ConfigError naming "shops[i].<key>".
std::vector<ShopConfig> read_shops(const YAML::Node& list, const Sources& src,
                                   const std::string& zone);

/// The `shops:` list as check-config shows it, tokens masked; "" without a list.
std::string render_shops(const Config& cfg);

} // namespace taosync::config
