#include "sync/line_batches.hpp"

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

LinePlan plan_line_fetch(const std::vector<api::Order>& orders,
                         const std::unordered_map<std::string, api::TimePoint>& stored,
                         std::size_t batch_size, bool refetch_all) {
  LinePlan plan;
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  for (const auto& o : orders) {
    const auto it = stored.find(o.trade_order_id);
    // Same or older than stored: the overlap re-read costs no item call (and an older listing
    // would not be written anyway).
    if (!refetch_all && it != stored.end() && o.modification_time <= it->second) {
      continue;
    }
    plan.orders.push_back(o.trade_order_id);
    for (const auto& id : o.line_ids) {
      if (seen.insert(id).second) {
        ids.push_back(id);
      }
    }
  }
  plan.calls = chunk_ids(ids, batch_size);
  return plan;
}

LineCollation collate_lines(const std::vector<api::Order>& orders,
                            const std::vector<std::string>& wanted,
                            const std::vector<api::OrderLine>& lines,
                            const std::vector<api::RejectedRecord>& rejected,
                            const std::vector<std::string>& accounted) {
  std::unordered_set<std::string> arrived(accounted.begin(), accounted.end());
  for (const auto& l : lines) {
    arrived.insert(l.trade_order_line_id);
  }
  for (const auto& r : rejected) {
    if (!r.record_id.empty()) {
      arrived.insert(r.record_id);
    }
  }
  std::unordered_map<std::string, const api::Order*> by_id;
  for (const auto& o : orders) {
    by_id[o.trade_order_id] = &o;
  }
  LineCollation out;
  for (const auto& id : wanted) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) {
      continue;
    }
    bool complete = true;
    for (const auto& line_id : it->second->line_ids) {
      if (!arrived.contains(line_id)) {
        complete = false;
        out.missing_line_ids.push_back(line_id);
      }
    }
    (complete ? out.complete : out.incomplete).push_back(id);
  }
  return out;
}

std::vector<std::string>
attribute_anonymous_rejects(const std::vector<std::string>& requested,
                            const std::vector<api::OrderLine>& lines,
                            const std::vector<api::RejectedRecord>& rejected) {
  std::unordered_set<std::string> answered;
  std::size_t anonymous = 0;
  for (const auto& l : lines) {
    answered.insert(l.trade_order_line_id);
  }
  for (const auto& r : rejected) {
    if (r.record_id.empty()) {
      ++anonymous;
    } else {
      answered.insert(r.record_id);
    }
  }
  std::vector<std::string> unanswered;
  for (const auto& id : requested) {
    if (!answered.contains(id)) {
      unanswered.push_back(id);
    }
  }
  if (unanswered.size() > anonymous) {
    return {}; // some line is truly missing: cannot tell which ones the broken records were
  }
  return unanswered;
}

std::vector<api::OrderLine> lines_of(const std::vector<api::Order>& orders,
                                     const std::vector<std::string>& orders_kept,
                                     std::vector<api::OrderLine> lines) {
  const std::unordered_set<std::string> kept(orders_kept.begin(), orders_kept.end());
  std::unordered_set<std::string> line_ids;
  for (const auto& o : orders) {
    if (kept.contains(o.trade_order_id)) {
      line_ids.insert(o.line_ids.begin(), o.line_ids.end());
    }
  }
  std::unordered_set<std::string> kept_lines;
  std::erase_if(lines, [&](const api::OrderLine& l) {
    // not ours, or a duplicate in the answers
    return !line_ids.contains(l.trade_order_line_id) ||
           !kept_lines.insert(l.trade_order_line_id).second;
  });
  return lines;
}

} // namespace taosync::sync
