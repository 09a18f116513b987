#pragma once
// The window planner (docs/design.md §3): which modification-time window to read next so that each
// /orders/get answer fits in the pages a window may span (sync.window.max_pages, one set read
// whole) or, once the orders changed while paging, in one page. Pure: it takes values (times,
// counts) and returns values.

#include "config/config.hpp"
#include "model/listing_rules.hpp"
#include "model/records.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_set>
#include <vector>

namespace taosync::sync {

using model::TimePoint;
using Millis = std::chrono::milliseconds;

/// A modification-time window; both ends are inclusive, as the API's parameters are.
struct Window {
  TimePoint from;
  TimePoint to;
  /// Number of milliseconds covered (to - from + 1ms).
  Millis length() const { return to - from + Millis(1); }
  bool operator==(const Window&) const = default;
};

/// The share of a window's capacity a window sized from the density estimate alone aims to
/// fill: below 1 so that the estimate's error rarely overflows it (which costs a split and a
/// second call).
/// Windows sized from exact counts (below) aim higher.
inline constexpr double kWindowFill = 0.8;

/// An order an overfull answer showed: when it was modified, and a hash of its id (orders
/// seen twice count once). The planner uses them to cut the next window where it must fit.
struct SeenOrder {
  TimePoint at;
  std::uint64_t id = 0;
};

/// The orders of `page` as SeenOrder values.
std::vector<SeenOrder> seen_orders(const std::vector<model::Order>& page);

/// How the planner sizes windows.
struct PlannerSettings {
  int page_size{};           ///< orders one /orders/get page holds (sync.page_size)
  int max_pages{};           ///< pages one window may span (sync.window.max_pages)
  double fill = kWindowFill; ///< aim for this share of a window's capacity
  Millis max_length{};       ///< no window is longer than this (sync.window.max_length)
  /// The listing's time step: every window starts on a unit's first millisecond and ends on
  /// one's last, and spans at least one unit.
  Millis resolution{1};

  /// The settings of `sync` under the platform's `rules`: no more pages than its offset cap
  /// reaches. The init sweep widens max_length to its range.
  static PlannerSettings from(const config::SyncConfig& sync, const model::ListingRules& rules);
};

/// What to do after reading a window's first page.
enum class Verdict {
  accept,       ///< total_count fits the capacity: the window is complete once its pages are
  split,        ///< too many orders: read a shorter window from the same start
  page_through, ///< a single millisecond holds more than the capacity: page it and re-read
};

/// Plans one sweep of windows over [from, until]. Keeps a density estimate (orders per ms) from
/// the recent windows across sweeps, so that the next window holds about `fill` of its
/// capacity: max_pages pages, or one page once narrow() was called in this sweep.
class WindowPlanner {
public:
  explicit WindowPlanner(PlannerSettings settings);

  /// Starts sweeping [from, until] (inclusive), with the full capacity: from the start of
  /// `from`'s unit to the end of the last unit that ends by `until`. Keeps the density
  /// estimate.
  void start(TimePoint from, TimePoint until);

  /// Orders a window may hold: the pages it may span times the page size.
  std::int64_t capacity() const;

  /// One page per window for the rest of this sweep (the orders changed while paging).
  void narrow() { pages_ = 1; }

  /// True when the whole range is covered (or empty).
  bool done() const { return from_ > until_; }

  /// The window to read next. Precondition: !done().
  Window next() const;

  /// Records the first page's total_count of `w` (which must be next()); on accept the sweep
  /// moves past `w`. `seen` are the orders an overfull answer carried: an order of `w` seen
  /// after a time t means [start, t) holds at least one order fewer than `w`, so the next
  /// window can be cut where it is certain to fit a page.
  Verdict observe(const Window& w, std::int64_t total_count, std::span<const SeenOrder> seen = {});

  /// Marks `w` (a page_through window) as read completely with `count` orders.
  void accept(const Window& w, std::int64_t count);

  /// The current estimate, in orders per millisecond (0 = unknown or empty).
  double density() const { return density_; }

  /// The start of what is still to sweep.
  TimePoint position() const { return from_; }

  /// Applies new settings (page size, max pages, max length); keeps the estimate.
  void set_settings(PlannerSettings settings);
  const PlannerSettings& settings() const { return settings_; }

private:
  Millis target_length() const;
  void learn(const Window& w, std::int64_t count, bool replace);
  void remember(std::span<const SeenOrder> seen, TimePoint end);
  std::optional<TimePoint> certain_end(TimePoint end, std::int64_t count) const;

  PlannerSettings settings_;
  int pages_ = 1; ///< pages a window may span in this sweep
  TimePoint from_{};
  TimePoint until_{};
  double density_ = 0;
  double recent_ = 0; ///< orders per ms of the windows read that held orders
  /// A range [from_, end] an overfull answer showed to hold `count` orders (less what was
  /// read since).
  struct KnownRange {
    TimePoint end;
    std::int64_t count = 0;
  };
  Millis bracketed_length(Millis len) const;
  TimePoint aim_inside(const KnownRange& over, std::size_t index, TimePoint lo,
                       std::int64_t lo_count) const;

  std::vector<KnownRange> known_; ///< nested, outermost first
  bool searching_ = false;        ///< an empty window inside known_: bisect until orders show up
  bool split_ = false;            ///< the last window overflowed
  std::vector<SeenOrder> seen_;   ///< orders at or after from_ that overfull answers showed
  std::unordered_set<std::uint64_t> seen_ids_;
};

/// The incremental range [hwm - overlap, now - lag] in whole units of `resolution` (from the
/// start of the first unit to the end of the last one that ends by now - lag), or nullopt
/// when there is nothing new to read (the range ends by hwm, e.g. right after the previous
/// cycle or a clock step back).
std::optional<Window> incremental_range(TimePoint hwm, TimePoint now,
                                        const config::WindowConfig& cfg, Millis resolution);

/// The init sweep: T0 and the range still to sweep. `t0` is the recorded T0 if any.
struct InitRange {
  TimePoint t0;
  std::optional<Window> remaining; ///< nullopt when the sweep has reached T0
};

/// Computes the init range: T0 = recorded t0, or the end of the last unit of `resolution`
/// that ends by now - lag; from = cursor + 1ms (resume) or the start of the configured
/// start's unit.
InitRange init_range(std::optional<TimePoint> recorded_t0, std::optional<TimePoint> cursor,
                     TimePoint configured_start, TimePoint now, Millis lag, Millis resolution);

/// True when two page-through passes over one window saw the same orders with the same
/// modification times (order of the lists does not matter).
bool passes_agree(const std::vector<model::Order>& a, const std::vector<model::Order>& b);

} // namespace taosync::sync
