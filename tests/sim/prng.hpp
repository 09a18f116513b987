#pragma once
// Deterministic randomness for the simulator. std:: distributions differ between standard
// libraries, so everything here is plain integer arithmetic (splitmix64).

#include <cstdint>

namespace taosync::sim {

/// One splitmix64 finalisation step: a good 64-bit mix of `x`.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// A hash of several values; the same inputs always give the same output.
constexpr std::uint64_t hash_of(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0,
                                std::uint64_t d = 0) {
  return mix64(mix64(mix64(mix64(a) ^ b) ^ c) ^ d);
}

/// A uniform double in [0, 1) from a hash.
constexpr double unit_of(std::uint64_t h) {
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

/// A seeded splitmix64 stream.
class Prng {
public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}

  /// The next 64 random bits.
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// A uniform integer in [0, n); n must be > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  /// A uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  /// A uniform double in [0, 1).
  double unit() { return unit_of(next()); }

private:
  std::uint64_t state_;
};

/// Picks an index by integer weights, from one hash value.
template <class Weights> std::size_t pick_weighted(std::uint64_t h, const Weights& weights) {
  std::uint64_t total = 0;
  for (auto w : weights)
    total += static_cast<std::uint64_t>(w);
  std::uint64_t r = h % total;
  std::size_t i = 0;
  for (auto w : weights) {
    if (r < static_cast<std::uint64_t>(w))
      return i;
    r -= static_cast<std::uint64_t>(w);
    ++i;
  }
  return 0;
}

} // namespace taosync::sim
