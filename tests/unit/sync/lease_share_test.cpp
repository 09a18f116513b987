#include "sync/lease_share.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace taosync::sync;

TEST_CASE("the fair share rounds up, so the live daemons together cover every shop") {
  CHECK(fair_share(6, 2) == 3);
  CHECK(fair_share(7, 2) == 4);
  CHECK(fair_share(6, 4) == 2);
  CHECK(fair_share(2, 5) == 1);
  CHECK(fair_share(6, 1) == 6);
  CHECK(fair_share(6, 0) == 6); // no heartbeat seen yet: this daemon alone
  CHECK(fair_share(0, 3) == 0);
}

TEST_CASE("each daemon ranks the shops in its own stable order") {
  const std::vector<std::string> shops{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"};
  const auto a = by_preference(shops, "host-a:10:1f2e3d4c");
  const auto b = by_preference(shops, "host-b:10:1f2e3d4c");
  CHECK(std::set<std::string>(a.begin(), a.end()).size() == shops.size());
  CHECK(by_preference(shops, "host-a:10:1f2e3d4c") == a); // stable across calls
  CHECK(preference("s1", "d") == preference("s1", "d"));
  CHECK(preference("s1", "d") != preference("s1", "e"));
  CHECK(preference("ab", "c") != preference("a", "bc")); // the separator counts
  // Two daemons do not reach for the same first half (for these ids, checked once by hand).
  const std::set<std::string> a_half(a.begin(), a.begin() + 4);
  const auto shared = std::count_if(b.begin(), b.begin() + 4,
                                    [&](const std::string& s) { return a_half.contains(s); });
  CHECK(shared < 4);
}
