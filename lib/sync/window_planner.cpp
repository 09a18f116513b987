#include "sync/window_planner.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace taosync::sync {

namespace {

// Weight of the newest window in the density estimate: recent windows matter most, because
// order density changes with the time of day and over a shop's history.
constexpr double kNewestWeight = 0.5;
constexpr double kEmptyShrink = 0.25;
// Known ranges kept per sweep (nested splits); more only refine what the newest one says.
constexpr std::size_t kMaxKnown = 8;

std::vector<std::pair<std::string, TimePoint>> snapshot(const std::vector<model::Order>& orders) {
  std::vector<std::pair<std::string, TimePoint>> out;
  out.reserve(orders.size());
  for (const auto& o : orders) {
    out.emplace_back(o.trade_order_id, o.modification_time);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace

WindowPlanner::WindowPlanner(PlannerSettings settings) : settings_(settings) {}

void WindowPlanner::start(TimePoint from, TimePoint until) {
  from_ = from;
  until_ = until;
  known_.clear();
  searching_ = false;
}

Millis WindowPlanner::target_length() const {
  const auto max_len = std::max(settings_.max_length, Millis(1));
  if (density_ <= 0) {
    return max_len; // nothing seen yet, or empty windows: read as far as allowed
  }
  const double ideal = settings_.fill * settings_.page_size / density_;
  if (!(ideal < static_cast<double>(max_len.count()))) {
    return max_len;
  }
  return std::max(Millis(1), Millis(std::llround(ideal)));
}

Millis WindowPlanner::bracketed_length(Millis len) const {
  // Each known range [from_, end] holds `count` orders (nested: the innermost is the latest
  // split). The outermost one whose rest fits in a page is read whole (no call per quiet
  // stretch after a shop's last orders). Otherwise the innermost one, known to hold more than
  // a page, is never read whole: aim where its count says a page's worth ends (interpolation),
  // and while that keeps missing (orders bunched further in) bisect instead, so finding a busy
  // stretch in a long quiet range costs about log2 calls.
  for (const auto& known : known_) {
    if (known.count <= settings_.page_size) {
      return known.end - from_ + Millis(1);
    }
  }
  const auto& inner = known_.back();
  const auto range = (inner.end - from_ + Millis(1)).count();
  if (range <= 1) {
    return len;
  }
  if (searching_) {
    return Millis(std::max<std::int64_t>(1, range / 2));
  }
  const double interpolated = static_cast<double>(range) * settings_.fill * settings_.page_size /
                              static_cast<double>(inner.count);
  const auto aim = static_cast<std::int64_t>(interpolated);
  return std::min(len, Millis(std::clamp<std::int64_t>(aim, 1, range - 1)));
}

Window WindowPlanner::next() const {
  auto len = target_length();
  if (!known_.empty()) {
    len = bracketed_length(len);
  }
  len = std::clamp(len, Millis(1), std::max(settings_.max_length, Millis(1)));
  const auto remaining = until_ - from_ + Millis(1);
  len = std::min(len, remaining);
  return Window{from_, from_ + len - Millis(1)};
}

void WindowPlanner::learn(const Window& w, std::int64_t count, bool replace) {
  const double sample = static_cast<double>(count) /
                        static_cast<double>(std::max<std::int64_t>(1, w.length().count()));
  if (count == 0 && !replace) {
    // An empty window: grow the next one fast (x4), so that long quiet stretches of a shop's
    // history cost few calls; overshooting into busy time costs one informed split.
    density_ *= kEmptyShrink;
    return;
  }
  if (replace || density_ <= 0) {
    density_ = sample; // an overfull window measures the current region directly
  } else {
    density_ = kNewestWeight * sample + (1 - kNewestWeight) * density_;
  }
}

Verdict WindowPlanner::observe(const Window& w, std::int64_t total_count) {
  if (total_count <= settings_.page_size) {
    accept(w, total_count);
    return Verdict::accept;
  }
  if (w.length() <= Millis(1)) {
    return Verdict::page_through;
  }
  learn(w, total_count, true);
  if (!known_.empty() && total_count < known_.back().count) {
    searching_ = false; // this window's end cuts into the orders: interpolate again
  }
  if (known_.size() == kMaxKnown) {
    known_.erase(known_.begin() + 1); // keep the outermost (the whole sweep) and the newest
  }
  known_.push_back(KnownRange{w.to, total_count}); // the next window shrinks the end
  return Verdict::split;
}

void WindowPlanner::accept(const Window& w, std::int64_t count) {
  learn(w, count, false);
  from_ = w.to + Millis(1);
  searching_ = !known_.empty() && count == 0; // missed the known orders: bisect towards them
  std::erase_if(known_, [&](const KnownRange& k) { return k.end <= w.to; }); // passed them
  for (auto& k : known_) {
    k.count -= count; // the window lay inside every range still ahead
  }
  if (known_.empty()) {
    searching_ = false;
  }
}

std::optional<Window> incremental_range(TimePoint hwm, TimePoint now,
                                        const config::WindowConfig& cfg) {
  const TimePoint to = now - cfg.lag;
  if (to <= hwm) {
    return std::nullopt; // nothing new since the last cycle
  }
  TimePoint from = hwm - cfg.overlap;
  if (from > to) {
    from = to;
  }
  return Window{from, to};
}

InitRange init_range(std::optional<TimePoint> recorded_t0, std::optional<TimePoint> cursor,
                     TimePoint configured_start, TimePoint now, Millis lag) {
  InitRange out{recorded_t0.value_or(now - lag), std::nullopt};
  const TimePoint from = cursor ? *cursor + Millis(1) : configured_start;
  if (from <= out.t0) {
    out.remaining = Window{from, out.t0};
  }
  return out;
}

bool passes_agree(const std::vector<model::Order>& a, const std::vector<model::Order>& b) {
  return snapshot(a) == snapshot(b);
}

PlannerSettings PlannerSettings::from(const config::SyncConfig& sync) {
  return PlannerSettings{sync.page_size, kWindowFill, sync.window.max_length};
}

} // namespace taosync::sync
