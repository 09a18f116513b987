#pragma once
// The lease keeper: decides which of the configured shops this daemon syncs, through leases in
// PostgreSQL (store/leases.hpp), independent of the engine. Every renew interval (ttl / 3) it
// renews what it holds, heartbeats, and moves towards its fair share ⌈shops / live daemons⌉:
// it takes free or expired shops up to the share and hands over those above it. Every change
// is told through two hooks and recorded as the Database's fences, so a write for a shop this
// daemon no longer holds cannot commit.

#include "model/stop.hpp"

#include "obs/log_throttle.hpp"
#include "store/database.hpp"
#include "store/leases.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/common.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace taosync::sync {

namespace net = boost::asio;

/// True if `daemon_id` is a default id ("<hostname>:<pid>:<random>") of another process of
/// this host (`me.host`) that no longer exists: a daemon killed or crashed here, whose
/// heartbeat and leases need not be waited out.
bool gone_from_this_host(const std::string& daemon_id, const store::DaemonIdentity& me);

/// What a keeper manages.
struct LeaseKeeperOptions {
  std::vector<std::string> shops;  ///< the configured shops, the same list on every daemon
  store::DaemonIdentity daemon;    ///< this daemon (store::this_daemon)
  std::chrono::milliseconds ttl{}; ///< ha.lease_ttl
};

/// What the keeper tells the engine. Both are called on the keeper's executor.
struct LeaseHooks {
  /// This daemon now holds `shop` at `epoch`: it may sync it (its fence is already set).
  std::function<void(const std::string& shop, std::int64_t epoch)> on_taken;
  /// This daemon no longer holds `shop` (or can no longer be sure it does): stop syncing it.
  /// Its fence is already dropped, so a write for it is refused from now on.
  std::function<void(const std::string& shop, const std::string& reason)> on_lost;
};

class LeaseKeeper {
public:
  /// Turns fencing on in `db` (Database::use_leases). `db` must outlive the keeper.
  LeaseKeeper(store::Database& db, LeaseKeeperOptions options, LeaseHooks hooks);
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  /// Keeps the leases until `stop`, then releases them so a peer takes the shops at once, and
  /// returns. Run it on the network thread. A database round that hangs (an outage) does not
  /// delay giving up leases the database stopped confirming: that is checked on the keeper's
  /// own clock. On stop it first lets the round in flight finish (Database::stop() cuts one
  /// that waits for a reconnect). Stop it after the engine has stopped writing: a write
  /// still in flight when the leases are released is refused.
  net::awaitable<void> run(const model::Stop& stop);

  /// Live daemons seen by the last heartbeat or count_live(), this one included (at least
  /// 1); the app's rate limit is shared by that many daemons. Thread-safe.
  std::size_t live_daemons() const;
  /// Counts the live daemons again now, between rounds (a read, no heartbeat), so that a
  /// daemon that joins is given its share of the rate limit within a second, not a round.
  /// Run it on the keeper's executor. A failed read keeps the last count.
  net::awaitable<std::size_t> count_live();
  /// The shops held now, with their epochs. Thread-safe.
  std::map<std::string, std::int64_t> holding() const;
  /// A reloaded shop list: later rounds share these; a held shop no longer listed is given up
  /// (its fence dropped, on_lost called; its lease runs out). Call it on the keeper's executor.
  void set_shops(std::vector<std::string> shops);

  /// How often the keeper renews and heartbeats: ttl / 3.
  std::chrono::milliseconds renew_interval() const;

private:
  using Clock = std::chrono::steady_clock;
  struct Held {
    std::int64_t epoch = 0;
    Clock::time_point confirmed; ///< when the last request the database confirmed was sent
  };

  net::awaitable<void> round();
  net::awaitable<void> renew_held();
  net::awaitable<void> take_free(const std::vector<store::Lease>& leases, std::size_t share);
  net::awaitable<void> hand_over(std::size_t share);
  net::awaitable<void> release_all();

  /// Holds `shop` at `epoch` from now on; `how` says from whom, for the log.
  void take(const std::string& shop, std::int64_t epoch, Clock::time_point sent,
            const std::string& how);
  /// Why a held lease is given up: a loss is logged as a warning and counted, a handover to
  /// a peer or a shop removed from the config is routine.
  enum class Loss { lost, handed_over, removed };
  void confirm(const std::string& shop, std::int64_t epoch, Clock::time_point sent);
  /// Forgets `shop` if it is still held at `epoch`: drops its fence, calls on_lost, logs.
  void lose(const std::string& shop, std::int64_t epoch, const std::string& reason,
            Loss loss = Loss::lost);
  /// Gives up the leases the database has not confirmed for nearly a ttl.
  void give_up_unconfirmed(Clock::time_point now);
  /// When the run loop must look again: the next round or the next give-up deadline.
  Clock::duration next_wake(Clock::time_point next_round) const;
  /// How long after its last confirmation a lease is given up: half a renew interval before
  /// the ttl, so the engine stops writing before the database may hand the shop to a peer.
  Clock::duration keep_for() const;
  std::vector<store::HeldLease> held_leases() const;
  std::size_t held_count() const;
  std::size_t count_of(const std::vector<std::string>& ids) const;

  store::Database& db_;
  LeaseKeeperOptions options_;
  LeaseHooks hooks_;
  obs::LogThrottle failures_;
  std::atomic<std::size_t> live_{1};
  mutable std::mutex mutex_;
  std::map<std::string, Held> held_;            ///< guarded by mutex_; changed on the executor only
  bool round_running_ = false;                  ///< on the executor only
  std::optional<net::steady_timer> round_done_; ///< cancelled when a round ends
};

} // namespace taosync::sync
