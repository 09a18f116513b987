#pragma once
// How the live daemons share the configured shops, as pure arithmetic: each takes at most its
// fair share, and prefers the shops a stable hash of (shop, daemon) ranks first for it, so
// daemons started together reach for different shops instead of racing for the same ones.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taosync::sync {

/// ⌈shops / live_daemons⌉ (live_daemons below 1 counts as 1): what one daemon may hold.
std::size_t fair_share(std::size_t shops, std::size_t live_daemons);

/// The rank `daemon` gives `shop` (higher: wanted first); the same on every host and run.
std::uint64_t preference(const std::string& shop, const std::string& daemon);

/// `shops` ordered by `daemon`'s preference, most wanted first.
std::vector<std::string> by_preference(std::vector<std::string> shops, const std::string& daemon);

} // namespace taosync::sync
