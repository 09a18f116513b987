#include "store/server_watch.hpp"

#include "store/pq.hpp"

#include <spdlog/spdlog.h>

namespace taosync::store {
namespace {

// pg_current_wal_lsn() fails during recovery; the CASE keeps it from running there. The
// timeline is the first eight hex digits of the current WAL file's name.
constexpr const char* kServerIdentity = R"(
SELECT (SELECT system_identifier FROM pg_control_system())::text,
       pg_is_in_recovery(),
       CASE WHEN pg_is_in_recovery() THEN ''
            ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END)";

} // namespace

std::string ServerIdentity::describe() const {
  return "system " + system_identifier + ", timeline " + timeline;
}

ServerIdentity read_server_identity(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn, "server_identity");
  const auto row = pq::run1(tx, kServerIdentity);
  if (row[1].as<bool>())
    throw pqxx::broken_connection("the server is a standby in recovery (read-only); waiting "
                                  "for a primary");
  return ServerIdentity{row[0].as<std::string>(), row[2].as<std::string>()};
}

bool ServerWatch::observe(const ServerIdentity& server) {
  std::lock_guard lock(mutex_);
  if (known_ && *known_ == server)
    return false;
  const bool changed = known_.has_value();
  if (changed) {
    ++epoch_;
    spdlog::warn("database: now on another server ({}; was {}): it may lack commits the other "
                 "had, so every shop reads its cursor, held windows and owed orders again "
                 "before writing",
                 server.describe(), known_->describe());
  }
  known_ = server;
  return changed;
}

void ServerWatch::check(std::uint64_t epoch, std::string_view what) const {
  if (epoch != epoch_.load())
    throw ServerChanged(std::string(what) +
                        " was read from another database server than the one reached now; "
                        "nothing written, reading it again");
}

} // namespace taosync::store
