// taosync-compare: compares a taosync database with a running taosync-sim's /_sim/truth.
// Exit 0 when they agree, 1 on any difference, 2 on usage or I/O errors.

#include "compare.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: taosync-compare --sim-port PORT --db URL [--shop SHOP] [--ignore TABLE.COLUMN]...\n"
    "                       [--max-details N] [--chunk N]\n"
    "Streams GET /_sim/truth from 127.0.0.1:PORT and compares every order, line, shipment and\n"
    "sku property with the database; prints the counts and the first differences.\n";

/// Parses the command line into options; returns false on a usage error.
bool parse_args(int argc, char** argv, taosync::e2e::CompareOptions& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--sim-port")
      opt.sim_port = std::stoi(value());
    else if (arg == "--db")
      opt.db_url = value();
    else if (arg == "--shop")
      opt.shop = value();
    else if (arg == "--ignore")
      opt.ignore_columns.insert(value());
    else if (arg == "--max-details")
      opt.max_details = std::stoul(value());
    else if (arg == "--chunk")
      opt.chunk_orders = std::stoul(value());
    else
      return false;
  }
  return opt.sim_port > 0 && !opt.db_url.empty();
}

} // namespace

int main(int argc, char** argv) {
  taosync::e2e::CompareOptions options;
  try {
    if (!parse_args(argc, argv, options)) {
      std::cerr << kUsage;
      return 2;
    }
    auto report = taosync::e2e::compare_with_truth(options);
    std::cout << report.summary() << std::flush;
    return report.differences() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "taosync-compare: " << e.what() << "\n";
    return 2;
  }
}
