// systemd-analyze verify and security over the shipped unit (skipped where systemd-analyze
// is missing).

#include "ops_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace taosync::testing;
namespace fs = std::filesystem;

namespace {

/// A copy of the unit with ExecStart pointing at an existing binary (verify checks it).
fs::path unit_copy(const fs::path& dir) {
  std::ifstream in(fs::path(TAOSYNC_SOURCE_DIR) / "systemd/taosyncd.service");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  REQUIRE(!text.empty());
  fs::path bin = fs::path(TAOSYNC_BIN_DIR) / "taosyncd";
  if (!fs::exists(bin))
    bin = "/bin/true";
  text = std::regex_replace(text, std::regex("/usr/bin/taosyncd"), bin.string());
  const fs::path out = dir / "taosyncd.service";
  std::ofstream(out) << text;
  return out;
}

} // namespace

TEST_CASE("systemd-analyze verify finds nothing to complain about") {
  if (!have_program("systemd-analyze")) {
    MESSAGE("systemd-analyze not installed: skipped");
    return;
  }
  ScratchDir dir("unit-verify");
  const fs::path unit = unit_copy(dir.path());
  std::string out;
  const int rc = run_shell("cd " + dir.path().string() + " && systemd-analyze verify --man=no " +
                               unit.string() + " 2>&1",
                           &out);
  CAPTURE(out);
  CHECK(rc == 0);
  CHECK(out.find("taosyncd.service") == std::string::npos); // no warning names the unit
}

TEST_CASE("systemd-analyze security scores the unit at 2.0 or better") {
  if (!have_program("systemd-analyze")) {
    MESSAGE("systemd-analyze not installed: skipped");
    return;
  }
  ScratchDir dir("unit-security");
  const fs::path unit = unit_copy(dir.path());
  std::string out;
  run_shell("systemd-analyze security --offline=true --no-pager " + unit.string() + " 2>&1", &out);
  std::smatch m;
  REQUIRE_MESSAGE(
      std::regex_search(out, m, std::regex(R"(Overall exposure level for \S+: ([0-9.]+))")), out);
  const double score = std::stod(m[1].str());
  MESSAGE("exposure " << score);
  CHECK(score <= 2.0);
}

TEST_CASE("the unit declares the service contract") {
  std::ifstream in(fs::path(TAOSYNC_SOURCE_DIR) / "systemd/taosyncd.service");
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  for (const char* line :
       {"Type=notify", "WatchdogSec=", "Restart=on-failure",
        "LoadCredential=", "RestartPreventExitStatus=77 78", "ExecReload=/bin/kill -HUP $MAINPID",
        "ProtectSystem=strict", "NoNewPrivileges=yes", "SystemCallFilter=@system-service",
        "MemoryDenyWriteExecute=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "StateDirectory=taosync"}) {
    CAPTURE(line);
    CHECK(text.find(line) != std::string::npos);
  }
}

TEST_CASE("the unit bounds descriptors with room for the default connection limits") {
  std::ifstream in(fs::path(TAOSYNC_SOURCE_DIR) / "systemd/taosyncd.service");
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(R"(\nLimitNOFILE=(\d+)\n)")));
  const long limit = std::stol(m[1].str());
  // api.max_in_flight 8 + metrics.max_connections 16 + 2 database connections, with headroom
  // for raising them, yet bounded: no "infinity".
  CHECK(limit >= 1024);
  CHECK(limit <= 65536);
}

TEST_CASE("exit codes a restart cannot fix are not restarted, and nothing else is exempt") {
  std::ifstream in(fs::path(TAOSYNC_SOURCE_DIR) / "systemd/taosyncd.service");
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(R"(\nRestartPreventExitStatus=([^\n]*)\n)")));
  // 77: the seller must re-authorize; 78: bad config. 69/70/75 are worth a restart.
  CHECK(m[1].str() == "77 78");
  CHECK(text.find("\nRestart=on-failure\n") != std::string::npos);
}
