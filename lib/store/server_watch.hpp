#pragma once
// Which PostgreSQL server the connections reach, and whether it is still the one the sync
// state was read from. A primary that fails over to an asynchronous standby can take its
// last commits with it: a cursor remembered from the old server may then be past rows the
// new one never received, and must be read again from the new one before anything moves it.

#include <pqxx/connection>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace taosync::store {

/// A server's history: its cluster (system identifier) and timeline. A promoted standby keeps
/// the first and starts a new timeline; a restart keeps both; a new cluster changes the first.
struct ServerIdentity {
  std::string system_identifier;
  std::string timeline; ///< 8 hex digits, as in WAL file names

  bool operator==(const ServerIdentity&) const = default;
  /// "system 7715481054719362354, timeline 00000002".
  std::string describe() const;
};

/// Reads the identity of the server `conn` reaches (any role may). Throws
/// pqxx::broken_connection if that server is a standby in recovery: taosync writes, so a
/// read-only server is one to try again later, as an unreachable one is.
ServerIdentity read_server_identity(pqxx::connection& conn);

/// Thrown by a write whose sync state was read from another server than the one the write
/// now reaches. Nothing was written; the state must be read again.
class ServerChanged : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The server every connection of one process has reached last, and an epoch that moves each
/// time a connection reaches a different one. Shared by all connections; thread-safe.
class ServerWatch {
public:
  /// Records the server a new connection reached; true (and a warn line) if it differs from
  /// the one before, which moves the epoch.
  bool observe(const ServerIdentity& server);
  /// Moves each time observe() sees a different server.
  std::uint64_t epoch() const { return epoch_.load(); }
  /// Throws ServerChanged unless `epoch` (when `what` was read) is still the current one.
  void check(std::uint64_t epoch, std::string_view what) const;

private:
  mutable std::mutex mutex_;
  std::optional<ServerIdentity> known_; ///< guarded by mutex_
  std::atomic<std::uint64_t> epoch_{0};
};

} // namespace taosync::store
