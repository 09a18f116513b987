#include "cli.hpp"

#include <algorithm>
#include <charconv>

namespace taosync::daemon {

namespace {

struct CommandName {
  const char* name;
  Command command;
};

constexpr CommandName kCommands[] = {
    {"run", Command::run},
    {"once", Command::once},
    {"check-config", Command::check_config},
    {"migrate", Command::migrate},
    {"status", Command::status},
    {"resync", Command::resync},
    {"audit", Command::audit},
    {"changes", Command::changes},
};

int parse_sample(const std::string& text) {
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || n < 1 || n > 100000) {
    throw UsageError("--sample: expected a number from 1 to 100000, got '" + text + "'");
  }
  return n;
}

std::int64_t parse_since(const std::string& text) {
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || n < 0)
    throw UsageError("--since: expected a change id (a number >= 0), got '" + text + "'");
  return n;
}

// The shape a shop name must have (as in the config).
std::string parse_shop(const std::string& text) {
  const bool ok = !text.empty() && text.size() <= 64 &&
                  text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789_-.") == std::string::npos;
  if (!ok)
    throw UsageError("--shop: expected 1-64 of A-Z a-z 0-9 _ - ., got '" + text + "'");
  return text;
}

bool is_order_id(const std::string& s) {
  return !s.empty() && s.size() <= 32 && s.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions opts;
  bool have_command = false;
  std::vector<std::string> positional;
  std::string changes_flag; // a flag only `changes` takes, if one was given
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= args.size())
        throw UsageError(std::string(flag) + ": missing value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      opts.command = Command::help;
      return opts;
    }
    if (a == "--version" || a == "-V") {
      opts.command = Command::version;
      return opts;
    }
    if (a == "--config" || a == "-c") {
      opts.config_path = value("--config");
    } else if (a.rfind("--config=", 0) == 0) {
      opts.config_path = a.substr(9);
    } else if (a == "--sample") {
      opts.sample = parse_sample(value("--sample"));
    } else if (a.rfind("--sample=", 0) == 0) {
      opts.sample = parse_sample(a.substr(9));
    } else if (a == "--since") {
      opts.since = parse_since(value("--since"));
      changes_flag = a;
    } else if (a.rfind("--since=", 0) == 0) {
      opts.since = parse_since(a.substr(8));
      changes_flag = "--since";
    } else if (a == "--shop") {
      opts.shop = parse_shop(value("--shop"));
    } else if (a.rfind("--shop=", 0) == 0) {
      opts.shop = parse_shop(a.substr(7));
    } else if (a == "--json") {
      opts.json = true;
    } else if (a == "--follow" || a == "-f") {
      opts.follow = true;
      changes_flag = "--follow";
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "'");
    } else if (!have_command) {
      bool found = false;
      for (const auto& c : kCommands) {
        if (a == c.name) {
          opts.command = c.command;
          found = true;
        }
      }
      if (!found)
        throw UsageError("unknown command '" + a + "'");
      have_command = true;
    } else {
      positional.push_back(a);
    }
  }
  if (opts.config_path.empty())
    throw UsageError("--config: empty path");
  if (!changes_flag.empty() && opts.command != Command::changes)
    throw UsageError(changes_flag + " belongs to the changes command");
  if (opts.json && opts.command != Command::status)
    throw UsageError("--json belongs to the status command");
  if (opts.command == Command::resync) {
    if (positional.size() != 1)
      throw UsageError("resync: expected exactly one ORDER_ID");
    if (!is_order_id(positional[0])) {
      throw UsageError("resync: ORDER_ID must be numeric, got '" + positional[0] + "'");
    }
    opts.order_id = positional[0];
  } else if (!positional.empty()) {
    throw UsageError("unexpected argument '" + positional[0] + "'");
  }
  return opts;
}

std::string usage_text() {
  return R"(Usage: taosyncd [--config FILE] COMMAND [ARGS]

Keeps a PostgreSQL copy of a Taobao Taiwan shop's orders.

Commands:
  run                 run the daemon: init if needed, then poll (default; for systemd)
  once                init if needed, then one incremental cycle; exit 0 on success
  check-config        validate the config and print it with secrets masked
  migrate             apply pending database migrations
  status [--json]     per shop: phase, cursor, lag, last cycle, counts, init progress,
                      what is owed, the lease holder; --json: the status document
  resync ORDER_ID     re-read one order through /order/get and store it
  audit [--sample N]  compare N random recent orders with /order/get (default 20);
                      exit 1 if any differ
  changes [--since ID] [--follow] [--shop NAME]
                      print the change feed (taosync.changes) after ID (default 0) as
                      JSON lines in id order; --follow keeps printing new rows until
                      SIGTERM/SIGINT; --shop prints only that shop's rows

Options:
  -c, --config FILE   config file (default /etc/taosync/taosync.yaml)
  --shop NAME         once, resync, audit, status: only this configured shop
                      (resync and audit default to the first shop)
  -h, --help          this text
  -V, --version       print the version

Exit codes (sysexits): 0 ok, 1 audit differences, 64 usage, 65 data error,
69 unavailable, 70 internal error, 75 temporary failure, 77 re-authorization needed,
78 configuration error.
Signals (run): SIGTERM/SIGINT stop after the current transaction, SIGHUP reloads the config.
)";
}

} // namespace taosync::daemon
