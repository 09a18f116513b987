// Builds the .deb with CPack from the current build tree and checks what it holds.

#include "ops_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

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

  // Depends comes from the binary: every library taosyncd loads is named by the package that
  // ships it on this distribution (libpqxx-6.4 on Debian 12, libpqxx-7.10 on Debian 13, ...).
  std::string depends;
  REQUIRE(run_shell("dpkg-deb -f " + deb.string() + " Depends", &depends) == 0);
  CAPTURE(depends);
  std::string owners;
  const std::string bin = (fs::path(TAOSYNC_BIN_DIR) / "taosyncd").string();
  // the libraries of this architecture only (not lib32*), wherever merged /usr put them
  REQUIRE(run_shell("arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH); objdump -p " + bin +
                        " | awk -v a=\"$arch\" '/NEEDED/{print \"*/\" a \"/\" $2}'" +
                        " | xargs -r dpkg -S 2>/dev/null | cut -d: -f1 | sort -u",
                    &owners) == 0);
  std::istringstream lines(owners);
  int packages = 0;
  for (std::string pkg; std::getline(lines, pkg);) {
    CAPTURE(pkg);
    CHECK(depends.find(pkg) != std::string::npos);
    ++packages;
  }
  CHECK(packages >= 8); // libpqxx, libpq, spdlog, fmt, yaml-cpp, boost-json, ssl, systemd, ...
  CHECK(depends.find("systemd (>= 252)") != std::string::npos);
  std::string conffiles;
  REQUIRE(run_shell("dpkg-deb -I " + deb.string() + " conffiles", &conffiles) == 0);
  CHECK(conffiles.find("/etc/taosync/taosync.yaml") != std::string::npos);
  std::string postinst;
  REQUIRE(run_shell("dpkg-deb -I " + deb.string() + " postinst", &postinst) == 0);
  CHECK(postinst.find("systemd-sysusers taosync.conf") != std::string::npos);
}
