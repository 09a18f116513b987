#include "config/bounded_file.hpp"
#include "config/config.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace taosync::config;
using taosync::testing::TempDir;

namespace {

/// The FileRefused message for `path`, or "" if it was read.
std::string refusal(const std::filesystem::path& path, std::size_t limit = kMaxConfigFileBytes) {
  try {
    read_bounded_file(path, limit);
  } catch (const FileRefused& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("a regular file within the limit is read whole") {
  TempDir dir;
  const std::string text(1000, 'x');
  CHECK(read_bounded_file(dir.write("ok", text), 1000) == text);
  CHECK(read_bounded_file(dir.write("empty", "")).empty());
}

TEST_CASE("a file over the limit is refused with its size and the limit") {
  TempDir dir;
  const std::string msg = refusal(dir.write("big", std::string(1001, 'x')), 1000);
  CHECK(msg.find("'" + (dir.path() / "big").string() + "'") != std::string::npos);
  CHECK(msg.find("too large (1001 bytes; the limit is 1000 bytes)") != std::string::npos);
}

TEST_CASE("a directory, a character device and a FIFO are refused by type, without blocking") {
  TempDir dir;
  CHECK(refusal(dir.path()).find("is a directory, not a regular file") != std::string::npos);
  CHECK(refusal("/dev/zero").find("is a character device, not a regular file") !=
        std::string::npos);
  const auto fifo = dir.path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(refusal(fifo).find("is a FIFO, not a regular file") != std::string::npos);
}

TEST_CASE("a missing file names the path and the system's reason") {
  TempDir dir;
  const std::string msg = refusal(dir.path() / "nope");
  CHECK(msg.find("nope' cannot be opened: No such file or directory") != std::string::npos);
}

TEST_CASE("load_config refuses a config path or a *_file secret that is not a small file") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(load_config(dir.path().string(), ""),
                       doctest::Contains("is a directory, not a regular file"), ConfigError);
  CHECK_THROWS_WITH_AS(load_config("/dev/zero", ""), doctest::Contains("is a character device"),
                       ConfigError);
  std::filesystem::create_directory(dir.path() / "secret_dir");
  const auto cfg = dir.write("c.yaml", "api: {app_key: k, app_secret_file: secret_dir, "
                                       "access_token: tok-1234}\n");
  try {
    load_config(cfg, "");
    FAIL("a directory as app_secret_file was accepted");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "api.app_secret_file");
    CHECK(std::string(e.what()).find("secret_dir' is a directory") != std::string::npos);
  }
}
