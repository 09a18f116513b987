#pragma once
// /healthz's decision: healthy, or the reason it is not.

#include "obs/metrics.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace taosync::obs {

/// Why the daemon is unhealthy, or nullopt. Unhealthy while a database job (a write
/// transaction in flight, or failing and retried) has been pending longer than
/// `healthy_within`, or when a shop this daemon syncs had its last successful cycle longer
/// ago than that and no init of it is moving forward within it (an init waiting its turn is
/// not late), or while the platform's clock is further from the host's than
/// sync.clock.unhealthy_offset (the problem Metrics::set_platform_clock was given).
std::optional<std::string> health_problem(const Metrics& m,
                                          std::chrono::milliseconds healthy_within);

} // namespace taosync::obs
