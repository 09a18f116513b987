#pragma once
// The parts of reading a window that concern one unit of modification time holding more than
// a window may (sync/window_reader.hpp): the attempt they share with the reader, paging a unit
// through until two passes agree, and, past the listing's offset cap, reading it in slices of
// creation time. Internal to lib/sync.

#include "api/platform.hpp"
#include "model/stop.hpp"
#include "sync/window_reader.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace taosync::sync::detail {

/// The state of one attempt at a window.
struct Attempt {
  api::Platform& client;
  const ReadLimits& limits;
  int page_size;
  WindowRead& read;
  const EarlyOrders* early; ///< takes the orders of verified pages, if given
  int calls = 0;
  int extra_calls = 0;                ///< calls allowed beyond limits.max_calls (a big unit)
  std::optional<Window> created;      ///< narrows every ask to these creation times, if set
  std::optional<std::string> problem; ///< set once an answer did not add up

  /// One page of `w` (narrowed to `created`), counted against the attempt's budget; nullopt
  /// with `problem` set once the budget is spent.
  net::awaitable<std::optional<model::Page<model::Order>>> ask(const Window& w, int page);

  /// Verifies a page that is kept: counts, envelope, and each record's time.
  bool verify(model::Page<model::Order>& p, const Window& w, int page);
};

/// The fallback for more than a page of orders in one unit: page through, and re-read until two
/// consecutive passes saw the same orders (ids and modification times). Whatever any pass saw
/// is kept (the newest version of each order) in a.read. Returns false when an answer did not
/// add up (a.problem says why).
net::awaitable<bool> page_through(Attempt& a, const Window& w, model::Page<model::Order> first,
                                  const model::Stop& stop);

/// Why the single unit whose first page is `first` cannot be paged through, or nullopt: more
/// pages than one unit may take, or more than the listing's offset cap lets any page reach.
std::optional<std::string> beyond_paging(const model::Page<model::Order>& first, const Attempt& a);

/// Reads a unit holding more orders (`total` by its first answer) than the offset cap lets a
/// page reach in slices of creation time, into a.read. Returns false when an answer did not
/// add up, or one second of creation time still holds too many (a.problem says why).
net::awaitable<bool> read_by_creation(Attempt& a, const Window& w, std::int64_t total,
                                      const model::Stop& stop);

} // namespace taosync::sync::detail
