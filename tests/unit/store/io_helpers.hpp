#pragma once
// Running database awaitables from a test: to completion on a fresh io_context, or on an
// io_context of its own thread while the test acts.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <thread>

namespace taosync::store::test {

namespace net = boost::asio;

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

} // namespace taosync::store::test
