#include "sync/lease_share.hpp"

#include <algorithm>

namespace taosync::sync {

std::size_t fair_share(std::size_t shops, std::size_t live_daemons) {
  const std::size_t n = std::max<std::size_t>(live_daemons, 1);
  return (shops + n - 1) / n;
}

std::uint64_t preference(const std::string& shop, const std::string& daemon) {
  // FNV-1a over "shop \0 daemon", then splitmix64's finalizer to spread nearby inputs.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix_in = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  for (const char c : shop)
    mix_in(static_cast<unsigned char>(c));
  mix_in(0);
  for (const char c : daemon)
    mix_in(static_cast<unsigned char>(c));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::vector<std::string> by_preference(std::vector<std::string> shops, const std::string& daemon) {
  std::stable_sort(shops.begin(), shops.end(), [&daemon](const auto& a, const auto& b) {
    return preference(a, daemon) > preference(b, daemon);
  });
  return shops;
}

} // namespace taosync::sync
