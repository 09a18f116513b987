#pragma once
// Shop leases in PostgreSQL: which daemon syncs which shop, on the database's clock. A lease
// is taken when it is free, expired or already ours; a new owner bumps its epoch. Every write
// transaction for a shop ends with check_fence(), which counts the commit under the epoch the
// writer holds and throws LeaseLost when that epoch is no longer the live one, so that a
// former owner's write rolls back instead of interleaving with the new owner's.

#include <pqxx/transaction_base>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace taosync::store {

/// A time on the database's clock.
using DbTime = std::chrono::system_clock::time_point;

/// Who a daemon is among those sharing one database, as the daemons and shop_leases tables
/// record it: the id its heartbeat and its leases are recorded under, with its host and pid
/// for people reading `taosyncd status`.
struct DaemonIdentity {
  std::string id; ///< unique among the daemons sharing the database
  std::string host;
  int pid = 0;
};

/// This process: `configured_id` (ha.daemon_id) if not empty, else "<hostname>:<pid>:<random>"
/// with 8 random hex digits, so that a restarted daemon (same host, maybe the same pid in a
/// fresh container) is never taken for its former self.
DaemonIdentity this_daemon(const std::string& configured_id);

/// What a write for a shop must still hold in the database to commit: the lease of `daemon`
/// at `epoch`.
struct Fence {
  std::string daemon;
  std::int64_t epoch = 0;
};

/// A write for a shop whose lease this daemon does not hold (any more, or at this epoch).
class LeaseLost : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One row of taosync.shop_leases.
struct Lease {
  std::string shop;
  std::string owner; ///< daemon id of the holder (or the last holder, once expired)
  std::string owner_host;
  int owner_pid = 0;
  std::int64_t epoch = 0;
  DbTime expires_at;
  DbTime acquired_at;
  std::int64_t commits = 0; ///< write transactions committed under this epoch
  bool live = false;        ///< expires_at is still ahead of the database's clock
};

/// What acquire() found: the lease, ours if `taken`, otherwise its live holder's.
struct Acquired {
  bool taken = false;
  Lease lease;
};

/// A lease this daemon believes it holds (the input of renew()).
struct HeldLease {
  std::string shop;
  std::int64_t epoch = 0;
};

/// A lease renew() found lost, with what became of it ("it is held by ... at epoch 4 until
/// ...", "the lease of ... expired at ...").
struct LostLease {
  std::string shop;
  std::string now;
};

/// What renew() did: the shops whose leases it extended, and those it found lost (taken by
/// another daemon, released, or expired).
struct Renewal {
  std::vector<std::string> renewed;
  std::vector<LostLease> lost;
};

/// Records `daemon`'s heartbeat (live until now + ttl), forgets daemons whose heartbeat ran
/// out, and returns the ids of the live daemons, sorted.
std::vector<std::string> heartbeat(pqxx::transaction_base& tx, const DaemonIdentity& daemon,
                                   std::chrono::milliseconds ttl);

/// The ids of the live daemons, sorted (read only).
std::vector<std::string> live_daemons(pqxx::transaction_base& tx);

/// Removes `daemon`'s heartbeat (a clean stop): its peers count it gone at once.
void leave(pqxx::transaction_base& tx, const std::string& daemon);

/// Takes `shop`'s lease for `daemon` until now + ttl if it is free, expired or already ours
/// (then only extended, same epoch); a lease that changes hands gets epoch + 1. Otherwise
/// returns the live holder's lease, untouched.
Acquired acquire_lease(pqxx::transaction_base& tx, const std::string& shop,
                       const DaemonIdentity& daemon, std::chrono::milliseconds ttl);

/// Extends, until now + ttl, those of `held` that are still `daemon`'s at the same epoch and
/// not expired; the others are reported lost.
Renewal renew_leases(pqxx::transaction_base& tx, const std::string& daemon,
                     const std::vector<HeldLease>& held, std::chrono::milliseconds ttl);

/// Ends `daemon`'s lease of `shop` at `epoch` now, so that a peer may take it at once.
/// Returns false if it was not held at that epoch (nothing changes).
bool release_lease(pqxx::transaction_base& tx, const std::string& shop, const std::string& daemon,
                   std::int64_t epoch);

/// Every lease row, by shop.
std::vector<Lease> select_leases(pqxx::transaction_base& tx);

/// The last statement of a write transaction for `shop`: counts it in the lease's commits if
/// `fence` still holds the live lease, and takes the lease row's lock until the commit, so a
/// peer's acquire waits for this commit. Otherwise throws LeaseLost naming the shop, the
/// epoch and the current holder, and the caller's transaction rolls back.
void check_fence(pqxx::transaction_base& tx, const std::string& shop, const Fence& fence);

/// Runs check_fence if `fence` is set (leases in use); nothing otherwise.
void check_fence(pqxx::transaction_base& tx, const std::string& shop,
                 const std::optional<Fence>& fence);

} // namespace taosync::store
