#include "query.hpp"

#include <algorithm>
#include <limits>

namespace taosync::sim {

namespace {

bool matches(const Shop& shop, std::uint32_t index, std::size_t status) {
  return status == MtimeIndex::kAll ||
         static_cast<std::size_t>(shop.orders()[index].status) == status;
}

bool created_within(const OrderRec& o, const ListQuery& q) {
  return (!q.created_from || o.creation_ms >= *q.created_from) &&
         (!q.created_to || o.creation_ms <= *q.created_to);
}

/// Pages by rank in the modification-time index.
ListResult by_modification(const Shop& shop, const ListQuery& q, std::uint32_t lo, std::uint32_t hi,
                           std::int64_t skip) {
  const auto& idx = shop.by_mtime();
  ListResult r;
  r.total = idx.count(q.status, lo, hi);
  auto before = idx.count(q.status, 0, lo);
  for (std::int64_t i = skip; i < r.total && i < skip + q.page_size; ++i) {
    auto rank = q.sort == SortOrder::modification_asc ? before + i + 1 : before + r.total - i;
    r.orders.push_back(idx.order_at(idx.select(q.status, rank)));
  }
  return r;
}

/// Pages an ordering of all orders (no window): walks it, skipping other statuses.
template <class Walk>
ListResult by_walk(const Shop& shop, const ListQuery& q, std::int64_t skip, Walk walk) {
  ListResult r;
  r.total = shop.by_mtime().count(q.status, 0, shop.by_mtime().slots());
  if (skip >= r.total)
    return r;
  std::int64_t seen = 0;
  walk([&](std::uint32_t index) {
    if (!matches(shop, index, q.status))
      return true;
    if (seen++ >= skip)
      r.orders.push_back(index);
    return static_cast<std::int64_t>(r.orders.size()) < q.page_size;
  });
  return r;
}

/// Collects a window's matches and sorts the requested page out of them.
ListResult by_sorting(const Shop& shop, const ListQuery& q, std::uint32_t lo, std::uint32_t hi,
                      std::int64_t skip) {
  const auto& idx = shop.by_mtime();
  std::vector<std::uint32_t> found;
  for (auto slot = lo; slot < hi; ++slot) {
    auto index = idx.order_at(slot);
    if (index != MtimeIndex::kDead && matches(shop, index, q.status) &&
        created_within(shop.orders()[index], q))
      found.push_back(index);
  }
  ListResult r;
  r.total = static_cast<std::int64_t>(found.size());
  if (skip >= r.total)
    return r;
  const auto& orders = shop.orders();
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (q.sort == SortOrder::id_asc)
      return orders[a].id < orders[b].id;
    if (q.sort == SortOrder::modification_asc)
      return std::pair(orders[a].mtime_ms, orders[a].slot) <
             std::pair(orders[b].mtime_ms, orders[b].slot);
    if (q.sort == SortOrder::modification_desc)
      return std::pair(orders[a].mtime_ms, orders[a].slot) >
             std::pair(orders[b].mtime_ms, orders[b].slot);
    return std::pair(orders[a].creation_ms, orders[a].id) >
           std::pair(orders[b].creation_ms, orders[b].id);
  };
  auto first = found.begin() + skip;
  auto last = found.begin() + std::min<std::int64_t>(r.total, skip + q.page_size);
  std::nth_element(found.begin(), first, found.end(), before);
  std::partial_sort(first, last, found.end(), before);
  r.orders.assign(first, last);
  return r;
}

} // namespace

ListResult list_orders(const Shop& shop, const ListQuery& q) {
  if (q.unknown_status || q.page < 1 || q.page_size < 1)
    return {};
  // Far-away pages are simply empty (and must not overflow).
  auto skip = q.offset ? std::min<std::int64_t>(*q.offset, std::int64_t{1} << 40)
                       : std::min<std::int64_t>(q.page - 1, std::int64_t{1} << 40) * q.page_size;
  bool windowed = q.from || q.to;
  if (q.sort == SortOrder::modification_asc || q.sort == SortOrder::modification_desc || windowed) {
    auto [lo, hi] = shop.by_mtime().range(q.from.value_or(std::numeric_limits<std::int64_t>::min()),
                                          q.to.value_or(std::numeric_limits<std::int64_t>::max()));
    const bool by_creation = q.created_from || q.created_to; // no index: sort the matches
    if (!by_creation &&
        (q.sort == SortOrder::modification_asc || q.sort == SortOrder::modification_desc))
      return by_modification(shop, q, lo, hi, skip);
    return by_sorting(shop, q, lo, hi, skip);
  }
  // No window: page a whole ordering, by index when every status counts.
  const auto& created = shop.by_creation();
  auto n = static_cast<std::int64_t>(created.size());
  if (q.status == MtimeIndex::kAll) {
    ListResult r;
    r.total = n;
    for (auto i = skip; i < n && i < skip + q.page_size; ++i)
      r.orders.push_back(q.sort == SortOrder::id_asc
                             ? static_cast<std::uint32_t>(i)
                             : created[static_cast<std::size_t>(n - 1 - i)]);
    return r;
  }
  if (q.sort == SortOrder::id_asc)
    return by_walk(shop, q, skip, [&](auto visit) {
      for (std::uint32_t i = 0; i < shop.orders().size() && visit(i); ++i) {
      }
    });
  return by_walk(shop, q, skip, [&](auto visit) {
    for (auto it = created.rbegin(); it != created.rend() && visit(*it); ++it) {
    }
  });
}

} // namespace taosync::sim
