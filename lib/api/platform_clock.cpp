#include "api/platform_clock.hpp"

#include "model/time_text.hpp"

#include <algorithm>
#include <array>

namespace taosync::api {
namespace {

using namespace std::chrono;

// The readings are durations since the steady clock's epoch, the platform's time since its own.
steady_clock::duration since_epoch(sys_time<steady_clock::duration> t) {
  return t.time_since_epoch();
}

} // namespace

std::optional<sys_seconds> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": RFC 9110's only format a sender may use.
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  const auto day_n = model::fixed_digits(text, 5, 2);
  const auto year_n = model::fixed_digits(text, 12, 4);
  const auto h = model::fixed_digits(text, 17, 2);
  const auto m = model::fixed_digits(text, 20, 2);
  const auto s = model::fixed_digits(text, 23, 2);
  if (month == kMonths.end() || !day_n || !year_n || !h || *h > 23 || !m || *m > 59 || !s ||
      *s > 60)
    return std::nullopt;
  const year_month_day ymd{year{*year_n},
                           std::chrono::month{static_cast<unsigned>(month - kMonths.begin() + 1)},
                           day{static_cast<unsigned>(*day_n)}};
  if (!ymd.ok())
    return std::nullopt;
  return sys_days{ymd} + hours(*h) + minutes(*m) + seconds(*s);
}

void PlatformClock::observe_date(const DateSample& sample) {
  const auto date = since_epoch(sample.date);
  // At `received` the platform read at least `date`; when it stamped the header (after
  // `sent`) it read less than `date + 1s`.
  const Anchor low = date - sample.received.time_since_epoch();
  const Anchor high = date + seconds(1) - sample.sent.time_since_epoch();
  if ((lower_ && *lower_ > high) || (upper_ && *upper_ < low)) {
    // This reading contradicts the kept ones: the platform's clock was stepped (or ran at
    // another rate than ours for long). Its newest reading is the truth from now on.
    if (lower_ && *lower_ > high)
      ++steps_back_;
    lower_.reset();
    upper_.reset();
  }
  lower_ = std::max(lower_.value_or(low), low);
  upper_ = std::min(upper_.value_or(high), high);
  const auto round_trip = sample.received - sample.sent;
  const auto host_midpoint =
      sample.host_received - duration_cast<system_clock::duration>(round_trip / 2);
  offset_ = duration_cast<milliseconds>(sample.date + milliseconds(500) - host_midpoint);
}

void PlatformClock::observe_time(model::TimePoint platform_time, Steady::time_point received) {
  if (!upper_)
    return; // nothing says yet what a believable time is
  // A time past what the steady clock's nanoseconds can hold (years away) is no reading, and
  // converting it would overflow.
  constexpr auto kFarthest = duration_cast<milliseconds>(Anchor::max()) / 2;
  if (platform_time.time_since_epoch() > kFarthest || platform_time.time_since_epoch() < -kFarthest)
    return;
  const Anchor reading = since_epoch(platform_time) - received.time_since_epoch();
  if (reading > *upper_)
    return; // later than the platform's own clock allows: a poisoned time, not a reading
  lower_ = std::max(*lower_, reading);
}

std::optional<model::TimePoint> PlatformClock::lower_bound(Steady::time_point now) const {
  if (!lower_)
    return std::nullopt;
  return floor<milliseconds>(sys_time<Steady::duration>(*lower_ + now.time_since_epoch()));
}

} // namespace taosync::api
