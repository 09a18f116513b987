#pragma once
// `taosyncd run`: the long-running service under systemd (notify, watchdog, signals,
// metrics endpoint).

#include "cli.hpp"

namespace taosync::daemon {

/// Runs the daemon until SIGTERM/SIGINT or a fatal error; returns a sysexits code.
int cmd_run(const CliOptions& opts);

} // namespace taosync::daemon
