// taosyncd and its database, with the real binary: a DML-only role granted exactly what the
// operations guide documents, and the commands' deadline when the database cannot be reached.

#include "ops_util.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "store/pq.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

using namespace taosync::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// The operations guide's grants block (the sql block after its "<!-- grants" marker), for `db`.
std::string readme_grants(const std::string& db) {
  std::ifstream in(std::string(TAOSYNC_SOURCE_DIR) + "/docs/operations.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto marker = readme.find("<!-- grants");
  REQUIRE(marker != std::string::npos);
  const auto begin = readme.find("```sql\n", marker);
  REQUIRE(begin != std::string::npos);
  const auto end = readme.find("```", begin + 7);
  std::string sql = readme.substr(begin + 7, end - begin - 7);
  return std::regex_replace(sql, std::regex("DATABASE taosync "), "DATABASE " + db + " ");
}

/// Runs `sql` on `url` as the superuser.
void admin(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  taosync::store::pq::run0(tx, sql);
}

std::string query(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  return taosync::store::pq::run1(tx, sql)[0].c_str();
}

/// `url` (postgres@...) connecting as `role` instead.
std::string as_role(std::string url, const std::string& role) {
  return url.replace(url.find("postgres@"), 8, role);
}

std::string db_name(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

/// A port nothing listens on (bound, then released).
int closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct Run {
  int code;
  std::string out;
  std::string err;
  std::chrono::steady_clock::duration took;
};

Run taosyncd(const fs::path& config, std::vector<std::string> args, const fs::path& dir,
             std::chrono::milliseconds timeout = 120s) {
  const auto start = std::chrono::steady_clock::now();
  Process p = start_daemon(config, std::move(args), dir);
  const auto code = p.wait(timeout);
  REQUIRE_MESSAGE(code.has_value(), "taosyncd did not finish: " << p.stderr_tail());
  return {*code, p.stdout_text(), p.stderr_text(), std::chrono::steady_clock::now() - start};
}

} // namespace

TEST_CASE(
    "a DML-only role granted as the operations guide says runs once; unmigrated, it is told why") {
  ScratchDir dir("ops-db-roles");
  PgCluster pg;
  SimProcess sim({"--orders", "150", "--seed", "5"}, dir.path());
  DaemonConfig cfg;
  cfg.rest_url = sim.rest_url();
  const fs::path config = dir.path() / "taosync.yaml";

  // The guide's setup, then `migrate` as the owner and `once` as the DML role.
  const std::string migrated = pg.create_database();
  admin(migrated, readme_grants(db_name(migrated)));
  cfg.db_url = as_role(migrated, "taosync_owner");
  write_daemon_config(config, cfg);
  const Run m = taosyncd(config, {"migrate"}, dir.path());
  REQUIRE_MESSAGE(m.code == 0, m.err);
  cfg.db_url = as_role(migrated, "taosync");
  write_daemon_config(config, cfg);
  const Run once = taosyncd(config, {"once"}, dir.path());
  CHECK_MESSAGE(once.code == 0, once.err);
  CHECK(std::stoi(query(migrated, "SELECT count(*) FROM taosync.orders")) >= 150);
  CHECK(std::stoi(query(migrated, "SELECT count(*) FROM taosync.order_status_history")) > 0);
  const Run status = taosyncd(config, {"status"}, dir.path());
  CHECK_MESSAGE(status.code == 0, status.err);
  CHECK(status.out.find("init:         done") != std::string::npos);

  SUBCASE("the same setup, not migrated yet: exit 78 naming the right and the fix") {
    const std::string fresh = pg.create_database();
    std::string grants = readme_grants(db_name(fresh));
    grants = std::regex_replace(grants, std::regex("CREATE ROLE [^;]*;"), ""); // roles exist
    admin(fresh, grants);
    cfg.db_url = as_role(fresh, "taosync");
    write_daemon_config(config, cfg);
    const Run r = taosyncd(config, {"once"}, dir.path());
    CHECK_MESSAGE(r.code == 78, r.err);
    CHECK(r.err.find("schema taosync is at version 0") != std::string::npos);
    CHECK(r.err.find("Role taosync may not apply them: it lacks CREATE on schema taosync (owned "
                     "by taosync_owner)") != std::string::npos);
    CHECK(r.err.find("run `taosyncd migrate` as the owner of schema taosync") != std::string::npos);
    CHECK(query(fresh, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE n.nspname = 'taosync'") == "0");
  }
  SUBCASE("a database without any setup: exit 78, no CREATE on the database") {
    const std::string bare = pg.create_database();
    cfg.db_url = as_role(bare, "taosync");
    write_daemon_config(config, cfg);
    const Run r = taosyncd(config, {"run"}, dir.path());
    CHECK_MESSAGE(r.code == 78, r.err);
    CHECK(r.err.find("lacks CREATE on database " + db_name(bare)) != std::string::npos);
  }
}

TEST_CASE("once, migrate, status, resync and audit exit 69 after connect_timeout when the "
          "database is away") {
  ScratchDir dir("ops-db-down");
  DaemonConfig cfg;
  cfg.rest_url = "http://127.0.0.1:1/rest"; // never reached: the database comes first
  const int port = closed_port();
  cfg.db_url = "postgresql://taosync:db-pw-hidden@127.0.0.1:" + std::to_string(port) + "/shop";
  cfg.database_yaml = "  connect_timeout: 2s\n";
  const fs::path config = write_daemon_config(dir.path() / "taosync.yaml", cfg);
  const std::vector<std::vector<std::string>> commands{
      {"once"}, {"migrate"}, {"status"}, {"resync", "558757367941"}, {"audit"}};
  for (const auto& args : commands) {
    CAPTURE(args[0]);
    const Run r = taosyncd(config, args, dir.path(), 60s);
    CHECK_MESSAGE(r.code == 69, r.err);
    CHECK(r.took >= 1900ms);
    CHECK(r.took < 15s); // 2s plus a generous margin
    CHECK(r.err.find("database unreachable at 127.0.0.1:" + std::to_string(port) +
                     "/shop after 2s (database.connect_timeout): ") != std::string::npos);
    CHECK(r.err.find("Connection refused") != std::string::npos); // libpq's reason
    CHECK((r.out + r.err).find("db-pw-hidden") == std::string::npos);
  }

  SUBCASE("a stopped cluster") {
    PgCluster pg;
    cfg.db_url = pg.create_database();
    pg.stop_immediate();
    write_daemon_config(config, cfg);
    const Run r = taosyncd(config, {"once"}, dir.path(), 60s);
    CHECK_MESSAGE(r.code == 69, r.err);
    CHECK(r.err.find("(database.connect_timeout)") != std::string::npos);
  }
}

TEST_CASE("run keeps waiting for the database, saying why and when it tries next") {
  ScratchDir dir("ops-db-wait");
  DaemonConfig cfg;
  cfg.rest_url = "http://127.0.0.1:1/rest";
  cfg.db_url = "postgresql://postgres@127.0.0.1:" + std::to_string(closed_port()) + "/shop";
  cfg.database_yaml = "  connect_timeout: 2s\n";
  const fs::path config = write_daemon_config(dir.path() / "taosync.yaml", cfg);
  Process d = start_daemon(config, {"run"}, dir.path());
  std::this_thread::sleep_for(6s); // three times connect_timeout, a dozen attempts
  REQUIRE_MESSAGE(d.running(), d.stderr_tail());
  const std::string err = d.stderr_text();
  CHECK(err.find("database unreachable at 127.0.0.1:") != std::string::npos);
  CHECK(err.find("Connection refused") != std::string::npos);
  CHECK(err.find("next attempt in") != std::string::npos);
  CHECK(err.find("waiting for it") != std::string::npos);
  // One line says it, not one per attempt (the next comes after a minute).
  std::size_t lines = 0;
  for (auto pos = err.find("unreachable"); pos != std::string::npos;
       pos = err.find("unreachable", pos + 1))
    ++lines;
  CHECK(lines == 1);
  d.kill(SIGTERM);
  const auto code = d.wait(15s);
  REQUIRE_MESSAGE(code.has_value(), d.stderr_tail());
  CHECK(*code == 0);
}
