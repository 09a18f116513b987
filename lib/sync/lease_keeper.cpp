#include "sync/lease_keeper.hpp"

#include "obs/metrics.hpp"

#include "sync/lease_share.hpp"

#include "config/config.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <stdexcept>

namespace taosync::sync {
namespace {

/// Shortest pause of the run loop, so a round that overran its interval is not polled hot.
constexpr std::chrono::milliseconds kMinPause{10};

std::string duration_text(std::chrono::steady_clock::duration d) {
  return config::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(d));
}

/// The message of the exception `e` holds.
std::string what_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

} // namespace

LeaseKeeper::LeaseKeeper(store::Database& db, LeaseKeeperOptions options, LeaseHooks hooks)
    : db_(db), options_(std::move(options)), hooks_(std::move(hooks)),
      failures_(std::chrono::minutes(1)) {
  if (options_.ttl < std::chrono::milliseconds(3))
    throw std::invalid_argument("lease keeper: the lease ttl must be at least 3ms, got " +
                                std::to_string(options_.ttl.count()) + "ms");
  if (options_.daemon.id.empty())
    throw std::invalid_argument("lease keeper: the daemon id is empty");
  db_.use_leases(true);
}

std::size_t LeaseKeeper::live_daemons() const {
  return live_.load();
}

std::map<std::string, std::int64_t> LeaseKeeper::holding() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::int64_t> out;
  for (const auto& [shop, held] : held_)
    out.emplace(shop, held.epoch);
  return out;
}

std::chrono::milliseconds LeaseKeeper::renew_interval() const {
  return options_.ttl / 3;
}

LeaseKeeper::Clock::duration LeaseKeeper::keep_for() const {
  return options_.ttl - renew_interval() / 2;
}

net::awaitable<void> LeaseKeeper::run(const model::Stop& stop) {
  const auto executor = co_await net::this_coro::executor;
  round_done_.emplace(executor);
  auto next_round = Clock::now();
  while (!stop.requested()) {
    if (!round_running_ && Clock::now() >= next_round) {
      round_running_ = true;
      next_round = Clock::now() + renew_interval();
      net::co_spawn(executor, round(), [this](std::exception_ptr e) {
        round_running_ = false;
        round_done_->cancel();
        if (e)
          failures_.log(spdlog::level::warn, "lease round",
                        "leases: a renew round failed: " + what_of(e) +
                            "; the leases held are kept while the database confirmed them "
                            "within " +
                            duration_text(keep_for()));
      });
    }
    give_up_unconfirmed(Clock::now());
    co_await stop.wait(next_wake(next_round));
  }
  while (round_running_) {
    round_done_->expires_at(Clock::time_point::max());
    // operation_aborted is how the round's end (its completion handler) wakes this wait.
    co_await round_done_->async_wait(net::as_tuple(net::use_awaitable));
  }
  co_await release_all();
}

LeaseKeeper::Clock::duration LeaseKeeper::next_wake(Clock::time_point next_round) const {
  const auto now = Clock::now();
  // A round still running past its interval: look again soon, to start the next one.
  auto wake = round_running_ && next_round <= now ? now + renew_interval() / 4 : next_round;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [shop, held] : held_)
      wake = std::min(wake, held.confirmed + keep_for());
  }
  return std::max<Clock::duration>(wake - now, kMinPause);
}

bool gone_from_this_host(const std::string& daemon_id, const store::DaemonIdentity& me) {
  // Default ids read "<hostname>:<pid>:<random>"; a configured id says nothing about a process.
  const auto first = daemon_id.find(':');
  const auto second = daemon_id.find(':', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos || daemon_id == me.id)
    return false;
  if (daemon_id.substr(0, first) != me.host)
    return false;
  int pid = 0;
  const std::string pid_text = daemon_id.substr(first + 1, second - first - 1);
  const auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  if (ec != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0 || pid == me.pid)
    return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

void LeaseKeeper::set_shops(std::vector<std::string> shops) {
  options_.shops = std::move(shops);
  for (const auto& [shop, epoch] : holding())
    if (std::find(options_.shops.begin(), options_.shops.end(), shop) == options_.shops.end())
      lose(shop, epoch, "it was removed from the config", Loss::removed);
}

/// Live daemons in `ids`, less the former processes of this host that are gone, at least 1.
std::size_t LeaseKeeper::count_of(const std::vector<std::string>& ids) const {
  const auto gone =
      static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [this](const auto& id) {
        return gone_from_this_host(id, options_.daemon);
      }));
  return std::max<std::size_t>(ids.size() - std::min(gone, ids.size()), 1);
}

net::awaitable<std::size_t> LeaseKeeper::count_live() {
  try {
    const auto ids = co_await db_.live_daemons();
    live_ = count_of(ids);
  } catch (const std::exception& e) {
    failures_.log(spdlog::level::warn, "live daemons",
                  "leases: counting the live daemons failed (" + std::string(e.what()) +
                      "); the last count (" + std::to_string(live_.load()) + ") stands");
  }
  co_return live_.load();
}

net::awaitable<void> LeaseKeeper::round() {
  // Renew before the heartbeat: a daemon that dies between the two leaves leases that expire
  // no later than its heartbeat, so a peer that sees it dead finds its shops free.
  co_await renew_held();
  const auto live = co_await db_.heartbeat(options_.daemon, options_.ttl);
  for (const auto& id : live) {
    if (!gone_from_this_host(id, options_.daemon))
      continue;
    // A former process of this host (killed, crashed): no need to wait out its heartbeat.
    co_await db_.leave(id);
    spdlog::info("leases: daemon {} ran on this host and its process is gone: it no longer "
                 "counts as live",
                 id);
  }
  live_ = count_of(live);
  const std::size_t share = fair_share(options_.shops.size(), live_.load());
  if (held_count() < share) {
    auto leases = co_await db_.leases();
    for (auto& lease : leases) {
      // Its owner's process is gone from this host: its writes cannot come any more (and the
      // epoch moves on anyway), so its lease is released now rather than at its expiry.
      if (!lease.live || !gone_from_this_host(lease.owner, options_.daemon))
        continue;
      if (co_await db_.release(lease.shop, lease.owner, lease.epoch)) {
        spdlog::info("leases: shop {} was held by {}, whose process on this host is gone: "
                     "released",
                     lease.shop, lease.owner);
        lease.live = false;
      }
    }
    co_await take_free(leases, share);
  } else if (held_count() > share) {
    co_await hand_over(share);
  }
  obs::metrics().set_leases_held(held_count()); // a round ended: what is held is known
}

net::awaitable<void> LeaseKeeper::renew_held() {
  const auto mine = held_leases();
  if (mine.empty())
    co_return;
  const auto sent = Clock::now();
  const auto renewal = co_await db_.renew(options_.daemon.id, mine, options_.ttl);
  const auto epoch_of = [&mine](const std::string& shop) {
    return std::find_if(mine.begin(), mine.end(), [&](const auto& h) { return h.shop == shop; })
        ->epoch;
  };
  for (const auto& shop : renewal.renewed)
    confirm(shop, epoch_of(shop), sent);
  for (const auto& lost : renewal.lost)
    lose(lost.shop, epoch_of(lost.shop),
         "the renew found it no longer ours at epoch " + std::to_string(epoch_of(lost.shop)) +
             ": " + lost.now);
}

net::awaitable<void> LeaseKeeper::take_free(const std::vector<store::Lease>& leases,
                                            std::size_t share) {
  for (const auto& shop : by_preference(options_.shops, options_.daemon.id)) {
    if (held_count() >= share)
      break;
    const auto row = std::find_if(leases.begin(), leases.end(),
                                  [&shop](const auto& l) { return l.shop == shop; });
    const bool free = row == leases.end() || !row->live || row->owner == options_.daemon.id;
    if (!free || holding().contains(shop))
      continue;
    const auto sent = Clock::now();
    const auto got = co_await db_.acquire(shop, options_.daemon, options_.ttl);
    if (!got.taken)
      continue;
    const bool from_peer = row != leases.end() && row->owner != options_.daemon.id;
    take(shop, got.lease.epoch, sent,
         from_peer             ? "from " + row->owner + ", whose lease had ended"
         : row == leases.end() ? "never held before"
                               : "held by this daemon before");
    obs::metrics().lease_taken(from_peer);
  }
}

net::awaitable<void> LeaseKeeper::hand_over(std::size_t share) {
  std::vector<std::string> shops;
  for (const auto& [shop, epoch] : holding())
    shops.push_back(shop);
  shops = by_preference(std::move(shops), options_.daemon.id);
  // The least wanted first: the shops a peer is likelier to want.
  while (held_count() > share && !shops.empty()) {
    const std::string shop = shops.back();
    shops.pop_back();
    const auto held = holding();
    const auto it = held.find(shop);
    if (it == held.end())
      continue;
    spdlog::info("leases: handing shop {} over: holding {}, share {}", shop, held.size(), share);
    lose(shop, it->second,
         "handed over to a peer (holding " + std::to_string(held.size()) + ", share " +
             std::to_string(share) + ")",
         Loss::handed_over);
    // After on_lost: a write that already read its fence commits first (the release waits
    // for the lease row's lock), and none starts after it.
    co_await db_.release(shop, options_.daemon.id, it->second);
  }
}

net::awaitable<void> LeaseKeeper::release_all() {
  // A named copy: GCC 12 co_await (docs/design.md).
  const auto held = holding();
  for (const auto& [shop, epoch] : held) {
    {
      std::lock_guard lock(mutex_);
      held_.erase(shop);
      obs::metrics().set_leases_held(held_.size());
    }
    db_.drop(shop);
    try {
      if (co_await db_.release(shop, options_.daemon.id, epoch))
        spdlog::info("leases: released shop {} (epoch {}) on stop", shop, epoch);
    } catch (const std::exception& e) {
      spdlog::warn("leases: could not release shop {} on stop ({}); a peer takes it when the "
                   "lease expires, within {}",
                   shop, e.what(), duration_text(options_.ttl));
    }
  }
  // Gone from the live daemons at once: the peers' share grows now, not after a ttl.
  try {
    co_await db_.leave(options_.daemon.id);
  } catch (const std::exception& e) {
    spdlog::warn("leases: could not remove this daemon's heartbeat on stop ({}); peers count "
                 "it gone within {}",
                 e.what(), duration_text(options_.ttl));
  }
}

void LeaseKeeper::take(const std::string& shop, std::int64_t epoch, Clock::time_point sent,
                       const std::string& how) {
  {
    std::lock_guard lock(mutex_);
    held_.insert_or_assign(shop, Held{epoch, sent});
    obs::metrics().set_leases_held(held_.size());
  }
  db_.hold(shop, store::Fence{options_.daemon.id, epoch});
  spdlog::info("leases: took shop {} (epoch {}), {}", shop, epoch, how);
  if (hooks_.on_taken)
    hooks_.on_taken(shop, epoch);
}

void LeaseKeeper::confirm(const std::string& shop, std::int64_t epoch, Clock::time_point sent) {
  std::lock_guard lock(mutex_);
  const auto it = held_.find(shop);
  if (it != held_.end() && it->second.epoch == epoch)
    it->second.confirmed = std::max(it->second.confirmed, sent);
}

void LeaseKeeper::lose(const std::string& shop, std::int64_t epoch, const std::string& reason,
                       Loss loss) {
  {
    std::lock_guard lock(mutex_);
    const auto it = held_.find(shop);
    if (it == held_.end() || it->second.epoch != epoch)
      return;
    held_.erase(it);
    obs::metrics().set_leases_held(held_.size());
  }
  // A handover or a removal is routine; a loss is not.
  const auto level = loss == Loss::lost ? spdlog::level::warn : spdlog::level::info;
  if (loss == Loss::lost)
    obs::metrics().lease_lost();
  // Stop writing first: the fence, then the engine; the log line comes last.
  db_.drop(shop);
  if (hooks_.on_lost)
    hooks_.on_lost(shop, reason);
  spdlog::log(level, "leases: stopped syncing shop {} (epoch {}): {}", shop, epoch, reason);
}

void LeaseKeeper::give_up_unconfirmed(Clock::time_point now) {
  std::vector<std::pair<std::string, Held>> stale;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [shop, held] : held_)
      if (now >= held.confirmed + keep_for())
        stale.emplace_back(shop, held);
  }
  for (const auto& [shop, held] : stale)
    lose(shop, held.epoch,
         "the database has not confirmed the lease for " + duration_text(now - held.confirmed) +
             " (ttl " + duration_text(options_.ttl) + "); giving it up before it can expire");
}

std::vector<store::HeldLease> LeaseKeeper::held_leases() const {
  std::lock_guard lock(mutex_);
  std::vector<store::HeldLease> out;
  for (const auto& [shop, held] : held_)
    out.push_back({shop, held.epoch});
  return out;
}

std::size_t LeaseKeeper::held_count() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

} // namespace taosync::sync
