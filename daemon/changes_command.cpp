// `taosyncd changes`: prints the change feed as JSON lines, and with --follow keeps printing
// what new write transactions commit, across database restarts, until SIGTERM or SIGINT.

#include "commands.hpp"
#include "exit_codes.hpp"
#include "runtime.hpp"

#include "model/backoff.hpp"
#include "store/change_listener.hpp"
#include "store/db_errors.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

namespace taosync::daemon {

namespace {

using namespace std::chrono_literals;

constexpr int kPageRows = 1000;
/// How long one wait for a notification lasts: also how soon a signal is noticed.
constexpr auto kWaitSlice = 250ms;
/// Re-read this often even without a notification: the safety net for a lost one.
constexpr auto kRereadEvery = 5s;
/// Re-read this often where nothing can notify (a transaction pooler without listen_url).
constexpr auto kPollEvery = 1s;
constexpr auto kFirstBackoff = 1s;

volatile std::sig_atomic_t g_stop_requested = 0;

void request_stop(int) {
  g_stop_requested = 1;
}

/// SIGTERM and SIGINT end --follow cleanly (no SA_RESTART: a wait in progress is cut short).
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

bool stop_requested() {
  return g_stop_requested != 0;
}

/// Prints every row after `since`, page by page; returns the last id printed (or `since`).
std::int64_t print_after(store::ChangeListener& feed, std::int64_t since,
                         const std::optional<std::string>& shop) {
  for (;;) {
    const auto rows = feed.read(since, shop, kPageRows);
    for (const auto& row : rows) {
      std::cout << row.json << '\n';
      since = row.id;
    }
    std::cout.flush();
    if (rows.size() < static_cast<std::size_t>(kPageRows))
      return since;
  }
}

/// A failure that a database restart or a dropped connection causes: worth a reconnect.
bool connection_lost(const pqxx::failure& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e))
    return true;
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  // class 08: connection exception; class 57: operator intervention (the server shuts down)
  return sql && (sql->sqlstate().rfind("08", 0) == 0 || sql->sqlstate().rfind("57", 0) == 0);
}

/// A missing feed table means the schema was never migrated to this version.
[[noreturn]] void throw_unmigrated(const pqxx::undefined_table& e, const std::string& url) {
  throw store::SchemaProblem("taosync.changes does not exist (" + store::one_line(e.what(), url) +
                             "). Fix: run `taosyncd migrate` with this taosyncd");
}

/// Sleeps `d`, cut short by a stop request.
void sleep_unless_stopped(std::chrono::milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop_requested() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        100ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                   until - std::chrono::steady_clock::now())));
}

/// Where --follow reads: the connection, whether it can LISTEN, and the setting it comes from.
struct FeedSource {
  store::ConnectionSettings settings;
  bool listen = true;
  std::string url_key = "database.url";
};

/// database.listen_url if set (PostgreSQL itself: LISTEN works), else database.url, which
/// cannot LISTEN behind a transaction pooler: a notification would reach whichever server
/// session ran the LISTEN, not this client. Said once in the log.
FeedSource feed_source(const config::Config& cfg) {
  FeedSource src{store::connection_settings(cfg.database)};
  if (!cfg.database.listen_url.empty()) {
    src.settings.url = cfg.database.listen_url;
    src.settings.pooler = store::Pooler::none;
    src.url_key = "database.listen_url";
  } else if (src.settings.pooler == store::Pooler::transaction) {
    src.listen = false;
    spdlog::info("change feed: database.pooler is transaction, which cannot carry LISTEN: "
                 "re-reading the feed every {}s instead (set database.listen_url to a direct "
                 "connection to be woken at each commit)",
                 std::chrono::seconds(kPollEvery).count());
  }
  return src;
}

/// Where --follow stands: the last id printed, and the reconnect backoff.
struct FollowState {
  std::int64_t since = 0;
  model::Backoff backoff;
  bool lost = false; ///< the previous session was lost
};

/// Follows the feed on one session until a stop request. A lost session throws (a
/// pqxx::failure) with `st.since` past what was printed.
void follow_session(const FeedSource& src, const std::string& target, FollowState& st,
                    const std::optional<std::string>& shop) {
  // LISTEN first, then read: nothing falls between
  store::ChangeListener feed(src.settings, src.listen, src.url_key);
  const auto reread_every = src.listen ? std::chrono::milliseconds(kRereadEvery) : kPollEvery;
  if (st.lost)
    spdlog::info("change feed: reconnected to {}, reading after id {}", target, st.since);
  st.backoff.reset();
  st.since = print_after(feed, st.since, shop);
  if (!st.lost)
    spdlog::info("change feed: following {} after id {}", target, st.since);
  st.lost = false;
  auto last_read = std::chrono::steady_clock::now();
  while (!stop_requested()) {
    const bool notified = feed.wait(kWaitSlice);
    const auto now = std::chrono::steady_clock::now();
    if (notified || now - last_read >= reread_every) {
      st.since = print_after(feed, st.since, shop);
      last_read = now;
    }
  }
}

/// --follow: reconnects after a lost session with doubling backoff up to
/// database.reconnect_max_backoff, logging each failed attempt and the recovery.
int follow(const config::Config& cfg, std::int64_t since, const std::optional<std::string>& shop) {
  install_stop_handlers();
  const FeedSource src = feed_source(cfg);
  const auto& settings = src.settings;
  const std::string target = store::describe_target(settings.url);
  const auto ceiling =
      std::max<std::chrono::milliseconds>(cfg.database.reconnect_max_backoff, kFirstBackoff);
  FollowState st{since, model::Backoff({.initial = kFirstBackoff, .cap = ceiling})};
  while (!stop_requested()) {
    try {
      follow_session(src, target, st, shop);
    } catch (const pqxx::undefined_table& e) {
      throw_unmigrated(e, settings.url);
    } catch (const pqxx::failure& e) {
      if (!connection_lost(e))
        throw;
      if (stop_requested())
        break;
      const auto wait = st.backoff.next();
      spdlog::warn("change feed: database {} unreachable after id {} ({}); reconnecting in {}ms",
                   target, st.since, store::one_line(e.what(), settings.url), wait.count());
      st.lost = true;
      sleep_unless_stopped(wait);
    }
  }
  std::cout.flush();
  return kExOk;
}

} // namespace

int cmd_changes(const CliOptions& opts) {
  return with_config(opts.config_path, [&opts](const config::Config& cfg) {
    const std::optional<std::string> only_shop =
        opts.shop.empty() ? std::nullopt : std::optional<std::string>(opts.shop);
    if (opts.follow)
      return follow(cfg, opts.since, only_shop);
    const auto settings = store::connection_settings(cfg.database);
    try {
      store::ChangeListener feed(settings, false);
      print_after(feed, opts.since, only_shop);
    } catch (const pqxx::undefined_table& e) {
      throw_unmigrated(e, settings.url);
    }
    return kExOk;
  });
}

} // namespace taosync::daemon
