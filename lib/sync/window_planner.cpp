#include "sync/window_planner.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
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
// A window cut between exact counts aims at this share of a page: only the counts' spread
// between the known points can overflow it.
constexpr double kKnownFill = 0.92;
// A window certain to fit is taken over a fuller aim when it likely holds this share of a page.
constexpr double kCertainFill = 0.6;
// Past this many pages of a known range, windows are sized by the recent density instead.
constexpr std::int64_t kLocalPages = 4;
// A known range this many times sparser than what lies just beyond it starts with a gap.
constexpr double kGapRatio = 4.0;
// Orders seen in overfull answers kept per sweep; dropping some only makes cuts more cautious.
constexpr std::size_t kMaxSeen = 2048;

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

WindowPlanner::WindowPlanner(PlannerSettings settings) {
  set_settings(settings);
}

void WindowPlanner::set_settings(PlannerSettings settings) {
  settings_ = settings;
  pages_ = std::max(1, settings_.max_pages);
}

std::int64_t WindowPlanner::capacity() const {
  return static_cast<std::int64_t>(pages_) * std::max(1, settings_.page_size);
}

void WindowPlanner::start(TimePoint from, TimePoint until) {
  pages_ = std::max(1, settings_.max_pages);
  from_ = model::unit_start(from, settings_.resolution);
  until_ = model::unit_end_by(until, settings_.resolution);
  known_.clear();
  searching_ = false;
  split_ = false;
  seen_.clear();
  seen_ids_.clear();
}

Millis WindowPlanner::target_length() const {
  const auto max_len = std::max(settings_.max_length, Millis(1));
  if (density_ <= 0) {
    return max_len; // nothing seen yet, or empty windows: read as far as allowed
  }
  const double ideal = settings_.fill * static_cast<double>(capacity()) / density_;
  if (!(ideal < static_cast<double>(max_len.count()))) {
    return max_len;
  }
  return std::max(Millis(1), Millis(std::llround(ideal)));
}

std::optional<TimePoint> WindowPlanner::certain_end(TimePoint end, std::int64_t count) const {
  // [from_, end] holds `count` orders; each order seen in (x, end] is one that [from_, x] does
  // not hold. The latest x with count - seen(x, end] <= page is certain to fit.
  const std::int64_t beyond = count - capacity();
  if (beyond <= 0) {
    return end;
  }
  const auto last = std::upper_bound(seen_.begin(), seen_.end(), end,
                                     [](TimePoint t, const SeenOrder& o) { return t < o.at; });
  if (last - seen_.begin() < beyond) {
    return std::nullopt;
  }
  const TimePoint t = (last - beyond)->at; // the beyond-th latest order seen
  if (t <= from_) {
    return std::nullopt;
  }
  return t - Millis(1);
}

TimePoint WindowPlanner::aim_inside(const KnownRange& over, std::size_t index, TimePoint lo,
                                    std::int64_t lo_count) const {
  // The count of [from_, t] is known at a few ends t (the known ranges); aim where a nearly
  // full page ends, between the known point below (lo, lo_count) and `over`.
  const double target = kKnownFill * static_cast<double>(capacity());
  const double share = (target - static_cast<double>(lo_count)) /
                       static_cast<double>(std::max<std::int64_t>(1, over.count - lo_count));
  TimePoint aim = lo + Millis(std::llround(share * static_cast<double>((over.end - lo).count())));
  if (recent_ > 0 && !split_) {
    // The density of the last windows read knows this stretch better than the average over a
    // range that may reach far past the last orders (unless the last window, so sized,
    // overflowed); with many pages to go, only it.
    const double rest =
        settings_.fill * static_cast<double>(capacity()) - static_cast<double>(lo_count);
    const TimePoint local = lo + Millis(std::llround(std::max(1.0, rest / recent_)));
    aim = over.count - lo_count > kLocalPages * capacity() ? local : std::min(aim, local);
  }
  if (index > 0) {
    // Orders bunched late in `over` (a shop whose history starts long after the range does)
    // show as a density there far below the one just beyond it: extrapolate back from its end
    // with the latter.
    const auto& outer = known_[index - 1];
    // The orders beyond `over` lie between its end and the latest order seen, when one was
    // seen there: a range that reaches far past the last orders does not thin them out.
    const TimePoint beyond_end = !seen_.empty() && seen_.back().at > over.end
                                     ? std::min(outer.end, seen_.back().at)
                                     : outer.end;
    const double beyond =
        static_cast<double>(outer.count - over.count) /
        static_cast<double>(std::max<std::int64_t>(1, (beyond_end - over.end).count()));
    const double inside = static_cast<double>(over.count - lo_count) /
                          static_cast<double>(std::max<std::int64_t>(1, (over.end - lo).count()));
    if (beyond > kGapRatio * inside) {
      aim = std::max(aim, over.end - Millis(std::llround(
                                         (static_cast<double>(over.count) - target) / beyond)));
    } else if (split_ && outer.count == over.count && lo_count == 0) {
      // The last cut found nothing between its end and the outer one: the orders are
      // bunched early. Cut harder each time (by the last cut's ratio too), so that a few
      // orders at the start of a vast range are found in few calls.
      const double last_cut = static_cast<double>((over.end - lo).count()) /
                              static_cast<double>((outer.end - lo).count());
      aim = lo +
            Millis(std::max<std::int64_t>(
                1, std::llround(share * last_cut * static_cast<double>((over.end - lo).count()))));
    }
  } else if (split_ && lo_count == 0 && !seen_.empty() && seen_.front().at > from_) {
    // Only the whole range is known, from the answer just in: the earliest order it showed
    // says where orders are.
    aim = std::max(aim, seen_.front().at - Millis(1));
  }
  if (searching_) {
    aim = std::max(aim, lo + (over.end - lo) / 2); // the last aim was empty: halve instead
  }
  aim = std::clamp(aim, from_, over.end - Millis(1));
  if (const auto certain = certain_end(over.end, over.count)) {
    // Certain to fit: take it when it reaches as far, or still holds most of a page.
    const double estimate =
        static_cast<double>(lo_count) + static_cast<double>(over.count - lo_count) *
                                            static_cast<double>((*certain - lo).count()) /
                                            static_cast<double>((over.end - lo).count());
    if (*certain >= aim ||
        (*certain >= lo && estimate >= kCertainFill * static_cast<double>(capacity()))) {
      return *certain;
    }
  }
  return aim;
}

Millis WindowPlanner::bracketed_length(Millis len) const {
  // Each known range [from_, end] holds `count` orders (nested: the innermost is the latest
  // split). The largest one that fits a page is read whole when it holds most of a page;
  // otherwise the window reaches past it, towards the smallest one known to overflow, or by
  // the density estimate when none does. With no range that fits, the window is cut inside the
  // innermost: where the orders seen in overfull answers make it certain to fit, or where the
  // known counts say a nearly full page ends.
  const auto length_to = [&](TimePoint x) { return x - from_ + Millis(1); };
  std::size_t fit = 0;
  while (fit < known_.size() && known_[fit].count > capacity()) {
    ++fit;
  }
  if (fit == known_.size()) {
    return length_to(aim_inside(known_.back(), known_.size() - 1, from_ - Millis(1), 0));
  }
  const auto& fits = known_[fit];
  const double target = settings_.fill * static_cast<double>(capacity());
  if (static_cast<double>(fits.count) >= target) {
    return length_to(fits.end);
  }
  if (fit > 0) {
    return length_to(
        std::max(fits.end, aim_inside(known_[fit - 1], fit - 1, fits.end, fits.count)));
  }
  if (density_ <= 0) {
    return std::max(len, length_to(fits.end));
  }
  const double extra = (target - static_cast<double>(fits.count)) / density_;
  if (!(extra < static_cast<double>(settings_.max_length.count()))) {
    return settings_.max_length;
  }
  return length_to(fits.end) + Millis(std::llround(extra));
}

Window WindowPlanner::next() const {
  auto len = target_length();
  if (!known_.empty()) {
    len = bracketed_length(len);
  }
  // Whole units only: a cut inside one is rounded down to the end of the unit before it, so
  // that a window certain to fit still does.
  const auto unit = std::max(settings_.resolution, Millis(1));
  len = std::clamp(len, unit, std::max(settings_.max_length, unit));
  len = std::max(unit, len / unit.count() * unit.count());
  const auto remaining = until_ - from_ + Millis(1);
  len = std::min(len, remaining);
  return Window{from_, from_ + len - Millis(1)};
}

void WindowPlanner::learn(const Window& w, std::int64_t count, bool replace) {
  const double sample = static_cast<double>(count) /
                        static_cast<double>(std::max<std::int64_t>(1, w.length().count()));
  if (count > 0 && !replace) {
    recent_ = recent_ > 0 ? kNewestWeight * sample + (1 - kNewestWeight) * recent_ : sample;
  }
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

void WindowPlanner::remember(std::span<const SeenOrder> seen, TimePoint end) {
  for (const auto& o : seen) {
    if (o.at >= from_ && o.at <= end && seen_ids_.insert(o.id).second) {
      seen_.push_back(o);
    }
  }
  std::sort(seen_.begin(), seen_.end(),
            [](const SeenOrder& a, const SeenOrder& b) { return a.at < b.at; });
  if (seen_.size() > kMaxSeen) {
    const auto drop = static_cast<std::ptrdiff_t>(seen_.size() - kMaxSeen);
    for (auto it = seen_.begin(); it != seen_.begin() + drop; ++it) {
      seen_ids_.erase(it->id);
    }
    seen_.erase(seen_.begin(), seen_.begin() + drop);
  }
}

Verdict WindowPlanner::observe(const Window& w, std::int64_t total_count,
                               std::span<const SeenOrder> seen) {
  if (total_count <= capacity()) {
    accept(w, total_count);
    return Verdict::accept;
  }
  if (w.length() <= settings_.resolution) {
    return Verdict::page_through;
  }
  remember(seen, w.to);
  learn(w, total_count, true);
  split_ = true;
  if (!known_.empty() && total_count < known_.back().count) {
    searching_ = false; // this window's end cuts into the orders: interpolate again
  }
  if (known_.size() == kMaxKnown) {
    known_.erase(known_.begin() + 1); // keep the outermost (the whole sweep) and the newest
  }
  // Ranges stay nested, outermost first: a window reaching past a range known to fit sits
  // outside it.
  const auto inside =
      std::find_if(known_.begin(), known_.end(), [&](const KnownRange& k) { return k.end < w.to; });
  known_.insert(inside, KnownRange{w.to, total_count}); // the next window shrinks the end
  return Verdict::split;
}

void WindowPlanner::accept(const Window& w, std::int64_t count) {
  learn(w, count, false);
  from_ = w.to + Millis(1);
  split_ = false;
  searching_ = !known_.empty() && count == 0; // missed the known orders: bisect towards them
  const auto passed =
      std::find_if(seen_.begin(), seen_.end(), [&](const SeenOrder& o) { return o.at > w.to; });
  for (auto it = seen_.begin(); it != passed; ++it) {
    seen_ids_.erase(it->id);
  }
  seen_.erase(seen_.begin(), passed);
  std::erase_if(known_, [&](const KnownRange& k) { return k.end <= w.to; }); // passed them
  for (auto& k : known_) {
    k.count -= count; // the window lay inside every range still ahead
  }
  if (known_.empty()) {
    searching_ = false;
  }
}

std::optional<Window> incremental_range(TimePoint hwm, TimePoint now,
                                        const config::WindowConfig& cfg, Millis resolution) {
  const TimePoint to = model::unit_end_by(now - cfg.lag, resolution);
  if (to <= hwm) {
    return std::nullopt; // nothing new since the last cycle
  }
  TimePoint from = model::unit_start(hwm - cfg.overlap, resolution);
  if (from > to) {
    from = model::unit_start(to, resolution);
  }
  return Window{from, to};
}

InitRange init_range(std::optional<TimePoint> recorded_t0, std::optional<TimePoint> cursor,
                     TimePoint configured_start, TimePoint now, Millis lag, Millis resolution) {
  InitRange out{recorded_t0.value_or(model::unit_end_by(now - lag, resolution)), std::nullopt};
  const TimePoint from =
      cursor ? *cursor + Millis(1) : model::unit_start(configured_start, resolution);
  if (from <= out.t0) {
    out.remaining = Window{from, out.t0};
  }
  return out;
}

std::vector<SeenOrder> seen_orders(const std::vector<model::Order>& page) {
  std::vector<SeenOrder> out;
  out.reserve(page.size());
  for (const auto& o : page) {
    out.push_back(SeenOrder{o.modification_time, std::hash<std::string>{}(o.trade_order_id)});
  }
  return out;
}

bool passes_agree(const std::vector<model::Order>& a, const std::vector<model::Order>& b) {
  return snapshot(a) == snapshot(b);
}

PlannerSettings PlannerSettings::from(const config::SyncConfig& sync,
                                      const model::ListingRules& rules) {
  const auto unit = std::max(rules.resolution, Millis(1));
  // A max_length shorter than a unit still reads one; a longer one ends on a unit.
  const auto max_length = std::max(unit, sync.window.max_length / unit.count() * unit.count());
  return PlannerSettings{sync.page_size,
                         rules.reachable_pages(sync.page_size, sync.window.max_pages), kWindowFill,
                         max_length, unit};
}

} // namespace taosync::sync
