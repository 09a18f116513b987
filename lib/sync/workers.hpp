#pragma once
// Bounded workers: n coroutines that take from one shared list of work (the pages of a
// window, the calls of a line fan-out) until it is done, all on the caller's executor, so the
// list they share needs no lock.

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>

namespace taosync::sync {

namespace net = boost::asio;

/// Makes one worker: a coroutine that takes work from the shared list until none is left.
using MakeWorker = std::function<net::awaitable<void>()>;

/// Runs `count` workers made by `make` at once on the current executor and waits for every
/// one to finish; then rethrows the first exception any of them ended with. Pass `make` as a
/// named std::function (GCC 12 co_await, docs/design.md).
net::awaitable<void> run_workers(std::size_t count, const MakeWorker& make);

} // namespace taosync::sync
