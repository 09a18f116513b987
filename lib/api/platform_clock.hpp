#pragma once
// The platform's clock as the answers show it, pure: the caller passes the times. Windows end
// at the platform's "now", never the host's: a host clock that runs ahead (or a platform that
// runs behind) would move the cursor past orders the platform has yet to stamp.

#include "model/records.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace taosync::api {

/// Parses an HTTP `Date` header (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"); nullopt for
/// anything else.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

/// One answer's `Date` header, with when its request left and its answer arrived.
struct DateSample {
  std::chrono::sys_seconds date;                       ///< the platform's clock, to the second
  std::chrono::steady_clock::time_point sent;          ///< the request left (or was queued)
  std::chrono::steady_clock::time_point received;      ///< the whole answer was read
  std::chrono::system_clock::time_point host_received; ///< the host's clock at `received`
};

/// What the answers say about the platform's clock. Every bound is anchored to the steady
/// clock, so a step of the host's clock (an NTP step, a resumed VM) moves none of them; the
/// host's clock is read only for the offset that is reported.
///
/// A `Date` header was stamped while its call was in flight, so at `received` the platform's
/// clock read at least `date` and at most `date + 1s + (received - sent)`. The newest
/// `modification_time` of an answer is a lower bound too, once it is below that upper bound (a
/// record from the platform's future is a lie, not a clock reading). The lower bound is the
/// highest of those readings, each carried forward on the steady clock. A `Date` below it by
/// more than the call's own uncertainty means the platform's clock went back (or ran slow):
/// then the readings before it are dropped and the bound follows the platform again.
class PlatformClock {
public:
  using Steady = std::chrono::steady_clock;

  /// Takes one answer's `Date`.
  void observe_date(const DateSample& sample);

  /// Takes the newest `modification_time` of an answer read at `received`. Ignored before any
  /// `Date` was seen, and when above what the `Date`s allow.
  void observe_time(model::TimePoint platform_time, Steady::time_point received);

  /// The platform's clock at `now` is at least this; nullopt before any `Date`.
  std::optional<model::TimePoint> lower_bound(Steady::time_point now) const;

  /// The platform's clock minus the host's, as the last `Date` showed it (±0.5 s plus half the
  /// call's round trip); nullopt before any `Date`. For reports only: no window uses it.
  std::optional<std::chrono::milliseconds> offset() const { return offset_; }

  /// How many times a `Date` showed the platform's clock going back.
  int steps_back() const { return steps_back_; }

private:
  // Readings are kept as "platform time minus steady time": the highest is the lower bound.
  using Anchor = std::chrono::steady_clock::duration;

  std::optional<Anchor> lower_; ///< best lower-bound reading
  std::optional<Anchor> upper_; ///< tightest upper-bound reading of the `Date`s
  std::optional<std::chrono::milliseconds> offset_;
  int steps_back_ = 0;
};

} // namespace taosync::api
