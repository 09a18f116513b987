#include "pgbouncer.hpp"

#include "scenario.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace taosync::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultBinary = "/usr/sbin/pgbouncer";
constexpr const char* kRunAs = "nobody"; // PgBouncer, like postgres, refuses to run as root

std::string binary() {
  const char* env = std::getenv("TAOSYNC_PGBOUNCER");
  return env != nullptr && *env != '\0' ? env : kDefaultBinary;
}

/// The ini: every database of the PostgreSQL behind it, trust for the users of userlist.txt
/// (PgBouncer's trust still wants the user listed), logs to stderr, no Unix socket.
std::string ini_text(const fs::path& dir, int port, int pg_port, const std::string& pool_mode) {
  return "[databases]\n"
         "* = host=127.0.0.1 port=" +
         std::to_string(pg_port) +
         "\n\n[pgbouncer]\n"
         "listen_addr = 127.0.0.1\n"
         "listen_port = " +
         std::to_string(port) +
         "\n"
         "unix_socket_dir =\n"
         "auth_type = trust\n"
         "auth_file = " +
         (dir / "userlist.txt").string() +
         "\n"
         "pool_mode = " +
         pool_mode +
         "\n"
         "max_client_conn = 200\n"
         "default_pool_size = 20\n"
         "server_reset_query = DISCARD ALL\n";
}

/// Makes `dir` and what is in it readable by `nobody` when we are root.
void hand_over(const fs::path& path) {
  if (::geteuid() != 0)
    return;
  const passwd* pw = ::getpwnam(kRunAs);
  if (pw == nullptr)
    throw std::runtime_error("PgBouncer: no user 'nobody' to run pgbouncer as");
  if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::system_error(errno, std::generic_category(), "PgBouncer: chown " + path.string());
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool accepts(int port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
                 ec);
  return !ec;
}

} // namespace

PgBouncer::PgBouncer(int pg_port, const std::string& pool_mode)
    : dir_(testing::make_temp_dir("taosync-pgbouncer")), port_(free_port()) {
  hand_over(dir_);
  const fs::path ini = dir_ / "pgbouncer.ini";
  std::ofstream(ini) << ini_text(dir_, port_, pg_port, pool_mode);
  std::ofstream(dir_ / "userlist.txt") << "\"postgres\" \"\"\n";
  hand_over(ini);
  hand_over(dir_ / "userlist.txt");
  std::vector<std::string> argv{binary(), ini.string()};
  if (::geteuid() == 0) // setpriv execs pgbouncer itself: a kill reaches it, not a wrapper
    argv.insert(argv.begin(),
                {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"});
  process_ = std::make_unique<testing::Process>(argv, std::map<std::string, std::string>{}, dir_);
  if (!wait_until([&] { return accepts(port_) || !process_->running(); }, 10s) ||
      !process_->running())
    throw std::runtime_error("PgBouncer did not start on port " + std::to_string(port_) + ":\n" +
                             log());
}

PgBouncer::~PgBouncer() {
  process_.reset(); // SIGKILL and reap
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgBouncer::url_of(const std::string& db_url) const {
  // "postgresql://postgres@127.0.0.1:PORT/db": the port is between the last ':' and the '/'
  const auto slash = db_url.rfind('/');
  const auto colon = db_url.rfind(':', slash);
  return db_url.substr(0, colon + 1) + std::to_string(port_) + db_url.substr(slash);
}

std::string PgBouncer::log() const {
  return process_ ? process_->stderr_text() : std::string();
}

} // namespace taosync::e2e
