#pragma once
// Reads the simulator's GET /_sim/truth as a stream: `{"orders":[` then one order object per
// line, then `]}`. Memory stays bounded whatever the shop's size.

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace taosync::e2e {

/// Calls `on_order` with each order object of /_sim/truth of `seller` ("shop-2"; empty: the
/// simulator's first seller), in the order served. Throws on I/O errors, a non-200 answer (an
/// unknown seller) or an unparsable order line.
void stream_truth(int sim_port, const std::function<void(boost::json::object&&)>& on_order,
                  const std::string& seller = {},
                  std::chrono::seconds timeout = std::chrono::seconds(300));

/// Parses one line of the truth body; returns false for the framing lines (`{"orders":[`,
/// `]}`) and true with `out` set for an order line (a trailing comma is allowed).
bool parse_truth_line(std::string_view line, boost::json::object& out);

} // namespace taosync::e2e
