#include "last_resort.hpp"
#include "exit_codes.hpp"

#include "obs/redact.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace taosync::daemon {

namespace {

/// What the exception says, with every registered secret masked.
std::string describe(std::exception_ptr e) {
  if (!e)
    return "no exception (std::terminate called directly)";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return obs::redact(ex.what());
  } catch (...) {
    return "an exception of unknown type";
  }
}

/// stdio, not spdlog: the logger may be what failed, or not set up yet.
void write_line(const char* what, const std::string& detail) {
  std::fprintf(stderr, "taosyncd: internal error: %s: %s (exit %d)\n", what, detail.c_str(),
               kExSoftware);
  std::fflush(stderr);
}

[[noreturn]] void on_terminate() {
  write_line("unhandled exception", describe(std::current_exception()));
  std::_Exit(kExSoftware); // no destructors: the state that threw may be broken
}

} // namespace

void install_terminate_handler() {
  std::set_terminate(on_terminate);
}

int report_uncaught(std::exception_ptr e) {
  write_line("uncaught exception", describe(e));
  return kExSoftware;
}

} // namespace taosync::daemon
