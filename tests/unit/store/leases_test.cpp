// Leases between two daemons (two Database objects on one database): taken when free, expired
// or already ours, refused while a peer holds them live, renewed only at the same epoch,
// released for a peer to take at once; the epoch grows with every change of hands; the
// heartbeat returns the live daemons and forgets the dead.

#include "lease_test_support.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLeaseShop = "shop-lease";

} // namespace

TEST_CASE("a lease is taken, renewed and released, and changes hands only when free") {
  const auto url = migrated_database();
  Database a(url, kLeaseBackoff);
  Database b(url, kLeaseBackoff);

  const auto first = await_op(a.acquire(kLeaseShop, kDaemonA, 30s));
  REQUIRE(first.taken);
  CHECK(first.lease.owner == "daemon-a");
  CHECK(first.lease.owner_host == "host-a");
  CHECK(first.lease.owner_pid == 101);
  CHECK(first.lease.epoch == 1);
  CHECK(first.lease.live);

  SUBCASE("taking it again while ours keeps the epoch") {
    const auto again = await_op(a.acquire(kLeaseShop, kDaemonA, 30s));
    CHECK(again.taken);
    CHECK(again.lease.epoch == 1);
    CHECK(again.lease.acquired_at == first.lease.acquired_at);
  }

  SUBCASE("a peer cannot take a live lease and learns who holds it until when") {
    const auto refused = await_op(b.acquire(kLeaseShop, kDaemonB, 30s));
    CHECK_FALSE(refused.taken);
    CHECK(refused.lease.owner == "daemon-a");
    CHECK(refused.lease.epoch == 1);
    CHECK(refused.lease.expires_at == first.lease.expires_at);
  }

  SUBCASE("a renew extends only what is still ours at the same epoch") {
    const auto renewed = await_op(a.renew("daemon-a", {{kLeaseShop, 1}}, 60s));
    CHECK(renewed.renewed == std::vector<std::string>{kLeaseShop});
    CHECK(renewed.lost.empty());
    const auto rows = await_op(a.leases());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].expires_at > first.lease.expires_at);

    const auto stale = await_op(a.renew("daemon-a", {{kLeaseShop, 7}}, 60s));
    CHECK(stale.renewed.empty());
    REQUIRE(stale.lost.size() == 1);
    CHECK(stale.lost[0].shop == kLeaseShop);
    CHECK(await_op(b.renew("daemon-b", {{kLeaseShop, 1}}, 60s)).lost.size() == 1);
  }

  SUBCASE("a released lease is taken by a peer at once, with the next epoch") {
    CHECK_FALSE(await_op(a.release(kLeaseShop, "daemon-a", 2))); // not at that epoch
    CHECK_FALSE(await_op(b.release(kLeaseShop, "daemon-b", 1))); // not b's
    CHECK(await_op(a.release(kLeaseShop, "daemon-a", 1)));
    CHECK_FALSE(await_op(a.release(kLeaseShop, "daemon-a", 1))); // already released

    const auto taken = await_op(b.acquire(kLeaseShop, kDaemonB, 30s));
    REQUIRE(taken.taken);
    CHECK(taken.lease.owner == "daemon-b");
    CHECK(taken.lease.epoch == 2);
    CHECK(taken.lease.commits == 0);

    const auto lost = await_op(a.renew("daemon-a", {{kLeaseShop, 1}}, 30s));
    REQUIRE(lost.lost.size() == 1);
    CHECK(lost.lost[0].now.find("held by daemon-b (host-b, pid 202) at epoch 2") !=
          std::string::npos);
    CHECK_FALSE(await_op(a.acquire(kLeaseShop, kDaemonA, 30s)).taken);

    const auto rows = await_op(a.leases());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].owner == "daemon-b");
    CHECK(rows[0].epoch == 2);
    CHECK(rows[0].live);
  }
}

TEST_CASE("an expired lease is taken over with the next epoch, on the database's clock") {
  const auto url = migrated_database();
  Database a(url, kLeaseBackoff);
  Database b(url, kLeaseBackoff);

  REQUIRE(await_op(a.acquire(kLeaseShop, kDaemonA, 400ms)).taken);
  CHECK_FALSE(await_op(b.acquire(kLeaseShop, kDaemonB, 30s)).taken);
  db_sleep(url, 0.5);

  CHECK_FALSE(await_op(a.leases()).at(0).live);
  const auto b_takes = await_op(b.acquire(kLeaseShop, kDaemonB, 400ms));
  REQUIRE(b_takes.taken);
  CHECK(b_takes.lease.epoch == 2);
  CHECK(await_op(a.renew("daemon-a", {{kLeaseShop, 1}}, 30s)).lost.size() == 1);

  // An expired lease of our own is a new tenure too: the epoch moves on.
  db_sleep(url, 0.5);
  const auto b_again = await_op(b.acquire(kLeaseShop, kDaemonB, 30s));
  REQUIRE(b_again.taken);
  CHECK(b_again.lease.epoch == 3);
  CHECK(await_op(b.renew("daemon-b", {{kLeaseShop, 2}}, 30s)).lost.size() == 1);
  CHECK(await_op(b.renew("daemon-b", {{kLeaseShop, 3}}, 30s)).renewed.size() == 1);
}

TEST_CASE("the heartbeat returns the live daemons and forgets the dead ones") {
  const auto url = migrated_database();
  Database a(url, kLeaseBackoff);
  Database b(url, kLeaseBackoff);

  CHECK(await_op(a.heartbeat(kDaemonA, 30s)) == std::vector<std::string>{"daemon-a"});
  CHECK(await_op(b.heartbeat(kDaemonB, 400ms)) == std::vector<std::string>{"daemon-a", "daemon-b"});
  CHECK(query_value<std::string>(url, "SELECT host || ':' || pid FROM taosync.daemons WHERE "
                                      "daemon = 'daemon-b'") == "host-b:202");
  db_sleep(url, 0.5);

  CHECK(await_op(a.heartbeat(kDaemonA, 30s)) == std::vector<std::string>{"daemon-a"});
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.daemons") == 1);

  // A clean stop leaves at once.
  await_op(a.leave("daemon-a"));
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.daemons") == 0);
}

TEST_CASE("a daemon without a configured id gets host, pid and a random part") {
  const auto one = this_daemon("");
  const auto two = this_daemon("");
  CHECK(one.id.starts_with(one.host + ":" + std::to_string(one.pid) + ":"));
  CHECK(one.id != two.id);
  CHECK(this_daemon("sync-1").id == "sync-1");
}

TEST_CASE("a shop report names the lease holder; a shop never leased has none") {
  const auto url = migrated_database();
  Database a(url, kLeaseBackoff);
  REQUIRE(await_op(a.acquire(kLeaseShop, kDaemonA, 30s)).taken);
  // read on the status connection, in the order asked
  const auto reports = await_op(a.shop_reports({"never-leased", kLeaseShop}));
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].state.shop == "never-leased");
  CHECK_FALSE(reports[0].lease);
  CHECK(reports[0].counts.orders == 0);
  CHECK_FALSE(reports[0].state.init_done);
  CHECK(reports[1].state.shop == kLeaseShop);
  REQUIRE(reports[1].lease);
  CHECK(reports[1].lease->owner_host == "host-a");
  CHECK(reports[1].lease->owner_pid == 101);
  CHECK(reports[1].lease->live);
}
