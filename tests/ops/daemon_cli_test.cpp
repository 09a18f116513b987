// taosyncd's command line without a database: help, version, usage errors, check-config, and
// config or secret paths that are not small regular files.

#include "ops_util.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include <sys/stat.h>

using namespace taosync::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kGood = R"(api:
  base_url: "http://127.0.0.1:1/rest"
  auth_url: "http://127.0.0.1:1/rest"
  app_key: "k-123"
  app_secret: "inline-app-secret-xyz"
  access_token: "inline-access-token-xyz"
database:
  url: "postgresql://u:inline-db-pw-xyz@127.0.0.1:1/db"
)";

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run taosyncd(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), (fs::path(TAOSYNC_BIN_DIR) / "taosyncd").string());
  Process p(std::move(args), std::move(env));
  const auto code = p.wait(30s);
  REQUIRE_MESSAGE(code.has_value(), "taosyncd did not exit");
  return {*code, p.stdout_text(), p.stderr_text()};
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text,
               fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  fs::permissions(p, mode);
  return p;
}

} // namespace

TEST_CASE("--help and --version exit 0") {
  const Run h = taosyncd({"--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("Usage: taosyncd") != std::string::npos);
  const Run v = taosyncd({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.rfind("taosyncd ", 0) == 0);
}

TEST_CASE("a usage error exits 64 and says what is wrong") {
  const Run r = taosyncd({"frobnicate"});
  CHECK(r.code == 64);
  CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(taosyncd({"resync"}).code == 64);
}

TEST_CASE("a bad config exits 78 naming the key, for check-config and run alike") {
  ScratchDir dir("cli-bad");
  const fs::path cfg = write(dir.path(), "bad.yaml", kGood + "sync:\n  pol_interval: 30s\n");
  for (const char* cmd : {"check-config", "run", "once", "migrate", "status"}) {
    CAPTURE(cmd);
    const Run r = taosyncd({"--config", cfg.string(), cmd});
    CHECK(r.code == 78);
    CHECK(r.err.find("sync.pol_interval: unknown key") != std::string::npos);
  }
  const Run missing = taosyncd({"--config", (dir.path() / "nope.yaml").string(), "check-config"});
  CHECK(missing.code == 78);
}

TEST_CASE("check-config prints the effective config with every secret masked") {
  ScratchDir dir("cli-good");
  const fs::path cfg = write(dir.path(), "good.yaml", kGood);
  const Run r = taosyncd({"--config", cfg.string(), "check-config"});
  CHECK(r.code == 0);
  CHECK(r.out.find("app_key: k-123") != std::string::npos);
  CHECK(r.out.find("poll_interval: 1m") != std::string::npos);
  CHECK(r.out.find("app_secret: \"***\"") != std::string::npos);
  CHECK(r.out.find("postgresql://u:***@127.0.0.1:1/db") != std::string::npos);
  for (const char* s : {"inline-app-secret-xyz", "inline-access-token-xyz", "inline-db-pw-xyz"}) {
    CAPTURE(s);
    CHECK((r.out + r.err).find(s) == std::string::npos);
  }
  CHECK(r.err.find("warning") == std::string::npos); // mode 0600: no warning
}

TEST_CASE("inline secrets in a world-readable config draw a warning") {
  ScratchDir dir("cli-perm");
  const fs::path cfg = write(dir.path(), "open.yaml", kGood,
                             fs::perms::owner_read | fs::perms::owner_write |
                                 fs::perms::group_read | fs::perms::others_read);
  const Run r = taosyncd({"--config", cfg.string(), "check-config"});
  CHECK(r.code == 0);
  CHECK(r.err.find("holds inline secrets") != std::string::npos);
  CHECK(r.err.find("api.app_secret") != std::string::npos);
  CHECK(r.err.find("inline-app-secret-xyz") == std::string::npos);
}

TEST_CASE("secrets come from $CREDENTIALS_DIRECTORY when the file has none") {
  ScratchDir dir("cli-creds");
  const fs::path cfg =
      write(dir.path(), "creds.yaml", "api: {app_key: k, base_url: \"http://127.0.0.1:1/rest\"}\n");
  CHECK(taosyncd({"--config", cfg.string(), "check-config"}).code == 78);
  fs::create_directory(dir.path() / "creds");
  write(dir.path() / "creds", "app_secret", "cred-app-secret-xyz\n");
  write(dir.path() / "creds", "access_token", "cred-access-token-xyz\n");
  const Run r = taosyncd({"--config", cfg.string(), "check-config"},
                         {{"CREDENTIALS_DIRECTORY", (dir.path() / "creds").string()}});
  CHECK(r.code == 0);
  CHECK(r.out.find("access_token: \"***\"") != std::string::npos);
  CHECK(r.out.find("cred-app-secret-xyz") == std::string::npos);
}

TEST_CASE("migrate against an unreachable database exits 69 without leaking the password") {
  ScratchDir dir("cli-nodb");
  // Nothing listens on port 1: migrate retries for connect_timeout, then gives up.
  const fs::path cfg = write(dir.path(), "nodb.yaml", kGood + "  connect_timeout: 2s\n");
  const Run r = taosyncd({"--config", cfg.string(), "migrate"});
  CHECK(r.code == 69);
  CHECK(r.err.find("after 2s (database.connect_timeout)") != std::string::npos);
  CHECK(r.err.find("inline-db-pw-xyz") == std::string::npos);
}

TEST_CASE("a config path that is not a small regular file exits 78 with the path and reason") {
  ScratchDir dir("cli-files");
  const fs::path fifo = dir.path() / "fifo.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const fs::path big = write(dir.path(), "big.yaml", "# " + std::string(2 * 1024 * 1024, 'x'));
  const struct {
    std::string path;
    const char* reason;
  } cases[] = {
      {dir.path().string(), "is a directory, not a regular file"},
      {"/dev/zero", "is a character device, not a regular file"},
      {fifo.string(), "is a FIFO, not a regular file"},
      {big.string(), "is too large"},
  };
  for (const auto& c : cases) {
    for (const char* cmd : {"check-config", "run"}) {
      CAPTURE(c.path);
      CAPTURE(cmd);
      const Run r = taosyncd({"--config", c.path, cmd}); // a FIFO must not block: wait() bounds it
      CHECK(r.code == 78);
      CHECK(r.err.find("'" + c.path + "' " + c.reason) != std::string::npos);
      CHECK(r.err.find("internal error") == std::string::npos);
    }
  }
}

TEST_CASE("a *_file secret or credential that is not a regular file exits 78 naming it") {
  ScratchDir dir("cli-secret-files");
  fs::create_directory(dir.path() / "secret.d");
  const fs::path cfg = write(dir.path(), "c.yaml",
                             "api: {app_key: k, base_url: \"http://127.0.0.1:1/rest\", "
                             "app_secret_file: secret.d, access_token: tok-12345}\n");
  const Run r = taosyncd({"--config", cfg.string(), "check-config"});
  CHECK(r.code == 78);
  CHECK(r.err.find("api.app_secret_file: '" + (dir.path() / "secret.d").string() +
                   "' is a directory") != std::string::npos);

  // A credential pointing at /dev/zero would otherwise be read without bound.
  const fs::path ok = write(dir.path(), "ok.yaml",
                            "api: {app_key: k, base_url: \"http://127.0.0.1:1/rest\", "
                            "app_secret: s-12345, access_token: tok-12345}\n");
  fs::create_directory(dir.path() / "creds");
  fs::create_symlink("/dev/zero", dir.path() / "creds" / "refresh_token");
  const Run c = taosyncd({"--config", ok.string(), "check-config"},
                         {{"CREDENTIALS_DIRECTORY", (dir.path() / "creds").string()}});
  CHECK(c.code == 78);
  CHECK(c.err.find("credential refresh_token: '") != std::string::npos);
  CHECK(c.err.find("is a character device") != std::string::npos);
}
