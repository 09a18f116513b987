#pragma once
// The writer thread: owns the Store, runs jobs on it one at a time, reconnects with backoff
// after a dropped connection and retries the interrupted job whole.

#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace taosync::store {

namespace net = boost::asio;

class Writer {
public:
  /// Starts the thread; connects lazily on the first job.
  Writer(std::string url, std::chrono::milliseconds max_backoff);
  ~Writer(); ///< finishes the running job, then joins
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Runs `job(store)` on the writer thread and returns its result to the awaiting coroutine.
  /// A broken connection is reconnected with backoff and `job` is run again, so `job` must
  /// be idempotent (a whole transaction). Other exceptions propagate.
  template <class R> net::awaitable<R> run(std::function<R(Store&)> job) {
    co_return co_await net::co_spawn(executor(), run_on_thread<R>(std::move(job)),
                                     net::use_awaitable);
  }

  /// Convenience: write one batch.
  net::awaitable<WriteResult> write(Batch batch);

  /// Stops retrying (used at shutdown): a job waiting for a reconnect throws.
  void stop();

private:
  net::any_io_executor executor();
  template <class R> net::awaitable<R> run_on_thread(std::function<R(Store&)> job) {
    co_return with_retry<R>(job);
  }
  template <class R> R with_retry(const std::function<R(Store&)>& job);
  Store& connected_store(); // (re)connects with backoff

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store
