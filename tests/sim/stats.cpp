#include "stats.hpp"

namespace taosync::sim {

void count_call(CallCounts& calls, std::string_view endpoint, std::string_view outcome) {
  auto it = calls.find(endpoint);
  if (it == calls.end())
    it = calls.emplace(std::string(endpoint), std::map<std::string, std::uint64_t, std::less<>>{})
             .first;
  auto jt = it->second.find(outcome);
  if (jt == it->second.end())
    jt = it->second.emplace(std::string(outcome), 0).first;
  ++jt->second;
}

void Stats::count_call(std::string_view endpoint, std::string_view outcome) {
  sim::count_call(calls, endpoint, outcome);
}

namespace {

void bump(std::map<std::string, std::uint64_t, std::less<>>& counts, std::string_view name) {
  auto it = counts.find(name);
  if (it == counts.end())
    it = counts.emplace(std::string(name), 0).first;
  ++it->second;
}

} // namespace

void Stats::count_fault(std::string_view name) {
  bump(faults, name);
}

void Stats::count_lie(std::string_view name) {
  bump(lies, name);
}

} // namespace taosync::sim
