#pragma once
// Helpers of the tests that run several shops (the simulator's sellers) with leases: the
// `shops:` list, who holds a shop's lease, and whether a shop matches its seller's truth.

#include "scenario.hpp"

#include <string>
#include <vector>

namespace taosync::e2e {

/// The `shops:` list for sellers `numbers` of the simulator (tokens as it issues them), with
/// leases of a 5 s ttl.
inline std::string shops_yaml(const std::vector<int>& numbers) {
  std::string yaml = "ha: {leases: true, lease_ttl: 5s}\nshops:\n";
  for (int n : numbers) {
    const std::string i = std::to_string(n);
    yaml += "  - name: shop-" + i + "\n    access_token: test-access-token-" + i +
            "\n    refresh_token: test-refresh-token-" + i + "\n";
  }
  return yaml;
}

/// Live leases held by the daemon of process `pid` (0 before the schema exists).
inline int held_by(Scenario& s, int pid) {
  try {
    const auto n = s.query("SELECT count(*) FROM taosync.shop_leases WHERE owner_pid = " +
                           std::to_string(pid) + " AND expires_at > clock_timestamp()");
    return n.empty() ? 0 : std::stoi(n);
  } catch (const std::exception&) {
    return 0; // not migrated yet
  }
}

/// Whether shop `shop` has no difference with its seller's truth.
inline bool shop_converged(Scenario& s, const std::string& shop) {
  std::string out;
  return s.compare_shops({"--shop", shop}, out) == 0;
}

} // namespace taosync::e2e
