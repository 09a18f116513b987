// How a blocked database job is described in the log and in /healthz.

#include "store/block_monitor.hpp"

#include <doctest/doctest.h>

using namespace taosync::store;

TEST_CASE("a blocker is described by pid, user, app, state with its age, and query") {
  BlockSample s;
  s.object = "taosync.orders";
  s.mode = "RowExclusiveLock";
  s.blockers.push_back({4242, "dba", "psql", "idle in transaction", 40,
                        "LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE"});
  CHECK(describe_block("write", s, std::chrono::seconds(12)) ==
        "write to taosync.orders blocked 12s by pid 4242 (user dba, app psql, idle in "
        "transaction 40s: LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE)");
}

TEST_CASE("hidden state says how to see it; several blockers are all named") {
  const std::vector<Blocker> blockers{{7, "alice", "", "", std::nullopt, ""},
                                      {8, "bob", "batch", "active", 3, "UPDATE t SET x = 1"}};
  CHECK(describe_blockers(blockers) ==
        "by pid 7 (user alice, state hidden (grant pg_read_all_stats to see it)); by pid 8 "
        "(user bob, app batch, active 3s: UPDATE t SET x = 1)");
}
