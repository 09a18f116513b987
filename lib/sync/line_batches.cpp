#include "sync/line_batches.hpp"

#include "sync/answer_check.hpp"

#include <algorithm>
#include <unordered_set>

namespace taosync::sync {

std::size_t LinePlan::line_count() const {
  std::size_t n = 0;
  for (const auto& c : calls) {
    n += c.size();
  }
  return n;
}

std::vector<std::vector<std::string>> chunk_ids(const std::vector<std::string>& ids,
                                                std::size_t batch_size) {
  batch_size = std::max<std::size_t>(1, batch_size);
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < ids.size(); i += batch_size) {
    const auto end = std::min(ids.size(), i + batch_size);
    out.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(i),
                     ids.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return out;
}

bool listing_is_news(const model::Order& listed, const store::StoredVersion& stored) {
  if (listed.modification_time != stored.modification_time)
    return listed.modification_time > stored.modification_time;
  if (listed.status != stored.status)
    return true;
  if (listed.line_ids.empty() && listed.line_count) // a count instead of ids: compare that
    return static_cast<std::size_t>(std::max<std::int64_t>(0, *listed.line_count)) !=
           stored.line_ids.size();
  return listed.line_ids != stored.line_ids;
}

void name_counted_lines(std::vector<model::Order>& orders, const LineCollation& c,
                        const StoredVersions& stored) {
  std::unordered_map<std::string, std::vector<std::string>> ids;
  for (const auto& l : c.lines)
    ids[l.trade_order_id].push_back(l.trade_order_line_id);
  const std::unordered_set<std::string> complete(c.complete.begin(), c.complete.end());
  for (auto& o : orders) {
    if (!o.line_ids.empty() || !o.line_count)
      continue;
    if (complete.contains(o.trade_order_id)) {
      auto& found = ids[o.trade_order_id];
      std::sort(found.begin(), found.end());
      o.line_ids = std::move(found);
    } else if (const auto it = stored.find(o.trade_order_id); it != stored.end()) {
      o.line_ids = it->second.line_ids; // its stored lines stay: the row keeps naming them
    }
  }
}

LinePlan plan_line_fetch(const std::vector<model::Order>& orders, const StoredVersions& stored,
                         std::size_t batch_size, bool refetch_all, model::LinesBy by) {
  LinePlan plan;
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  for (const auto& o : orders) {
    const auto it = stored.find(o.trade_order_id);
    // The same version as stored, or an older one: the overlap re-read costs no item call (and
    // an older listing would not be written anyway).
    if (!refetch_all && it != stored.end() && !listing_is_news(o, it->second)) {
      continue;
    }
    plan.orders.push_back(o.trade_order_id);
    for (const auto& id : o.line_ids) {
      if (seen.insert(id).second) {
        ids.push_back(id);
      }
    }
  }
  plan.calls = chunk_ids(by == model::LinesBy::line_id ? ids : plan.orders, batch_size);
  return plan;
}

std::vector<std::string> LineCollation::missing_line_ids() const {
  std::vector<std::string> ids;
  for (const auto& o : incomplete)
    ids.insert(ids.end(), o.missing_line_ids.begin(), o.missing_line_ids.end());
  return ids;
}

std::size_t LineCollation::missing_lines() const {
  std::size_t n = 0;
  for (const auto& o : incomplete)
    n += o.missing;
  return n;
}

std::vector<std::string> LineCollation::ids_to_ask_again(model::LinesBy by) const {
  if (by == model::LinesBy::line_id)
    return missing_line_ids();
  std::vector<std::string> ids;
  ids.reserve(incomplete.size());
  for (const auto& o : incomplete)
    ids.push_back(o.trade_order_id);
  return ids;
}

namespace {

// collate_lines by order id: a line belongs to the wanted order it names, and an order is
// complete with as many distinct usable lines as its listing counts.
LineCollation collate_by_order(const std::unordered_map<std::string, const model::Order*>& by_id,
                               const std::vector<std::string>& wanted,
                               std::vector<model::OrderLine> lines, model::TimePoint latest) {
  const std::unordered_set<std::string> asked(wanted.begin(), wanted.end());
  LineCollation out;
  std::unordered_map<std::string, std::size_t> usable;  // line id -> position in out.lines
  std::unordered_map<std::string, std::size_t> arrived; // order id -> distinct usable lines
  for (auto& l : lines) {
    if (!asked.contains(l.trade_order_id) || !by_id.contains(l.trade_order_id))
      continue; // not asked for (or asked for an order that is not wanted any more)
    if (auto problem = line_problem(l, l.trade_order_id, latest)) {
      out.rejected.push_back(rejected_line(l, std::move(*problem)));
      continue;
    }
    const auto [at, fresh] = usable.try_emplace(l.trade_order_line_id, out.lines.size());
    if (fresh) {
      ++arrived[l.trade_order_id];
      out.lines.push_back(std::move(l));
    } else if (out.lines[at->second].modification_time <= l.modification_time) {
      out.lines[at->second] = std::move(l); // a re-ask answered: keep the newest
    }
  }
  for (const auto& id : wanted) {
    const auto it = by_id.find(id);
    if (it == by_id.end())
      continue;
    const auto expected =
        static_cast<std::size_t>(std::max<std::int64_t>(1, it->second->line_count.value_or(1)));
    const auto got = arrived.contains(id) ? arrived.at(id) : 0;
    if (got >= expected)
      out.complete.push_back(id);
    else
      out.incomplete.push_back(IncompleteOrder{id, {}, expected - got});
  }
  return out;
}

} // namespace

LineCollation collate_lines(const std::vector<model::Order>& orders,
                            const std::vector<std::string>& wanted,
                            std::vector<model::OrderLine> lines, model::TimePoint latest,
                            model::LinesBy by) {
  std::unordered_map<std::string, const model::Order*> by_id;
  for (const auto& o : orders)
    by_id[o.trade_order_id] = &o;
  if (by == model::LinesBy::order_id)
    return collate_by_order(by_id, wanted, std::move(lines), latest);
  std::unordered_map<std::string, std::string> owner; // line id -> the wanted order listing it
  for (const auto& id : wanted)
    if (const auto it = by_id.find(id); it != by_id.end())
      for (const auto& line_id : it->second->line_ids)
        owner.try_emplace(line_id, id);

  LineCollation out;
  std::unordered_map<std::string, std::size_t> usable; // line id -> position in out.lines
  for (auto& l : lines) {
    const auto it = owner.find(l.trade_order_line_id);
    if (it == owner.end())
      continue; // not asked for (or asked for an order that is not wanted any more)
    if (auto problem = line_problem(l, it->second, latest)) {
      out.rejected.push_back(rejected_line(l, std::move(*problem)));
      continue;
    }
    const auto [at, fresh] = usable.try_emplace(l.trade_order_line_id, out.lines.size());
    if (fresh)
      out.lines.push_back(std::move(l));
    else if (out.lines[at->second].modification_time <= l.modification_time)
      out.lines[at->second] = std::move(l); // a re-ask answered: keep the newest
  }
  for (const auto& id : wanted) {
    const auto it = by_id.find(id);
    if (it == by_id.end())
      continue;
    IncompleteOrder missing{id, {}, 0};
    for (const auto& line_id : it->second->line_ids)
      if (!usable.contains(line_id))
        missing.missing_line_ids.push_back(line_id);
    missing.missing = missing.missing_line_ids.size();
    if (missing.missing_line_ids.empty())
      out.complete.push_back(id);
    else
      out.incomplete.push_back(std::move(missing));
  }
  return out;
}

} // namespace taosync::sync
