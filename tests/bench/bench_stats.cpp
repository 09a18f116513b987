// taosync-bench-stats: prints one number from a running taosync-sim's /_sim/stats, so that the
// shell benchmarks need no JSON tool. Usage:
//   taosync-bench-stats --sim-port P [--endpoint /orders/get] [--outcome ok] [--field throttled]
// With --field it prints that top-level (or dotted) number; otherwise the calls made to
// --endpoint (all endpoints if empty) with --outcome (all outcomes if empty).

#include "process.hpp"
#include "scenario.hpp"

#include <boost/json/parse.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  int port = 0;
  std::string endpoint, outcome, field;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--sim-port")
      port = std::stoi(argv[i + 1]);
    else if (arg == "--endpoint")
      endpoint = argv[i + 1];
    else if (arg == "--outcome")
      outcome = argv[i + 1];
    else if (arg == "--field")
      field = argv[i + 1];
  }
  if (port == 0) {
    std::cerr << "usage: taosync-bench-stats --sim-port P [--endpoint E] [--outcome O] "
                 "[--field F]\n";
    return 2;
  }
  try {
    auto res = taosync::testing::http_get(port, "/_sim/stats");
    auto stats = boost::json::parse(res.body);
    std::cout << (field.empty() ? taosync::e2e::stat_calls(stats, endpoint, outcome)
                                : taosync::e2e::stat_number(stats, field))
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "taosync-bench-stats: " << e.what() << "\n";
    return 2;
  }
}
