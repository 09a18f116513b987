#pragma once
// Says why a database job waits: while a job has been in flight for a while, a second
// connection asks PostgreSQL what its backend waits for (pg_locks) and who holds it
// (pg_blocking_pids joined with pg_stat_activity), logs that at warn once per cause and
// interval, and hands it to /healthz.

#include "store/connection_settings.hpp"

#include <pqxx/connection>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace taosync::store {

/// A session that blocks ours, as pg_stat_activity shows it.
struct Blocker {
  int pid = 0;
  std::string user;
  std::string application;
  std::string state;                   ///< "" when hidden (no pg_read_all_stats)
  std::optional<std::int64_t> state_s; ///< seconds in that state
  std::string query;                   ///< truncated, one line; "" when hidden
};

/// What one backend waits for: the lock's object and mode and who holds it.
struct BlockSample {
  std::string object; ///< "taosync.orders", or the lock type ("transactionid")
  std::string mode;   ///< "RowExclusiveLock"
  std::vector<Blocker> blockers;
};

/// "by pid 4242 (user dba, app psql, idle in transaction 40s: LOCK TABLE taosync.orders)",
/// several blockers joined by "; ".
std::string describe_blockers(const std::vector<Blocker>& blockers);

/// "write to taosync.orders blocked 12s by pid 4242 (...)" ("lookup on ..." for other jobs).
std::string describe_block(const std::string& who, const BlockSample& sample,
                           std::chrono::seconds waited);

class BlockMonitor {
public:
  /// Watches the jobs of `who` ("write", "lookup"). Looks at a job once it has run for
  /// `look_after`, logs what blocks it once it has waited `report_after`, at most once per
  /// `log_every` per cause. Connects lazily with `settings`.
  BlockMonitor(ConnectionSettings settings, std::string who, std::chrono::milliseconds look_after,
               std::chrono::milliseconds report_after,
               std::chrono::milliseconds log_every = std::chrono::seconds(10));
  ~BlockMonitor(); ///< stops and joins its thread
  BlockMonitor(const BlockMonitor&) = delete;
  BlockMonitor& operator=(const BlockMonitor&) = delete;

  /// An attempt of a job (pending since `job_since`, earlier attempts included) started on
  /// server process `backend_pid`. It is looked at `look_after` into the attempt, and its
  /// wait is counted from `job_since`: each attempt may be cut short by lock_timeout.
  /// `backend_pid` 0 (behind a transaction pooler) is not looked at.
  void begin(int backend_pid, std::chrono::steady_clock::time_point job_since);
  /// The attempt ended.
  void end();
  /// What the current (or just ended) attempt was last seen waiting for, as
  /// "RowExclusiveLock on taosync.orders, held by pid 4242 (...)"; "" if never seen blocked.
  std::string last_seen() const;

private:
  struct Attempt {
    int pid = 0;
    std::uint64_t id = 0;
    std::chrono::steady_clock::time_point since;
    std::chrono::steady_clock::time_point job_since;
  };
  void loop();
  std::optional<BlockSample> look(int pid); // on the monitor thread
  void report(const Attempt& a, const BlockSample& sample);

  ConnectionSettings settings_;
  std::string who_;
  std::chrono::milliseconds look_after_;
  std::chrono::milliseconds report_after_;
  std::chrono::milliseconds log_every_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<Attempt> attempt_;
  std::uint64_t next_id_ = 1;
  std::string last_seen_;
  std::map<std::string, std::chrono::steady_clock::time_point> logged_; // by cause
  std::unique_ptr<pqxx::connection> conn_;                              // the monitor thread's only
  std::thread thread_;
};

} // namespace taosync::store
