#pragma once
// A Fenwick (binary indexed) tree of small counts that can grow at the end: prefix sums, point
// updates and "position of the k-th one" in O(log n).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace taosync::sim {

/// Counts per position with O(log n) prefix sums, appends and rank selection.
class Fenwick {
public:
  /// Rebuilds from per-position values in O(n).
  void assign(const std::vector<std::uint8_t>& values);

  /// Appends one position holding `value`.
  void push_back(int value);

  /// Adds `delta` at position `pos` (0-based).
  void add(std::size_t pos, int delta);

  /// Sum of positions [0, n).
  std::int64_t prefix(std::size_t n) const;

  /// Smallest n such that prefix(n) >= k, minus one: the 0-based position of the k-th unit
  /// (k >= 1). Returns size() when the total is below k.
  std::size_t select(std::int64_t k) const;

  /// Number of positions.
  std::size_t size() const { return tree_.empty() ? 0 : tree_.size() - 1; }

private:
  std::vector<std::int32_t> tree_; // 1-based; tree_[0] unused
};

} // namespace taosync::sim
