#pragma once
// A reader of the change feed: one read-only session that LISTENs on taosync_changes and
// pages through taosync.changes by id. Used by `taosyncd changes`; one thread only.

#include "store/change_feed.hpp"
#include "store/connection_settings.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taosync::store {

/// The channel every write that adds feed rows NOTIFYs, with the newest id as payload.
inline constexpr const char* kChangesChannel = "taosync_changes";

class ChangeListener {
public:
  /// Connects with the settings' deadlines; with `listen`, LISTENs on kChangesChannel before
  /// the first read, so no commit after it goes unnoticed. `url_key` names the setting
  /// settings.url came from, for the pooler check (store/pooler.hpp). Throws
  /// pqxx::broken_connection with libpq's reason (never the password), or
  /// config::ConfigError for a pooler the settings do not name.
  ChangeListener(const ConnectionSettings& settings, bool listen,
                 const std::string& url_key = "database.url");
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  /// Up to `limit` rows after `since` of `shop` (nullopt: every shop), in id order.
  std::vector<FeedRow> read(std::int64_t since, const std::optional<std::string>& shop, int limit);

  /// Waits up to `timeout` for a notification on kChangesChannel (less if a signal arrives);
  /// true if one came.
  /// Throws pqxx::broken_connection if the session is lost.
  bool wait(std::chrono::milliseconds timeout);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store
