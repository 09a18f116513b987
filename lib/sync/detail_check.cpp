#include "sync/detail_check.hpp"

#include "model/endpoints.hpp"
#include "sync/answer_check.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace taosync::sync {

CheckedDetail check_detail(model::OrderDetail detail, const std::string& asked_id,
                           const OwedContext& owed, model::TimePoint latest,
                           const std::string& shop) {
  CheckedDetail out;
  out.batch.shop = shop;
  out.batch.rejected = std::move(detail.rejected);
  model::Order& order = detail.order;
  if (order.trade_order_id.empty()) {
    out.problem = out.batch.rejected.empty() ? "the order record was unusable"
                                             : out.batch.rejected.front().reason;
    return out;
  }
  if (order.trade_order_id != asked_id) {
    out.problem = "asked for order " + asked_id + ", the answer is order " + order.trade_order_id;
    out.batch.rejected.push_back(model::RejectedRecord{
        std::string(model::kOrderPath), order.trade_order_id, out.problem, order.raw_json});
    return out;
  }
  if (auto problem = order_time_problem(order, TimeBounds{std::nullopt, latest})) {
    out.problem = *problem;
    out.batch.rejected.push_back(model::RejectedRecord{
        std::string(model::kOrderPath), order.trade_order_id, *problem, order.raw_json});
    return out;
  }
  out.order_usable = true;

  std::unordered_set<std::string> usable;
  for (auto& line : detail.lines) {
    if (auto problem = line_problem(line, asked_id, latest)) {
      out.batch.rejected.push_back(rejected_line(line, std::move(*problem)));
      continue;
    }
    if (usable.insert(line.trade_order_line_id).second)
      out.batch.lines.push_back(std::move(line));
  }
  if (order.line_ids.empty() && order.line_count) {
    // A platform that names no line ids counts them: the answer holds them all, or the
    // order stays owed and its stored lines stay as they are.
    const auto expected = static_cast<std::size_t>(std::max<std::int64_t>(0, *order.line_count));
    if (usable.size() >= expected) {
      order.line_ids.assign(usable.begin(), usable.end()); // its row names its lines
      std::sort(order.line_ids.begin(), order.line_ids.end());
      out.batch.lines_for.push_back(asked_id);
      out.batch.settled.push_back(asked_id);
    } else {
      out.problem = std::to_string(expected - usable.size()) + " of " + std::to_string(expected) +
                    " line(s) missing or unusable in the answer";
      out.batch.lines.clear();
      out.batch.owed.push_back(
          store::OwedOrder{asked_id, {}, order.modification_time, out.problem});
    }
    out.batch.orders.push_back(std::move(order));
    return out;
  }
  // The lines this answer must hold: its own, and those owed by the listed version unless
  // the answer is a newer version (whose line set may rightly differ).
  std::vector<std::string> required = order.line_ids;
  if (owed.modification_time && order.modification_time <= *owed.modification_time)
    required.insert(required.end(), owed.line_ids.begin(), owed.line_ids.end());
  std::vector<std::string> missing;
  std::unordered_set<std::string> seen;
  for (const auto& id : required)
    if (!usable.contains(id) && seen.insert(id).second)
      missing.push_back(id);

  // Every listed line the order still has is kept in the line set, stored ones included.
  for (const auto& id : missing)
    if (std::find(order.line_ids.begin(), order.line_ids.end(), id) == order.line_ids.end())
      order.line_ids.push_back(id);
  out.batch.lines_for.push_back(asked_id);
  if (missing.empty()) {
    out.batch.settled.push_back(asked_id);
  } else {
    out.problem = std::to_string(missing.size()) +
                  " line(s) missing or unusable in /order/get "
                  "(e.g. line " +
                  missing.front() + ")";
    out.batch.owed.push_back(
        store::OwedOrder{asked_id, std::move(missing), order.modification_time, out.problem});
  }
  out.batch.orders.push_back(std::move(order));
  return out;
}

} // namespace taosync::sync
