// taosync-sim: a faithful, live and misbehaving stand-in for the Taobao TW order API.
// See tests/sim/README.md.

#include "options.hpp"
#include "server.hpp"

#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  using namespace taosync::sim;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << usage();
      return 0;
    }
  try {
    auto options = parse_options(args);
    Simulator sim(options);
    net::io_context ioc;
    auto port = sim.start(ioc);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { ioc.stop(); });
    std::cout << "taosync-sim listening on " << options.listen_host << ":" << port << std::endl;
    ioc.run();
  } catch (const std::invalid_argument& e) {
    std::cerr << "taosync-sim: " << e.what() << "\n" << usage();
    return 64; // EX_USAGE
  } catch (const std::exception& e) {
    std::cerr << "taosync-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
