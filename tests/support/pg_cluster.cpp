#include "pg_cluster.hpp"
#include "process.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace taosync::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPgLibDir = "/usr/lib/postgresql"; // Debian's postgresql-NN layout
constexpr const char* kServerUser = "nobody";            // postgres refuses to run as root
constexpr int kStartAttempts = 5;

/// The directory holding initdb, pg_ctl and postgres: TAOSYNC_PG_BIN, or else the newest
/// major version installed under /usr/lib/postgresql (15 on Debian 12, 17 on Debian 13).
fs::path pg_bin_dir() {
  const char* env = std::getenv("TAOSYNC_PG_BIN");
  if (env != nullptr && *env != '\0')
    return env;
  int newest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kPgLibDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (fs::exists(entry.path() / "bin" / "initdb"))
      newest = std::max(newest, std::stoi(name));
  }
  if (newest == 0)
    throw std::runtime_error(std::string("PgCluster: no PostgreSQL server under ") + kPgLibDir +
                             "/*/bin (install postgresql, or set TAOSYNC_PG_BIN)");
  return fs::path(kPgLibDir) / std::to_string(newest) / "bin";
}

/// A port that was free a moment ago: bind port 0 on 127.0.0.1 and ask which one we got.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "PgCluster: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "PgCluster: bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Gives the tree to `nobody` when we are root, so the server may own its data dir.
void hand_over(const fs::path& dir) {
  if (::geteuid() != 0)
    return;
  const passwd* pw = ::getpwnam(kServerUser);
  if (pw == nullptr)
    throw std::runtime_error("PgCluster: no user 'nobody' to run postgres as");
  if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::system_error(errno, std::generic_category(), "PgCluster: chown " + dir.string());
}

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv)
    s += (s.empty() ? "" : " ") + a;
  return s;
}

} // namespace

PgCluster::PgCluster(std::vector<std::string> extra_settings)
    : bin_(pg_bin_dir()), dir_(make_temp_dir("taosync-pg")) {
  // No synchronous_commit=off: an immediate stop would then lose commits already reported,
  // which outage tests must not see. fsync=off only matters if the OS crashes.
  settings_ = {"listen_addresses=127.0.0.1", "fsync=off", "full_page_writes=off",
               "max_connections=50", "shared_buffers=32MB"};
  settings_.insert(settings_.end(), extra_settings.begin(), extra_settings.end());
  try {
    hand_over(dir_);
    run_tool({(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "postgres", "-A",
              "trust", "-E", "UTF8", "--locale=C", "--no-sync"});
    start_on_free_port();
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

PgCluster::PgCluster(const PgCluster& primary, StandbyTag)
    : bin_(primary.bin_), dir_(make_temp_dir("taosync-pg")), settings_(primary.settings_) {
  try {
    hand_over(dir_);
    run_tool({(bin_ / "pg_basebackup").string(), "-D", (dir_ / "data").string(), "-R", "-X",
              "stream", "-h", "127.0.0.1", "-p", std::to_string(primary.port_), "-U", "postgres",
              "--no-sync"});
    start_on_free_port();
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

std::unique_ptr<PgCluster> PgCluster::standby_of(const PgCluster& primary) {
  return std::unique_ptr<PgCluster>(new PgCluster(primary, StandbyTag{}));
}

void PgCluster::promote() {
  run_tool(
      {(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-w", "-t", "60", "promote"});
}

void PgCluster::start_on_free_port() {
  bool started = false;
  for (int attempt = 0; attempt < kStartAttempts && !started; ++attempt) {
    port_ = free_port(); // another process may grab it first: then retry with a new one
    started = try_start();
  }
  if (!started)
    throw std::runtime_error("PgCluster: server did not start in " + dir_.string() +
                             "; server log:\n" + log());
}

PgCluster::~PgCluster() {
  try {
    if (running_)
      stop_immediate();
  } catch (...) { // a destructor must not throw; the dir goes anyway
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgCluster::url(const std::string& db) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PgCluster::create_database() {
  const std::string name = "t_" + std::to_string(next_db_++);
  pqxx::connection conn(url());
  pqxx::nontransaction tx(conn);
  store::pq::run0(tx, "CREATE DATABASE " + name);
  return url(name);
}

void PgCluster::stop_immediate() {
  run_tool({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "immediate", "-w",
            "stop"});
  running_ = false;
}

void PgCluster::start() {
  if (!try_start())
    throw std::runtime_error("PgCluster: restart on port " + std::to_string(port_) +
                             " failed; server log:\n" + log());
}

std::string PgCluster::log() const {
  return read_file(dir_ / "server.log");
}

bool PgCluster::try_start() {
  std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string();
  for (const auto& s : settings_)
    options += " -c " + s;
  try {
    run_tool({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l",
              (dir_ / "server.log").string(), "-o", options, "-w", "-t", "60", "start"});
  } catch (const std::exception&) {
    return false;
  }
  running_ = true;
  return true;
}

/// Runs a PostgreSQL tool to completion (as `nobody` when we are root), its output appended
/// to tools.log; throws with that log when it fails.
void PgCluster::run_tool(const std::vector<std::string>& argv, bool throw_on_failure) const {
  std::vector<std::string> full;
  if (::geteuid() == 0)
    full = {"runuser", "-u", kServerUser, "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  std::vector<char*> cargv;
  for (auto& a : full)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);

  const auto tools_log = dir_ / "tools.log";
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::system_error(errno, std::generic_category(), "PgCluster: fork");
  if (pid == 0) {
    const int fd = ::open(tools_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    if (::chdir(dir_.c_str()) != 0) // the caller's cwd may be closed to `nobody`
      ::_exit(126);
    ::execvp(cargv[0], cargv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok && throw_on_failure)
    throw std::runtime_error("PgCluster: `" + joined(argv) + "` failed; output:\n" +
                             read_file(tools_log));
}

} // namespace taosync::testing
