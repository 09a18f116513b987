#include "store/fences.hpp"

namespace taosync::store {

void Fences::set_in_use(bool in_use) {
  in_use_ = in_use;
}

bool Fences::in_use() const {
  return in_use_;
}

void Fences::hold(const std::string& shop, Fence fence) {
  std::lock_guard lock(mutex_);
  held_.insert_or_assign(shop, std::move(fence));
}

void Fences::drop(const std::string& shop) {
  std::lock_guard lock(mutex_);
  held_.erase(shop);
}

std::optional<Fence> Fences::held(const std::string& shop) const {
  std::lock_guard lock(mutex_);
  const auto it = held_.find(shop);
  if (it == held_.end())
    return std::nullopt;
  return it->second;
}

std::optional<Fence> Fences::for_write(const std::string& shop) const {
  if (!in_use())
    return std::nullopt;
  auto fence = held(shop);
  if (!fence)
    throw LeaseLost("write for shop " + shop +
                    " refused: leases are in use (ha.leases) and this daemon holds no lease "
                    "on the shop");
  return fence;
}

} // namespace taosync::store
