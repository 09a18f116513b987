#pragma once
// How taosyncd connects to PostgreSQL: the configured URL plus the deadlines and keepalives
// it adds to every connection, and a password-free description of the target for messages.

#include "config/config.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taosync::store {

using Millis = std::chrono::milliseconds;

/// Everything needed to open one connection.
struct ConnectionSettings {
  std::string url = "postgresql:///taosync"; ///< as configured; may hold a password
  Millis connect_timeout{std::chrono::seconds(30)};
  Millis statement_timeout{std::chrono::minutes(5)}; ///< 0: none
  Millis lock_timeout{std::chrono::seconds(30)};     ///< 0: none
  Millis keepalives_idle{std::chrono::seconds(60)};
  Millis keepalives_interval{std::chrono::seconds(10)};
  int keepalives_count = 6;
};

/// The settings of database.* in the config.
ConnectionSettings connection_settings(const config::DatabaseConfig& db);

/// Settings with the defaults and `url` (tests, tools).
ConnectionSettings connection_settings(std::string url);

/// `url` with each of `params` (libpq keyword, value) appended where the URL does not set
/// that keyword itself: what the user wrote always wins. Works on URIs and key=value strings;
/// a string libpq cannot parse is returned unchanged (connecting reports the error).
std::string with_libpq_defaults(std::string_view url,
                                const std::vector<std::pair<std::string, std::string>>& params);

/// The libpq string actually connected with: the URL plus connect_timeout, keepalives and
/// fallback_application_name=taosyncd (so pg_stat_activity names us).
std::string libpq_url(const ConnectionSettings& s);

/// "host:port/db" of the URL (libpq's defaults filled in), for messages; never a password.
std::string describe_target(std::string_view url);

} // namespace taosync::store
