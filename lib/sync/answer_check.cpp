#include "sync/answer_check.hpp"

#include "sync/cycle_summary.hpp"

#include "model/endpoints.hpp"
#include "model/rules.hpp"
#include "model/utf8.hpp"

#include <algorithm>

namespace taosync::sync {

namespace {

std::string truncated(const std::string& raw) {
  return model::truncate_utf8(raw, model::kMaxRejectedRawBytes);
}

} // namespace

TimePoint latest_believable(std::chrono::milliseconds future_tolerance) {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()) +
         future_tolerance;
}

std::optional<std::string> listing_problem(const model::Page<model::Order>& page, int asked_page,
                                           int page_size) {
  if (!page.problem.empty())
    return page.problem;
  if (page.total_count < 0)
    return "total_count is negative (" + std::to_string(page.total_count) + ")";
  if (page.page_no != 0 && page.page_no != asked_page)
    return "page " + std::to_string(asked_page) + " was asked, page_no " +
           std::to_string(page.page_no) + " came back";
  const auto before = static_cast<std::int64_t>(asked_page - 1) * page_size;
  const auto expected = std::clamp<std::int64_t>(page.total_count - before, 0, page_size);
  const auto held = static_cast<std::int64_t>(page.items.size() + page.rejected.size());
  if (held != expected)
    return "page " + std::to_string(asked_page) + " holds " + std::to_string(held) +
           " record(s) but total_count " + std::to_string(page.total_count) + " means " +
           std::to_string(expected);
  return std::nullopt;
}

std::optional<std::string> order_time_problem(const model::Order& order, const TimeBounds& bounds) {
  const auto t = order.modification_time;
  if (t > bounds.latest)
    return "modification_time " + model::format_time(t) + " is in the future (after " +
           model::format_time(bounds.latest) + ", now plus sync.verify.future_tolerance)";
  if (bounds.asked && (t < bounds.asked->from || t > bounds.asked->to))
    return "modification_time " + model::format_time(t) + " lies outside the asked window [" +
           model::format_time(bounds.asked->from) + " .. " + model::format_time(bounds.asked->to) +
           "]";
  return std::nullopt;
}

std::optional<std::string> line_problem(const model::OrderLine& line,
                                        const std::string& listing_order, TimePoint latest) {
  if (line.trade_order_id != listing_order)
    return "line " + line.trade_order_line_id + " names order " + line.trade_order_id +
           " but order " + listing_order + " lists it";
  if (line.modification_time > latest)
    return "modification_time " + model::format_time(line.modification_time) +
           " is in the future (after " + model::format_time(latest) +
           ", now plus sync.verify.future_tolerance)";
  return std::nullopt;
}

void reject_untrusted_orders(std::vector<model::Order>& orders,
                             std::vector<model::RejectedRecord>& rejected, const TimeBounds& bounds,
                             std::string_view endpoint) {
  std::erase_if(orders, [&](model::Order& o) {
    auto problem = order_time_problem(o, bounds);
    if (!problem)
      return false;
    rejected.push_back(model::RejectedRecord{std::string(endpoint), o.trade_order_id,
                                             std::move(*problem), truncated(o.raw_json)});
    return true;
  });
}

model::RejectedRecord rejected_line(const model::OrderLine& line, std::string reason) {
  return model::RejectedRecord{std::string(model::kLinesPath), line.trade_order_line_id,
                               std::move(reason), truncated(line.raw_json)};
}

} // namespace taosync::sync
