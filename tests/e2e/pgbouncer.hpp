#pragma once
// A throwaway PgBouncer in front of a test's PostgreSQL: Debian's real binary with its own ini
// in a temp dir, on a free 127.0.0.1 port, auth_type trust. As root (CI) it runs as `nobody`,
// since PgBouncer refuses root, like the PostgreSQL it fronts.

#include "process.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace taosync::e2e {

class PgBouncer {
public:
  /// Starts PgBouncer with `pool_mode` (session, transaction, statement) for every database
  /// of the PostgreSQL on 127.0.0.1:`pg_port`; waits until it accepts connections.
  /// The binary: $TAOSYNC_PGBOUNCER, else /usr/sbin/pgbouncer.
  PgBouncer(int pg_port, const std::string& pool_mode);
  /// Kills it and removes its dir.
  ~PgBouncer();
  PgBouncer(const PgBouncer&) = delete;
  PgBouncer& operator=(const PgBouncer&) = delete;

  /// `db_url` (a url of the fronted PostgreSQL) with PgBouncer's port instead.
  std::string url_of(const std::string& db_url) const;
  int port() const { return port_; }
  /// PgBouncer's log so far (for failure messages).
  std::string log() const;

private:
  std::filesystem::path dir_;
  int port_ = 0;
  std::unique_ptr<testing::Process> process_;
};

} // namespace taosync::e2e
