#pragma once
// IANA time zones without std::chrono::tzdb (GCC 12's libstdc++ lacks it): reads the
// system's compiled TZif files (/usr/share/zoneinfo, or $TZDIR) and answers UTC offsets.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace taosync::config {

/// A time zone's offset rules, loaded once; immutable and safe to share between threads.
class TimeZone {
public:
  /// Loads "Asia/Taipei" etc.; throws std::runtime_error naming the zone when unknown.
  static TimeZone load(const std::string& name);
  /// A zone with one fixed offset east of UTC (for tests and "UTC").
  static TimeZone fixed(std::chrono::seconds offset, std::string name = "fixed");

  const std::string& name() const { return name_; }
  /// Offset east of UTC in force at instant `t`.
  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;
  /// Local wall-clock time at instant `t`.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds t) const;
  /// The instant a local wall-clock time names. In a gap (spring forward) the offset before
  /// the gap is used; when ambiguous (fall back) the earlier instant is chosen.
  std::chrono::sys_seconds to_sys(std::chrono::local_seconds t) const;

private:
  struct Transition {
    std::int64_t at;     ///< UTC seconds
    std::int32_t offset; ///< offset from `at` on
  };
  /// A POSIX TZ rule "Mm.w.d/time" for zones whose rules continue past the table.
  struct Rule {
    int month = 0, week = 0, weekday = 0; ///< M form; month 0 = none
    std::int32_t time = 7200;             ///< local seconds after midnight
  };
  std::int32_t rule_offset(std::int64_t t) const;

  std::string name_;
  std::int32_t initial_offset_ = 0;
  std::vector<Transition> transitions_;
  // From the TZif footer: offsets after the last transition.
  bool has_footer_ = false;
  std::int32_t std_offset_ = 0, dst_offset_ = 0;
  Rule dst_start_, dst_end_;

  friend class TzifReader;
};

} // namespace taosync::config
