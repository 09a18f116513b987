// taosync-compare: compares a taosync database with a running taosync-sim's /_sim/truth.
// Exit 0 when they agree, 1 on any difference, 2 on usage or I/O errors.

#include "compare.hpp"
#include "sim_sellers.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: taosync-compare --sim-port PORT --db URL [--shop SHOP | --all-shops]\n"
    "                       [--ignore TABLE.COLUMN]... [--max-details N] [--chunk N]\n"
    "Streams GET /_sim/truth from 127.0.0.1:PORT and compares every order, line, shipment and\n"
    "sku property with the database; prints the counts and the first differences.\n"
    "--shop SHOP compares the database's shop SHOP (default: default) with the simulator's\n"
    "seller of that name (a one-seller simulator: with its seller, whatever its name).\n"
    "--all-shops compares every seller the simulator lists with the shop of the same name.\n";

/// The command line.
struct Args {
  taosync::e2e::CompareOptions options;
  bool shop_given = false;
  bool all_shops = false;
};

/// Parses the command line; returns false on a usage error.
bool parse_args(int argc, char** argv, Args& args) {
  auto& opt = args.options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--sim-port") {
      opt.sim_port = std::stoi(value());
    } else if (arg == "--db") {
      opt.db_url = value();
    } else if (arg == "--shop") {
      opt.shop = value();
      args.shop_given = true;
    } else if (arg == "--all-shops") {
      args.all_shops = true;
    } else if (arg == "--ignore") {
      opt.ignore_columns.insert(value());
    } else if (arg == "--max-details") {
      opt.max_details = std::stoul(value());
    } else if (arg == "--chunk") {
      opt.chunk_orders = std::stoul(value());
    } else {
      return false;
    }
  }
  return opt.sim_port > 0 && !opt.db_url.empty() && !(args.shop_given && args.all_shops);
}

/// Compares each pair, printing one report per shop; returns the shops that differ.
int compare_shops(const Args& args, const std::vector<taosync::e2e::ShopPair>& pairs) {
  int differing = 0;
  for (const auto& pair : pairs) {
    auto options = args.options;
    options.shop = pair.shop;
    options.seller = pair.seller;
    auto report = taosync::e2e::compare_with_truth(options);
    if (args.all_shops)
      std::cout << "shop " << pair.shop << ": ";
    std::cout << report.summary() << std::flush;
    differing += report.differences() == 0 ? 0 : 1;
  }
  if (args.all_shops)
    std::cout << "shops: " << pairs.size() << " compared, " << differing << " differ\n";
  return differing;
}

} // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    if (!parse_args(argc, argv, args)) {
      std::cerr << kUsage;
      return 2;
    }
    std::vector<taosync::e2e::ShopPair> pairs{{args.options.shop, ""}};
    if (args.shop_given || args.all_shops)
      pairs = taosync::e2e::shops_to_compare(taosync::e2e::sim_seller_names(args.options.sim_port),
                                             args.options.shop, args.all_shops);
    return compare_shops(args, pairs) == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "taosync-compare: " << e.what() << "\n";
    return 2;
  }
}
