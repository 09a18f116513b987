#pragma once
// The example config (config/taosync.example.yaml), generated from the settings table.

#include <string>

namespace taosync::config {

/// Every key with its doc, its type, unit, accepted values and reload behaviour, and its
/// default (or a placeholder where there is none), as a commented YAML file that loads.
std::string example_config();

} // namespace taosync::config
