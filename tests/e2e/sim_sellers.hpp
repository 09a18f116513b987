#pragma once
// Reads the simulator's GET /_sim/sellers: the names of the sellers it serves, in order.

#include <string>
#include <vector>

namespace taosync::e2e {

/// The seller names of the simulator on 127.0.0.1:`sim_port` ("shop-1", ...). Throws on I/O
/// errors, a non-200 answer or an unexpected body.
std::vector<std::string> sim_seller_names(int sim_port);

} // namespace taosync::e2e
