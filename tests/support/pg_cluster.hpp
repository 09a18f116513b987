#pragma once
// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, served on a free
// 127.0.0.1 port. As root (CI) the server runs as user `nobody`, since postgres refuses root.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace taosync::testing {

/// A throwaway cluster under a temp dir. Binaries come from the directory named by the
/// environment variable TAOSYNC_PG_BIN, or else the newest /usr/lib/postgresql/NN/bin.
class PgCluster {
public:
  /// initdb + start on a free 127.0.0.1 port. `extra_settings` are "name=value" server
  /// settings added after the defaults (fsync=off, full_page_writes=off, ...).
  explicit PgCluster(std::vector<std::string> extra_settings = {});
  /// pg_ctl stop -m immediate, then removes the dir.
  ~PgCluster();
  /// A streaming-replication standby of `primary` (pg_basebackup -R), started on a free port
  /// with the primary's settings; hot, so it answers read-only queries.
  static std::unique_ptr<PgCluster> standby_of(const PgCluster& primary);
  /// Promotes this standby to a primary (pg_ctl promote) and waits until it is one.
  void promote();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  /// "postgresql://postgres@127.0.0.1:PORT/db".
  std::string url(const std::string& db = "postgres") const;
  /// Creates a fresh empty database `t_<n>` and returns its url.
  std::string create_database();
  /// Kills the server as a crash would (pg_ctl stop -m immediate).
  void stop_immediate();
  /// Starts the server again on the same port with the same data; waits until it accepts.
  void start();
  /// The TCP port on 127.0.0.1.
  int port() const { return port_; }
  /// The cluster's temp dir (data in data/, server log in server.log, socket in the dir).
  const std::filesystem::path& dir() const { return dir_; }
  /// The directory of the PostgreSQL binaries in use (psql, pg_dump, ...).
  const std::filesystem::path& bin_dir() const { return bin_; }
  /// The server log so far (for failure messages).
  std::string log() const;

private:
  struct StandbyTag {};
  PgCluster(const PgCluster& primary, StandbyTag);
  void start_on_free_port();
  void run_tool(const std::vector<std::string>& argv, bool throw_on_failure = true) const;
  bool try_start();

  std::filesystem::path bin_;
  std::filesystem::path dir_;
  std::vector<std::string> settings_;
  int port_ = 0;
  int next_db_ = 0;
  bool running_ = false;
};

} // namespace taosync::testing
