#pragma once
// Helpers shared by the simulator's tests: fixtures, JSON shape comparison, small sims.

#include "options.hpp"
#include "testkit/http_client.hpp"
#include "testkit/sim_harness.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace taosync::sim::test {

using testkit::call_api;
using testkit::Caller;
using testkit::HttpClient;
using testkit::HttpResult;
using testkit::SimHarness;

/// A parsed fixture from tests/sim/fixtures.
inline boost::json::value read_fixture(const std::string& name) {
  std::ifstream in(std::string(TAOSYNC_SOURCE_DIR) + "/tests/sim/fixtures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str());
}

/// Keys of an object in their order.
inline std::vector<std::string> keys_of(const boost::json::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o)
    keys.emplace_back(kv.key());
  return keys;
}

/// "" if `actual` has the same keys (in the same order) and JSON kinds as `expected`,
/// recursively (array elements against the expected first element); else where it differs.
/// shipment_list entries are checked against the seed's two forms.
inline std::string shape_diff(const boost::json::value& expected, const boost::json::value& actual,
                              const std::string& path = "$") {
  auto kind_of = [](const boost::json::value& v) {
    return v.is_int64() || v.is_uint64() ? boost::json::kind::int64 : v.kind();
  };
  if (kind_of(expected) != kind_of(actual))
    return path + ": kind differs";
  if (expected.is_object()) {
    const auto& e = expected.as_object();
    const auto& a = actual.as_object();
    if (keys_of(e) != keys_of(a))
      return path + ": keys differ";
    for (const auto& kv : e) {
      if (kv.key() == "shipment_list") {
        for (const auto& s : a.at("shipment_list").as_array()) {
          auto k = keys_of(s.as_object());
          if (k != std::vector<std::string>{"order_no"} &&
              k != std::vector<std::string>{"order_no", "tracking_number", "logistics_id"})
            return path + ".shipment_list: unexpected keys";
        }
        continue;
      }
      auto d = shape_diff(kv.value(), a.at(kv.key()), path + "." + std::string(kv.key()));
      if (!d.empty())
        return d;
    }
  } else if (expected.is_array() && !expected.as_array().empty()) {
    for (const auto& v : actual.as_array()) {
      auto d = shape_diff(expected.as_array().front(), v, path + "[]");
      if (!d.empty())
        return d;
    }
  }
  return "";
}

/// Options for a small, quick simulator.
inline SimOptions small_options(std::uint64_t orders = 60, std::uint64_t seed = 7) {
  SimOptions o;
  o.orders = orders;
  o.seed = seed;
  return o;
}

/// Parses a response body.
inline boost::json::value parse(const HttpResult& r) {
  return boost::json::parse(r.body);
}

/// GET /_sim/truth's orders.
inline boost::json::array truth_orders(HttpClient& client) {
  auto r = client.get("/_sim/truth");
  return boost::json::parse(r.body).at("orders").as_array();
}

/// A string field as std::string.
inline std::string str(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

/// The code of an error (or "0") in a response body.
inline std::string code_of(const HttpResult& r) {
  return std::string(boost::json::parse(r.body).at("code").as_string());
}

} // namespace taosync::sim::test
