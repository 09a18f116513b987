#include "sync/cursor_ledger.hpp"

#include <algorithm>
#include <stdexcept>

namespace taosync::sync {

std::optional<store::SyncState> CursorLedger::dispatch(std::optional<store::SyncState> own) {
  Write w{next_seq_++, std::move(own), 0};
  std::optional<store::SyncState> carried;
  const bool carrying = std::any_of(in_flight_.begin(), in_flight_.end(),
                                    [](const Write& x) { return x.carries != 0; });
  if (in_flight_.empty() && w.own && !broken_) {
    w.carries = w.seq; // every batch before it has committed
    carried = w.own;
  } else if (!carrying && earned_ && earned_->seq > written_) {
    w.carries = earned_->seq;
    carried = earned_->state;
  }
  in_flight_.push_back(std::move(w));
  return carried;
}

void CursorLedger::committed() {
  if (in_flight_.empty())
    throw std::logic_error("CursorLedger::committed: no write in flight");
  Write w = std::move(in_flight_.front());
  in_flight_.pop_front();
  if (w.own && !broken_)
    earned_ = Earned{w.seq, std::move(*w.own)};
  written_ = std::max(written_, w.carries);
}

void CursorLedger::failed() {
  if (in_flight_.empty())
    throw std::logic_error("CursorLedger::failed: no write in flight");
  in_flight_.pop_front();
  broken_ = true;
}

std::optional<store::SyncState> CursorLedger::unwritten() const {
  if (earned_ && earned_->seq > written_)
    return earned_->state;
  return std::nullopt;
}

} // namespace taosync::sync
