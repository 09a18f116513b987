#pragma once
// Who this daemon is among those sharing one database: the id its heartbeat and its leases
// are recorded under, with its host and pid for people reading `taosyncd status`.

#include <string>

namespace taosync::store {

/// Who a daemon is, as the daemons and shop_leases tables record it.
struct DaemonIdentity {
  std::string id; ///< unique among the daemons sharing the database
  std::string host;
  int pid = 0;
};

/// This process: `configured_id` (ha.daemon_id) if not empty, else "<hostname>:<pid>:<random>"
/// with 8 random hex digits, so that a restarted daemon (same host, maybe the same pid in a
/// fresh container) is never taken for its former self.
DaemonIdentity this_daemon(const std::string& configured_id);

} // namespace taosync::store
