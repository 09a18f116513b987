// Builds the .deb with CPack from the current build tree and checks what it holds.

#include "ops_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace taosync::testing;
namespace fs = std::filesystem;

TEST_CASE("the .deb holds the binary, the unit, the 0640 config and the sysusers file") {
  if (!have_program("cpack") || !have_program("dpkg-deb")) {
    MESSAGE("cpack or dpkg-deb not installed: skipped");
    return;
  }
  const fs::path build = TAOSYNC_BUILD_DIR;
  REQUIRE_MESSAGE(fs::exists(fs::path(TAOSYNC_BIN_DIR) / "taosyncd"),
                  "build taosyncd before this test");
  ScratchDir dir("deb");
  std::string out;
  const int rc = run_shell("cpack --config " + (build / "CPackConfig.cmake").string() +
                               " -G DEB -B " + dir.path().string() + " 2>&1",
                           &out);
  REQUIRE_MESSAGE(rc == 0, out);
  fs::path deb;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().extension() == ".deb")
      deb = e.path();
  }
  REQUIRE_MESSAGE(!deb.empty(), out);

  std::string contents;
  REQUIRE(run_shell("dpkg-deb -c " + deb.string(), &contents) == 0);
  CAPTURE(contents);
  auto has = [&](const std::string& mode, const std::string& path) {
    const std::string needle = " ." + path + "\n";
    const auto at = contents.find(needle);
    if (at == std::string::npos)
      return false;
    const auto line_start = contents.rfind('\n', at) + 1;
    return contents.compare(line_start, mode.size(), mode) == 0;
  };
  CHECK(has("-rwxr-xr-x", "/usr/bin/taosyncd"));
  CHECK(has("-rw-r--r--", "/lib/systemd/system/taosyncd.service"));
  CHECK(has("-rw-r-----", "/etc/taosync/taosync.yaml"));
  CHECK(has("-rw-r--r--", "/usr/lib/sysusers.d/taosync.conf"));
  CHECK(has("-rw-r--r--", "/usr/share/taosync/grafana-dashboard.json"));
  CHECK(contents.find("taosync-sim") == std::string::npos); // test binaries stay out

  std::string depends;
  REQUIRE(run_shell("dpkg-deb -f " + deb.string() + " Depends", &depends) == 0);
  for (const char* pkg : {"libpqxx-6.4", "libspdlog1.10", "libyaml-cpp0.7", "libboost-json1.81.0",
                          "libssl3", "libsystemd0"}) {
    CAPTURE(pkg);
    CHECK(depends.find(pkg) != std::string::npos);
  }
  std::string conffiles;
  REQUIRE(run_shell("dpkg-deb -I " + deb.string() + " conffiles", &conffiles) == 0);
  CHECK(conffiles.find("/etc/taosync/taosync.yaml") != std::string::npos);
  std::string postinst;
  REQUIRE(run_shell("dpkg-deb -I " + deb.string() + " postinst", &postinst) == 0);
  CHECK(postinst.find("systemd-sysusers taosync.conf") != std::string::npos);
}
