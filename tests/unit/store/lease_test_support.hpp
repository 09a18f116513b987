#pragma once
// Helpers of the lease tests: two daemons are two Database objects on one database.

#include "io_helpers.hpp"
#include "store/database.hpp"
#include "store_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <thread>

namespace taosync::store::test {

inline const DaemonIdentity kDaemonA{"daemon-a", "host-a", 101};
inline const DaemonIdentity kDaemonB{"daemon-b", "host-b", 202};
inline constexpr std::chrono::milliseconds kLeaseBackoff{400};

/// Waits `seconds` on the database's clock (the clock leases expire by).
inline void db_sleep(const std::string& url, double seconds) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  tx.exec("SELECT pg_sleep(" + std::to_string(seconds) + ")");
}

} // namespace taosync::store::test
