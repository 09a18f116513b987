#include "repeats.hpp"

#include "prng.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace taosync::sim {

namespace {

/// FNV-1a over `text`, continuing from `h`.
std::uint64_t fnv1a(std::uint64_t h, std::string_view text) {
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return h;
}

} // namespace

std::uint64_t listing_request_key(const api::Params& params) {
  static constexpr std::array<std::string_view, 5> kBusiness = {
      "Order_Status", "Page", "Page_Size", "modification_time_start", "modification_time_end"};
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (auto name : kBusiness) {
    auto it = params.find(std::string(name));
    // A separator after every field: ("1","23") and ("12","3") differ; absent differs from "".
    h = fnv1a(h, it == params.end() ? std::string_view("\x01") : std::string_view(it->second));
    h = fnv1a(h, "\x1F");
  }
  return mix64(h);
}

void RepeatTracker::note(std::uint64_t key, std::int64_t now_ms) {
  auto second = now_ms / 1000;
  if (entries_.size() >= kMaxTracked && !entries_.contains(key)) {
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.second != second; });
    if (entries_.size() >= kMaxTracked)
      entries_.clear();
  }
  auto& e = entries_[key];
  if (e.total == 0 || e.second != second) {
    e.second = second;
    e.in_second = 0;
  }
  ++e.total;
  ++e.in_second;
  max_identical_ = std::max(max_identical_, e.total);
  max_per_second_ = std::max(max_per_second_, e.in_second);
}

} // namespace taosync::sim
