#pragma once
// Counters behind GET /_sim/stats.

#include "repeats.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace taosync::sim {

/// Calls per endpoint ("/orders/get") and outcome ("ok", an error code, a fault's name).
using CallCounts =
    std::map<std::string, std::map<std::string, std::uint64_t, std::less<>>, std::less<>>;

/// Counts one call of `endpoint` that ended in `outcome`.
void count_call(CallCounts& calls, std::string_view endpoint, std::string_view outcome);

/// Calls per endpoint and outcome, throttled calls, injected faults, lies told, identical
/// listing requests, answer bytes and unavailable answers.
struct Stats {
  CallCounts calls;
  std::map<std::string, std::uint64_t, std::less<>> faults;
  std::map<std::string, std::uint64_t, std::less<>> lies;
  std::uint64_t throttled = 0;
  RepeatTracker repeats;
  /// Bytes of API answer bodies: as sent (compressed when asked), and as they would be plain.
  struct Bytes {
    std::uint64_t sent = 0;
    std::uint64_t plain = 0;
  } bytes;
  /// Answers of unavailable_calls, and when the client came back: how long it waited.
  struct Unavailable {
    std::uint64_t served = 0;
    std::int64_t last_ms = 0;      ///< wall time the last one was served
    std::int64_t next_call_ms = 0; ///< wall time of the first API call after it (0: none yet)
  } unavailable;

  /// Counts one call of `endpoint` ("/orders/get") that ended in `outcome` ("ok", a code).
  void count_call(std::string_view endpoint, std::string_view outcome);

  /// Counts one injected fault.
  void count_fault(std::string_view name);

  /// Counts one lie served.
  void count_lie(std::string_view name);
};

} // namespace taosync::sim
