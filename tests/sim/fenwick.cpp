#include "fenwick.hpp"

#include <bit>

namespace taosync::sim {

void Fenwick::assign(const std::vector<std::uint8_t>& values) {
  tree_.assign(values.size() + 1, 0);
  for (std::size_t i = 1; i < tree_.size(); ++i) {
    tree_[i] += values[i - 1];
    auto parent = i + (i & (~i + 1));
    if (parent < tree_.size())
      tree_[parent] += tree_[i];
  }
}

void Fenwick::push_back(int value) {
  if (tree_.empty())
    tree_.push_back(0);
  auto i = tree_.size();
  auto low = i & (~i + 1);
  // Node i covers positions (i - low, i]: the new value plus the sum already stored below it.
  auto covered = prefix(i - 1) - prefix(i - low);
  tree_.push_back(static_cast<std::int32_t>(value + covered));
}

void Fenwick::add(std::size_t pos, int delta) {
  for (auto i = pos + 1; i < tree_.size(); i += i & (~i + 1))
    tree_[i] += delta;
}

std::int64_t Fenwick::prefix(std::size_t n) const {
  std::int64_t sum = 0;
  for (auto i = n; i > 0; i -= i & (~i + 1))
    sum += tree_[i];
  return sum;
}

std::size_t Fenwick::select(std::int64_t k) const {
  std::size_t n = size();
  if (k <= 0)
    return 0;
  std::size_t pos = 0;
  for (std::size_t step = n == 0 ? 0 : std::bit_floor(n); step > 0; step >>= 1) {
    if (pos + step <= n && tree_[pos + step] < k) {
      pos += step;
      k -= tree_[pos];
    }
  }
  return pos; // pos + 1 is the 1-based position of the k-th unit
}

} // namespace taosync::sim
