#pragma once
// The reload decision (SIGHUP): which changed keys apply now and which wait for a restart,
// from each key's row in the settings table.

#include "config/config.hpp"

#include <string>
#include <vector>

namespace taosync::config {

/// What a reload puts in force.
struct ReloadPlan {
  /// The loaded values of live keys and the running values of restart-only keys.
  Config next;
  std::vector<std::string> applied;      ///< changed live keys, dotted, in table order
  std::vector<std::string> need_restart; ///< changed restart-only keys, kept as they run
};

/// Compares the config in force with a freshly loaded (valid) one, key by key. Throws
/// ConfigError if the mix of old and new values breaks a rule that relates keys.
ReloadPlan plan_reload(const Config& running, Config loaded);

} // namespace taosync::config
