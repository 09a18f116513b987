#pragma once
// Helpers of the lease tests: two daemons are two Database objects on one database.

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

/// Awaits `op` on a fresh io_context and returns its result.
template <class R> R await_op(net::awaitable<R> op) {
  net::io_context io;
  auto future = net::co_spawn(io, std::move(op), net::use_future);
  io.run();
  return future.get();
}

/// An io_context run by its own thread, so that a test can start an operation and act while
/// it waits.
class OpThread {
public:
  OpThread() : thread_([this] { io_.run(); }) {}
  ~OpThread() {
    guard_.reset();
    thread_.join();
  }
  OpThread(const OpThread&) = delete;
  OpThread& operator=(const OpThread&) = delete;
  /// Starts `op`; its result arrives in the future.
  template <class R> std::future<R> start(net::awaitable<R> op) {
    return net::co_spawn(io_, std::move(op), net::use_future);
  }

private:
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> guard_ = net::make_work_guard(io_);
  std::thread thread_;
};

/// Waits `seconds` on the database's clock (the clock leases expire by).
inline void db_sleep(const std::string& url, double seconds) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  tx.exec("SELECT pg_sleep(" + std::to_string(seconds) + ")");
}

} // namespace taosync::store::test
