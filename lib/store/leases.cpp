#include "store/leases.hpp"

#include "store/text_repair.hpp"

#include "model/time_text.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace taosync::store {
namespace {

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0')
    return "unknown-host";
  return buf.data();
}

std::string random_hex8() {
  std::random_device device;
  std::array<char, 9> buf{};
  std::snprintf(buf.data(), buf.size(), "%08x", static_cast<unsigned>(device()));
  return buf.data();
}

// Every time is the database's (clock_timestamp(), not now(): a transaction's start time would
// make a lease look live for as long as the transaction lasts). Times travel as epoch
// microseconds.
constexpr std::string_view kUpsertDaemon = R"sql(
INSERT INTO taosync.daemons AS d (daemon, host, pid, started_at, expires_at)
VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp() + $4::bigint * INTERVAL '1 millisecond')
ON CONFLICT (daemon) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,
  started_at = CASE WHEN d.expires_at > clock_timestamp() AND d.pid = EXCLUDED.pid
                     AND d.host = EXCLUDED.host THEN d.started_at ELSE EXCLUDED.started_at END,
  expires_at = EXCLUDED.expires_at
)sql";

// SKIP LOCKED: a row being refreshed by its daemon's own heartbeat is alive again; waiting for
// it could deadlock two heartbeats that each delete the other's expired row.
constexpr std::string_view kForgetDeadDaemons = R"sql(
DELETE FROM taosync.daemons WHERE daemon IN (
  SELECT daemon FROM taosync.daemons WHERE expires_at <= clock_timestamp() AND daemon <> $1
  FOR UPDATE SKIP LOCKED)
)sql";

constexpr std::string_view kLiveDaemons = R"sql(
SELECT daemon FROM taosync.daemons WHERE expires_at > clock_timestamp() ORDER BY daemon
)sql";

constexpr std::string_view kLeave = "DELETE FROM taosync.daemons WHERE daemon = $1";

constexpr std::string_view kLeaseColumns = R"sql(
  shop, owner, owner_host, owner_pid, epoch,
  (extract(epoch FROM expires_at) * 1000000)::bigint,
  (extract(epoch FROM acquired_at) * 1000000)::bigint,
  commits, expires_at > clock_timestamp()
)sql";

// ON CONFLICT DO UPDATE locks the row first (waiting for a writer's fence to commit), then
// tests the WHERE on its newest version. Ours and live: extended, same epoch. Expired (or
// released): a new tenure, epoch + 1, commits from 0. Someone else's and live: no row.
constexpr std::string_view kAcquire = R"sql(
INSERT INTO taosync.shop_leases AS l (shop, owner, owner_host, owner_pid, epoch, expires_at,
  acquired_at, commits)
VALUES ($1, $2, $3, $4, 1, clock_timestamp() + $5::bigint * INTERVAL '1 millisecond',
  clock_timestamp(), 0)
ON CONFLICT (shop) DO UPDATE SET
  owner = EXCLUDED.owner, owner_host = EXCLUDED.owner_host, owner_pid = EXCLUDED.owner_pid,
  epoch = CASE WHEN l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
  acquired_at = CASE WHEN l.expires_at > clock_timestamp() THEN l.acquired_at
                     ELSE EXCLUDED.acquired_at END,
  commits = CASE WHEN l.expires_at > clock_timestamp() THEN l.commits ELSE 0 END,
  expires_at = EXCLUDED.expires_at
WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
RETURNING
)sql";

constexpr std::string_view kSelectLease = "FROM taosync.shop_leases WHERE shop = $1";

constexpr std::string_view kRenew = R"sql(
UPDATE taosync.shop_leases AS l
SET expires_at = clock_timestamp() + $4::bigint * INTERVAL '1 millisecond'
FROM unnest($2::text[], $3::bigint[]) AS h(shop, epoch)
WHERE l.shop = h.shop AND l.epoch = h.epoch AND l.owner = $1
  AND l.expires_at > clock_timestamp()
RETURNING l.shop
)sql";

// Expired from now on, owner kept (for `taosyncd status`): the next acquire bumps the epoch.
constexpr std::string_view kRelease = R"sql(
UPDATE taosync.shop_leases SET expires_at = clock_timestamp()
WHERE shop = $1 AND owner = $2 AND epoch = $3 AND expires_at > clock_timestamp()
)sql";

// The fence: the last statement of every write for a shop. Its row lock lasts until the
// commit, so a peer's acquire (which locks the same row) comes after this commit, and sees
// and bumps the epoch this commit was made under.
constexpr std::string_view kFence = R"sql(
UPDATE taosync.shop_leases SET commits = commits + 1
WHERE shop = $1 AND owner = $2 AND epoch = $3 AND expires_at > clock_timestamp()
)sql";

std::string select_lease_sql(std::string_view tail) {
  return "SELECT " + std::string(kLeaseColumns) + std::string(tail);
}

DbTime db_time(const pqxx::field& f) {
  return DbTime(std::chrono::duration_cast<DbTime::duration>(
      std::chrono::microseconds(f.as<std::int64_t>())));
}

Lease lease_of(const pqxx::row& r) {
  Lease l;
  l.shop = r[0].as<std::string>();
  l.owner = r[1].as<std::string>();
  l.owner_host = r[2].as<std::string>();
  l.owner_pid = r[3].as<int>();
  l.epoch = r[4].as<std::int64_t>();
  l.expires_at = db_time(r[5]);
  l.acquired_at = db_time(r[6]);
  l.commits = r[7].as<std::int64_t>();
  l.live = r[8].as<bool>();
  return l;
}

std::string lease_time_text(DbTime t) {
  return model::format_time(std::chrono::floor<std::chrono::milliseconds>(t));
}

/// The epochs of `held` as a bigint[] literal.
std::string epochs_literal(const std::vector<HeldLease>& held) {
  std::string out = "{";
  for (const auto& h : held)
    out += (out.size() > 1 ? "," : "") + std::to_string(h.epoch);
  return out + "}";
}

/// Who holds `shop` now, for a LeaseLost message.
std::string holder_text(pqxx::transaction_base& tx, const std::string& shop) {
  const auto rows = pq::run(tx, select_lease_sql(kSelectLease), shop);
  if (rows.empty())
    return "it has no lease row";
  const Lease now = lease_of(rows[0]);
  if (!now.live)
    return "the lease of " + now.owner + " at epoch " + std::to_string(now.epoch) + " expired at " +
           lease_time_text(now.expires_at);
  return "it is held by " + now.owner + " (" + now.owner_host + ", pid " +
         std::to_string(now.owner_pid) + ") at epoch " + std::to_string(now.epoch) + " until " +
         lease_time_text(now.expires_at);
}

} // namespace

DaemonIdentity this_daemon(const std::string& configured_id) {
  DaemonIdentity me;
  me.host = host_name();
  me.pid = static_cast<int>(::getpid());
  me.id = configured_id.empty() ? me.host + ":" + std::to_string(me.pid) + ":" + random_hex8()
                                : configured_id;
  return me;
}

std::vector<std::string> heartbeat(pqxx::transaction_base& tx, const DaemonIdentity& daemon,
                                   std::chrono::milliseconds ttl) {
  pq::run0(tx, std::string(kUpsertDaemon), daemon.id, daemon.host, daemon.pid,
           static_cast<std::int64_t>(ttl.count()));
  pq::run0(tx, std::string(kForgetDeadDaemons), daemon.id);
  return live_daemons(tx);
}

std::vector<std::string> live_daemons(pqxx::transaction_base& tx) {
  std::vector<std::string> live;
  for (const auto& row : tx.exec(std::string(kLiveDaemons)))
    live.push_back(row[0].as<std::string>());
  return live;
}

void leave(pqxx::transaction_base& tx, const std::string& daemon) {
  pq::run0(tx, std::string(kLeave), daemon);
}

Acquired acquire_lease(pqxx::transaction_base& tx, const std::string& shop,
                       const DaemonIdentity& daemon, std::chrono::milliseconds ttl) {
  const auto taken =
      pq::run(tx, std::string(kAcquire) + std::string(kLeaseColumns), shop, daemon.id, daemon.host,
              daemon.pid, static_cast<std::int64_t>(ttl.count()));
  if (!taken.empty())
    return {true, lease_of(taken[0])};
  // The conflicting row was locked and tested: it is live and someone else's.
  return {false, lease_of(pq::run1(tx, select_lease_sql(kSelectLease), shop))};
}

Renewal renew_leases(pqxx::transaction_base& tx, const std::string& daemon,
                     const std::vector<HeldLease>& held, std::chrono::milliseconds ttl) {
  Renewal out;
  if (held.empty())
    return out;
  std::vector<std::string> shops;
  shops.reserve(held.size());
  for (const auto& h : held)
    shops.push_back(h.shop);
  std::vector<std::string> renewed;
  for (const auto& row : pq::run(tx, std::string(kRenew), daemon, array_literal(shops),
                                 epochs_literal(held), static_cast<std::int64_t>(ttl.count())))
    renewed.push_back(row[0].as<std::string>());
  for (const auto& shop : shops) {
    const bool kept = std::find(renewed.begin(), renewed.end(), shop) != renewed.end();
    if (kept)
      out.renewed.push_back(shop);
    else
      out.lost.push_back({shop, holder_text(tx, shop)});
  }
  return out;
}

bool release_lease(pqxx::transaction_base& tx, const std::string& shop, const std::string& daemon,
                   std::int64_t epoch) {
  return pq::run(tx, std::string(kRelease), shop, daemon, epoch).affected_rows() == 1;
}

std::vector<Lease> select_leases(pqxx::transaction_base& tx) {
  std::vector<Lease> out;
  for (const auto& row : tx.exec(select_lease_sql(" FROM taosync.shop_leases ORDER BY shop")))
    out.push_back(lease_of(row));
  return out;
}

void check_fence(pqxx::transaction_base& tx, const std::string& shop, const Fence& fence) {
  if (pq::run(tx, std::string(kFence), shop, fence.daemon, fence.epoch).affected_rows() == 1)
    return;
  throw LeaseLost("write for shop " + shop + " refused: daemon " + fence.daemon +
                  " no longer holds its lease at epoch " + std::to_string(fence.epoch) + " (" +
                  holder_text(tx, shop) + "); the transaction was rolled back");
}

void check_fence(pqxx::transaction_base& tx, const std::string& shop,
                 const std::optional<Fence>& fence) {
  if (fence)
    check_fence(tx, shop, *fence);
}

} // namespace taosync::store
