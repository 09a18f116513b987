#include "store/daemon_identity.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <random>

namespace taosync::store {
namespace {

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0')
    return "unknown-host";
  return buf.data();
}

std::string random_hex8() {
  std::random_device device;
  std::array<char, 9> buf{};
  std::snprintf(buf.data(), buf.size(), "%08x", static_cast<unsigned>(device()));
  return buf.data();
}

} // namespace

DaemonIdentity this_daemon(const std::string& configured_id) {
  DaemonIdentity me;
  me.host = host_name();
  me.pid = static_cast<int>(::getpid());
  me.id = configured_id.empty() ? me.host + ":" + std::to_string(me.pid) + ":" + random_hex8()
                                : configured_id;
  return me;
}

} // namespace taosync::store
