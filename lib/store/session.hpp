#pragma once
// Opening one PostgreSQL session the way every taosyncd connection is opened: the configured
// URL plus deadlines and keepalives, and the session's statement and lock timeouts.

#include "store/connection_settings.hpp"

#include <pqxx/connection>

#include <memory>

namespace taosync::store {

/// Connects and applies statement_timeout and lock_timeout to the session. A failure to
/// connect throws pqxx::broken_connection with libpq's reason, the password scrubbed.
std::unique_ptr<pqxx::connection> open_session(const ConnectionSettings& s);

} // namespace taosync::store
