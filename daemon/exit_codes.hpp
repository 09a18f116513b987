#pragma once
// taosyncd's exit codes, after sysexits(3).

namespace taosync::daemon {

inline constexpr int kExOk = 0;
inline constexpr int kExFailure = 1;      ///< audit found differences; generic failure
inline constexpr int kExUsage = 64;       ///< bad command line
inline constexpr int kExDataErr = 65;     ///< bad input data (e.g. an order the API rejects)
inline constexpr int kExUnavailable = 69; ///< database or platform unreachable / refusing
inline constexpr int kExSoftware = 70;    ///< internal error (a bug)
inline constexpr int kExTempFail = 75;    ///< transient failure: try again later
inline constexpr int kExNoPerm = 77;      ///< the seller must re-authorize (dead refresh token)
inline constexpr int kExConfig = 78;      ///< bad configuration

} // namespace taosync::daemon
