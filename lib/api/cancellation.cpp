#include "api/cancellation.hpp"

#include <string>
#include <utility>

namespace taosync::api {

ApiFailure cancelled_failure(std::string_view what) {
  return ApiFailure(ApiError{
      ErrorKind::fatal, "cancelled", std::string(what) + ": cancelled (shutting down)", {}, {}});
}

Cancellation::Registration::Registration(Registration&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}

Cancellation::Registration& Cancellation::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    if (owner_)
      owner_->hooks_.erase(id_);
    owner_ = std::exchange(other.owner_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

Cancellation::Registration::~Registration() {
  if (owner_)
    owner_->hooks_.erase(id_);
}

void Cancellation::cancel() {
  if (cancelled_)
    return;
  cancelled_ = true;
  // A hook only cancels an operation; its completion runs later, but take the hooks out
  // first so that nothing a hook does can disturb the iteration.
  auto hooks = std::move(hooks_);
  hooks_.clear();
  for (auto& [id, hook] : hooks)
    hook();
}

Cancellation::Registration Cancellation::on_cancel(std::function<void()> hook) {
  if (cancelled_) {
    hook();
    return {};
  }
  const auto id = next_id_++;
  hooks_.emplace(id, std::move(hook));
  return {this, id};
}

void Cancellation::throw_if_cancelled(std::string_view what) const {
  if (cancelled_)
    throw cancelled_failure(what);
}

} // namespace taosync::api
