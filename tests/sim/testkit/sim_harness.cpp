#include "testkit/sim_harness.hpp"

namespace taosync::sim::testkit {

SimHarness::SimHarness(SimOptions options) : sim_(std::move(options)) {
  port_ = sim_.start(ioc_);
  thread_ = std::thread([this] { ioc_.run(); });
}

SimHarness::~SimHarness() {
  ioc_.stop();
  thread_.join();
}

} // namespace taosync::sim::testkit
