#pragma once
// The database failures a command or an operator must tell apart, each mapped to its own
// exit code by the daemon: unreachable (69), a deadline cut a statement (75), the schema or
// the role's rights are not what taosyncd needs (78). And libpq's messages and the database URL
// described in logs and errors without its password.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace taosync::store {

/// The database could not be reached within database.connect_timeout.
class DatabaseUnreachable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A statement was cut by database.statement_timeout or database.lock_timeout (past retries).
class DatabaseTimeout : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The schema is not usable as it is: a pending migration the role may not apply, a missing
/// right, or an object taosyncd did not create. The message names the object and the fix.
class SchemaProblem : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Which server-side deadline ended a statement.
enum class TimeoutKind { statement, lock };

/// The deadline that cut the statement `e` reports, if it is one (SQLSTATE 55P03 with
/// "lock timeout", 57014 with "statement timeout"); nullopt for every other error.
std::optional<TimeoutKind> timeout_kind(const std::exception& e);

/// Whether `e` says PostgreSQL rolled the transaction back to break a deadlock (SQLSTATE
/// 40P01): the transaction is gone whole and may run again.
bool deadlock_victim(const std::exception& e);

/// Whether `e` says the server lacks a resource to run it (SQLSTATE class 53: disk full,
/// out of memory, a configured limit): the transaction is gone whole, and may run again once
/// the server has room.
bool out_of_resources(const std::exception& e);

/// The config key of a deadline: "database.statement_timeout" or "database.lock_timeout".
const char* timeout_key(TimeoutKind kind);

/// The connection string with any password replaced by "***", for logs and errors.
/// Handles URIs (postgresql://user:pw@host/db?password=pw) and key=value strings.
std::string redacted_url(std::string_view url);

/// `message` with every occurrence of the URL's password (if it has one) replaced by "***".
std::string scrub_password(std::string message, std::string_view url);

/// A libpq message on one line, without the password of `url`: libpq's come with newlines
/// and tabs.
std::string one_line(const std::string& message, const std::string& url);

} // namespace taosync::store
