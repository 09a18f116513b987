#include "sync/workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <vector>

namespace taosync::sync {

net::awaitable<void> run_workers(std::size_t count, const MakeWorker& make) {
  auto ex = co_await net::this_coro::executor;
  using Op = decltype(net::co_spawn(ex, make(), net::deferred));
  std::vector<Op> ops;
  ops.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    ops.push_back(net::co_spawn(ex, make(), net::deferred));
  auto group = net::experimental::make_parallel_group(std::move(ops));
  auto [order, errors] =
      co_await group.async_wait(net::experimental::wait_for_all(), net::use_awaitable);
  (void)order;
  for (const auto& e : errors)
    if (e)
      std::rethrow_exception(e);
}

} // namespace taosync::sync
