#pragma once
// Identical /orders/get requests: how often a client asked the very same thing, overall and
// within one second. A client that re-reads one window in a tight loop shows up here.

#include "api/signer.hpp"

#include <cstdint>
#include <unordered_map>

namespace taosync::sim {

/// The identity of a /orders/get request: its business parameters (Order_Status, Page,
/// Page_Size, modification_time_start/_end) as sent, not its timestamp or signature.
std::uint64_t listing_request_key(const api::Params& params);

/// Counts identical requests in bounded memory.
class RepeatTracker {
public:
  /// Most distinct requests remembered. Past it, those not asked in the current second are
  /// forgotten, so max_identical may then undercount a request asked again much later.
  static constexpr std::size_t kMaxTracked = 1 << 16;

  /// Notes one request with identity `key` at wall-clock `now_ms`.
  void note(std::uint64_t key, std::int64_t now_ms);

  /// The most times any one request was asked.
  std::uint64_t max_identical() const { return max_identical_; }

  /// The most times any one request was asked within one wall-clock second.
  std::uint64_t max_identical_per_second() const { return max_per_second_; }

  /// Distinct requests remembered now (at most kMaxTracked).
  std::size_t tracked() const { return entries_.size(); }

private:
  struct Entry {
    std::uint64_t total = 0;
    std::int64_t second = 0;
    std::uint64_t in_second = 0;
  };
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::uint64_t max_identical_ = 0;
  std::uint64_t max_per_second_ = 0;
};

} // namespace taosync::sim
