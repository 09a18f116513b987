// taosyncd: parse the command line and dispatch. Everything else lives in the commands.

#include "cli.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "last_resort.hpp"

#include <iostream>

using namespace taosync::daemon;

namespace {

int dispatch(const CliOptions& opts) {
  switch (opts.command) {
  case Command::help:
    std::cout << usage_text();
    return kExOk;
  case Command::version:
    std::cout << "taosyncd " << TAOSYNC_VERSION << "\n";
    return kExOk;
  case Command::check_config:
    return cmd_check_config(opts);
  case Command::migrate:
    return cmd_migrate(opts);
  case Command::status:
    return cmd_status(opts);
  case Command::once:
    return cmd_once(opts);
  case Command::resync:
    return cmd_resync(opts);
  case Command::audit:
    return cmd_audit(opts);
  case Command::changes:
    return cmd_changes(opts);
  case Command::run:
    return cmd_run(opts);
  }
  return kExSoftware;
}

} // namespace

int main(int argc, char** argv) {
  install_terminate_handler();
  CliOptions opts;
  try {
    opts = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& e) {
    std::cerr << "taosyncd: " << e.what() << "\n\n" << usage_text();
    return kExUsage;
  }
  try {
    return dispatch(opts);
  } catch (...) {
    return report_uncaught(std::current_exception());
  }
}
