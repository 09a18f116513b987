#pragma once
// taosyncd's commands: `run`, the long-running service under systemd (notify, watchdog,
// signals, metrics endpoint), and the one-shot commands check-config, migrate, status, once,
// resync, audit, changes. Each returns a sysexits code.

#include "cli.hpp"

namespace taosync::daemon {

/// Runs the daemon until SIGTERM/SIGINT or a fatal error.
int cmd_run(const CliOptions& opts);

/// Validates the config and prints it with secrets masked.
int cmd_check_config(const CliOptions& opts);
/// Applies pending migrations.
int cmd_migrate(const CliOptions& opts);
/// Prints the shop's cursor, lag, last cycle, counts and init progress from the database.
int cmd_status(const CliOptions& opts);
/// Init if needed, then one incremental cycle.
int cmd_once(const CliOptions& opts);
/// Re-reads one order through /order/get.
int cmd_resync(const CliOptions& opts);
/// Compares sampled stored orders with /order/get; 1 if any differ.
int cmd_audit(const CliOptions& opts);
/// Prints the change feed after --since as JSON lines; with --follow, until SIGTERM/SIGINT.
int cmd_changes(const CliOptions& opts);

} // namespace taosync::daemon
