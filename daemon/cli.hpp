#pragma once
// taosyncd's command line: `taosyncd [--config FILE] COMMAND [ARGS]`.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace taosync::daemon {

/// What to do.
enum class Command {
  run,
  once,
  check_config,
  migrate,
  status,
  resync,
  audit,
  changes,
  version,
  help
};

/// The parsed command line.
struct CliOptions {
  std::string config_path = "/etc/taosync/taosync.yaml";
  Command command = Command::run;
  std::string order_id;   ///< resync
  int sample = 20;        ///< audit --sample
  std::int64_t since = 0; ///< changes --since: print rows after this id
  bool follow = false;    ///< changes --follow
  bool json = false;      ///< status --json: the status document instead of text
  /// --shop: one configured shop (once, resync, audit, status); changes: only its rows
  std::string shop;
};

/// A command-line mistake (exit 64); the message says what was wrong.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Parses arguments (without argv[0]); throws UsageError.
CliOptions parse_cli(const std::vector<std::string>& args);

/// The --help text.
std::string usage_text();

} // namespace taosync::daemon
