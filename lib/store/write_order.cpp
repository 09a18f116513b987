#include "store/write_order.hpp"

#include "store/writer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

namespace taosync::store {
namespace {

constexpr std::chrono::seconds kReportEvery{10};

} // namespace

WriteOrder::Ticket WriteOrder::take(const std::string& shop) {
  std::lock_guard lock(mutex_);
  Shop& s = shops_[shop];
  const Ticket t = s.next++;
  const Write* p = before(s, t);
  s.writes[t].beside = p != nullptr && !p->ended;
  return t;
}

const WriteOrder::Write* WriteOrder::before(const Shop& s, Ticket t) const {
  if (t == 0)
    return nullptr;
  const auto it = s.writes.find(t - 1);
  return it == s.writes.end() ? nullptr : &it->second;
}

template <class Ready>
void WriteOrder::wait(std::unique_lock<std::mutex>& lock, const std::string& shop, Ticket t,
                      const char* what, Ready ready) {
  const auto started = std::chrono::steady_clock::now();
  while (!changed_.wait_for(lock, kReportEvery, [&] { return stopped_ || ready(); })) {
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::warn("shop {}: batch write {} has waited {}s for the one before it to {}", shop, t,
                 waited.count(), what);
  }
  if (stopped_)
    throw WriterStopped("shop " + shop + ": database writes stopped while a batch waited for " +
                        "the one before it");
}

void WriteOrder::attempt(const std::string& shop, Ticket t) {
  std::lock_guard lock(mutex_);
  Write& w = shops_[shop].writes[t];
  ++w.attempts;
  w.rows = false;
  changed_.notify_all(); // a successor that wrote its rows must let go of them
}

void WriteOrder::wait_rows(const std::string& shop, Ticket t) {
  std::unique_lock lock(mutex_);
  Shop& s = shops_[shop];
  wait(lock, shop, t, "write its rows", [&] {
    const Write* p = before(s, t);
    return p == nullptr || p->rows || p->ended;
  });
  const Write* p = before(s, t);
  s.writes[t].attempts_seen = p == nullptr ? -1 : p->attempts;
}

bool WriteOrder::rows_ready(const std::string& shop, Ticket t, std::function<void()> ready) {
  std::lock_guard lock(mutex_);
  Shop& s = shops_[shop];
  if (stopped_ || t == 0)
    return true;
  const auto it = s.writes.find(t - 1);
  if (it == s.writes.end() || it->second.rows || it->second.ended)
    return true;
  it->second.on_rows.push_back(std::move(ready));
  return false;
}

std::vector<std::function<void()>> WriteOrder::release(Write& w) {
  std::vector<std::function<void()>> out;
  out.swap(w.on_rows);
  return out;
}

void WriteOrder::rows_in(const std::string& shop, Ticket t) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(mutex_);
    Write& w = shops_[shop].writes[t];
    w.rows = true;
    ready = release(w);
  }
  changed_.notify_all();
  for (auto& f : ready)
    f();
}

void WriteOrder::wait_turn(const std::string& shop, Ticket t) {
  std::unique_lock lock(mutex_);
  Shop& s = shops_[shop];
  const Write& self = s.writes[t];
  const int seen = self.attempts_seen;
  const bool beside = self.beside;
  bool restarted = false;
  wait(lock, shop, t, "commit", [&] {
    const Write* p = before(s, t);
    if (p == nullptr || p->ended)
      return true;
    restarted = seen >= 0 && p->attempts != seen;
    return restarted;
  });
  const Write* p = before(s, t);
  if (restarted)
    throw std::runtime_error("shop " + shop +
                             ": the batch written before this one started its transaction again; " +
                             "this one is given up and its orders read again");
  if (beside && p != nullptr && !p->ok)
    throw std::runtime_error("shop " + shop + ": the batch written before this one failed, " +
                             "so this one is not committed (its cursor covers that batch)");
}

void WriteOrder::done(const std::string& shop, Ticket t, bool ok) {
  std::vector<std::function<void()>> ready;
  std::unique_lock lock(mutex_);
  Shop& s = shops_[shop];
  Write& w = s.writes[t];
  w.ended = true;
  w.ok = ok;
  ready = release(w);
  // Only write t reads t-1, and only write t+1 reads t.
  if (const auto it = s.writes.find(t - 1); t > 0 && it != s.writes.end() && it->second.ended)
    s.writes.erase(it);
  if (const auto it = s.writes.find(t + 1); it != s.writes.end() && it->second.ended)
    s.writes.erase(t);
  lock.unlock();
  changed_.notify_all();
  for (auto& f : ready)
    f();
}

void WriteOrder::stop() {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (auto& [name, s] : shops_)
      for (auto& [t, w] : s.writes)
        for (auto& f : release(w))
          ready.push_back(std::move(f));
  }
  changed_.notify_all();
  for (auto& f : ready)
    f();
}

} // namespace taosync::store
