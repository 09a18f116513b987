#pragma once
// IANA time zones without std::chrono::tzdb (GCC 12's libstdc++ lacks it): a minimal reader
// of the compiled TZif files under /usr/share/zoneinfo (or $TZDIR). Thread-safe once built,
// unlike setenv("TZ") + localtime_r.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::sync {

/// A zone's UTC offsets over time.
class TimeZone {
public:
  /// Loads `name` ("Asia/Taipei") from the zoneinfo directory; throws std::runtime_error
  /// naming the zone and what is wrong.
  static TimeZone load(const std::string& name);

  /// Parses the bytes of a TZif file (version 1, 2 or 3); throws std::runtime_error.
  static TimeZone parse(const std::string& name, std::string_view tzif);

  /// A zone with one fixed offset (for tests and "UTC").
  static TimeZone fixed(std::string name, std::chrono::seconds offset);

  /// The offset from UTC in effect at `t` (local = utc + offset). After the file's last
  /// transition the last offset holds (Debian ships "fat" files with transitions to 2037).
  std::chrono::seconds utc_offset(std::chrono::sys_seconds t) const;

  /// The UTC instant of a local wall-clock time (for a time that exists twice, the first; for
  /// one skipped by a DST jump, the instant the offset before the jump gives).
  std::chrono::sys_seconds to_utc(std::chrono::local_seconds local) const;

  /// The local wall-clock time of a UTC instant.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds t) const;

  const std::string& name() const { return name_; }

private:
  std::string name_;
  std::vector<std::int64_t> transitions_;   ///< UTC seconds, ascending
  std::vector<std::int32_t> offsets_after_; ///< offset from each transition on
  std::int32_t initial_offset_ = 0;         ///< before the first transition
};

/// The zoneinfo directory: $TZDIR if set, else /usr/share/zoneinfo.
std::string zoneinfo_dir();

/// Empty if `name` is a loadable IANA zone, else why not (for config validation:
/// "sync.reconcile.timezone: unknown time zone 'Asia/Taipai'").
std::string timezone_problem(const std::string& name);

} // namespace taosync::sync
