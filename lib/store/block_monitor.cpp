#include "store/block_monitor.hpp"

#include "store/db_errors.hpp"
#include "store/session.hpp"

#include "obs/metrics.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace taosync::store {
namespace {

constexpr std::chrono::seconds kRecheck{1};
/// The monitor's own statements must never hang: they only read catalog views.
constexpr std::chrono::seconds kMonitorStatementTimeout{10};

// The lock `$1` waits for and every session holding or queued ahead of it. pg_stat_activity
// hides other roles' state and query unless the role has pg_read_all_stats: they come back
// NULL (or "<insufficient privilege>").
constexpr std::string_view kBlockersSql = R"sql(
WITH waiting AS (
  SELECT coalesce(l.relation::regclass::text, l.locktype) AS object, l.mode
  FROM pg_locks l WHERE l.pid = $1 AND NOT l.granted LIMIT 1
)
SELECT w.object, w.mode, b.pid, coalesce(a.usename::text, ''),
       coalesce(a.application_name, ''), coalesce(a.state, ''),
       extract(epoch FROM now() - a.state_change)::bigint,
       CASE WHEN a.query IS NULL OR a.query = '<insufficient privilege>' THEN ''
            WHEN length(a.query) > 120
              THEN regexp_replace(left(a.query, 117), '\s+', ' ', 'g') || '...'
            ELSE regexp_replace(a.query, '\s+', ' ', 'g') END
FROM waiting w
CROSS JOIN LATERAL unnest(pg_blocking_pids($1)) AS b(pid)
LEFT JOIN pg_stat_activity a ON a.pid = b.pid
ORDER BY b.pid
)sql";

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

} // namespace

std::string describe_blockers(const std::vector<Blocker>& blockers) {
  std::string out;
  for (const auto& b : blockers) {
    std::string details = "user " + (b.user.empty() ? std::string("?") : b.user);
    if (!b.application.empty())
      details += ", app " + b.application;
    if (b.state.empty()) {
      details += ", state hidden (grant pg_read_all_stats to see it)";
    } else {
      details += ", " + b.state;
      if (b.state_s)
        details += " " + std::to_string(*b.state_s) + "s";
      if (!b.query.empty())
        details += ": " + trimmed(b.query);
    }
    out += (out.empty() ? "by pid " : "; by pid ") + std::to_string(b.pid) + " (" + details + ")";
  }
  return out;
}

std::string describe_block(const std::string& who, const BlockSample& sample,
                           std::chrono::seconds waited) {
  return who + (who.starts_with("write") ? " to " : " on ") + sample.object + " blocked " +
         std::to_string(waited.count()) + "s " + describe_blockers(sample.blockers);
}

BlockMonitor::BlockMonitor(ConnectionSettings settings, std::string who,
                           std::chrono::milliseconds look_after,
                           std::chrono::milliseconds report_after,
                           std::chrono::milliseconds log_every)
    : settings_(std::move(settings)), who_(std::move(who)), look_after_(look_after),
      report_after_(report_after), log_every_(log_every) {
  settings_.statement_timeout = kMonitorStatementTimeout;
  settings_.lock_timeout = kMonitorStatementTimeout;
  // Nor its connect: a destructor waiting on it would hold up shutdown.
  settings_.connect_timeout =
      std::min<std::chrono::milliseconds>(settings_.connect_timeout, kMonitorStatementTimeout);
  thread_ = std::thread([this] { loop(); });
}

BlockMonitor::~BlockMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BlockMonitor::begin(int backend_pid, std::chrono::steady_clock::time_point job_since) {
  if (backend_pid == 0)
    return; // no one server process to look at (a transaction pooler)
  {
    std::lock_guard lock(mutex_);
    attempt_ = Attempt{backend_pid, next_id_++, std::chrono::steady_clock::now(), job_since};
    last_seen_.clear();
  }
  wake_.notify_all();
}

void BlockMonitor::end() {
  std::lock_guard lock(mutex_);
  attempt_.reset();
}

std::string BlockMonitor::last_seen() const {
  std::lock_guard lock(mutex_);
  return last_seen_;
}

void BlockMonitor::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!attempt_) {
      wake_.wait(lock);
      continue;
    }
    const Attempt a = *attempt_;
    if (std::chrono::steady_clock::now() < a.since + look_after_) {
      wake_.wait_until(lock, a.since + look_after_);
      continue;
    }
    lock.unlock();
    const auto sample = look(a.pid);
    lock.lock();
    if (sample && attempt_ && attempt_->id == a.id) {
      last_seen_ =
          sample->mode + " on " + sample->object + ", held " + describe_blockers(sample->blockers);
      report(a, *sample);
    }
    wake_.wait_for(lock, kRecheck, [&] { return stopping_ || !attempt_ || attempt_->id != a.id; });
  }
}

std::optional<BlockSample> BlockMonitor::look(int pid) {
  try {
    if (!conn_)
      conn_ = open_session(settings_);
    pqxx::nontransaction tx(*conn_, "block_monitor");
    const auto rows = pq::run(tx, std::string(kBlockersSql), pid);
    if (rows.empty())
      return std::nullopt; // not waiting for a lock: slow, not blocked
    BlockSample sample;
    sample.object = rows[0][0].as<std::string>();
    sample.mode = rows[0][1].as<std::string>();
    for (const auto& r : rows) {
      Blocker b;
      b.pid = r[2].as<int>();
      b.user = r[3].as<std::string>();
      b.application = r[4].as<std::string>();
      b.state = r[5].as<std::string>();
      if (!r[6].is_null())
        b.state_s = r[6].as<std::int64_t>();
      b.query = r[7].as<std::string>();
      sample.blockers.push_back(std::move(b));
    }
    return sample;
  } catch (const std::exception& e) {
    // The monitor only explains; its own trouble must not disturb the job it watches.
    spdlog::debug("database {}: cannot look at what blocks it: {}", who_,
                  one_line(e.what(), settings_.url));
    conn_.reset();
    return std::nullopt;
  }
}

void BlockMonitor::report(const Attempt& a, const BlockSample& sample) {
  const auto now = std::chrono::steady_clock::now();
  const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - a.job_since);
  obs::metrics().set_db_blocker(who_, "waiting for " + last_seen_);
  if (now - a.job_since < report_after_)
    return;
  std::string cause = sample.object;
  for (const auto& b : sample.blockers)
    cause += " " + std::to_string(b.pid);
  std::erase_if(logged_, [&](const auto& kv) { return now - kv.second > 6 * log_every_; });
  if (auto it = logged_.find(cause); it != logged_.end() && now - it->second < log_every_)
    return;
  logged_[cause] = now;
  spdlog::warn("database {}", describe_block(who_, sample, waited));
}

} // namespace taosync::store
