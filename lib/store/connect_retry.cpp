#include "store/connect_retry.hpp"

#include "store/db_errors.hpp"

#include "config/config.hpp"
#include "model/backoff.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <thread>

namespace taosync::store {
namespace {

constexpr Millis kFirstConnectBackoff{200};
/// While the database stays away, one warn line per this interval says so.
constexpr std::chrono::seconds kLogEvery{60};

/// "09:41:07 UTC": when the next attempt happens, for the log.
std::string utc_time_of_day(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const std::chrono::hh_mm_ss hms(secs - std::chrono::floor<std::chrono::days>(secs));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return std::string(buf) + " UTC";
}

/// A duration for messages, whole seconds once it is a second or more.
std::string rounded(Millis d) {
  return config::format_duration(
      d >= std::chrono::seconds(1) ? std::chrono::duration_cast<std::chrono::seconds>(d) : d);
}

} // namespace

std::unique_ptr<Store> connect_store(const ConnectionSettings& settings,
                                     const ConnectPolicy& policy, const WaitFn& wait,
                                     const std::function<void()>& beat) {
  using Clock = std::chrono::steady_clock;
  const std::string target = describe_target(settings.url);
  model::Backoff backoff(
      {.initial = kFirstConnectBackoff, .cap = std::max(policy.max_backoff, kFirstConnectBackoff)});
  int failures = 0;
  Clock::time_point first_failure{};
  Clock::time_point last_logged{};
  for (;;) {
    try {
      auto store = std::make_unique<Store>(settings);
      if (failures > 0)
        spdlog::info("database {}: reachable again after {} ({} failed attempts)", target,
                     rounded(std::chrono::duration_cast<Millis>(Clock::now() - first_failure)),
                     failures);
      return store;
    } catch (const pqxx::broken_connection& e) {
      const auto now = Clock::now();
      if (failures++ == 0)
        first_failure = now;
      const std::string reason = one_line(e.what(), settings.url);
      const auto waited = std::chrono::duration_cast<Millis>(now - first_failure);
      if (policy.give_up_after && waited >= *policy.give_up_after)
        throw DatabaseUnreachable(
            fmt::format("database unreachable at {} after {} (database.connect_timeout): {}",
                        target, rounded(*policy.give_up_after), reason));
      auto pause = backoff.next();
      if (policy.give_up_after) // one last attempt right at the deadline
        pause = std::min(pause, *policy.give_up_after - waited);
      const std::string next = "next attempt in " + rounded(pause) + " at " +
                               utc_time_of_day(std::chrono::system_clock::now() + pause);
      if (failures == 1) {
        spdlog::warn("database unreachable at {}: {}; {}, {}", target, reason, next,
                     policy.give_up_after ? "giving up after " + rounded(*policy.give_up_after) +
                                                " (database.connect_timeout)"
                                          : std::string("waiting for it"));
        last_logged = now;
      } else if (now - last_logged >= kLogEvery) {
        spdlog::warn("database still unreachable at {} after {} ({} attempts): {}; {}", target,
                     rounded(waited), failures, reason, next);
        last_logged = now;
      } else {
        spdlog::debug("database unreachable at {} (attempt {}): {}", target, failures, reason);
      }
      if (!wait(pause))
        return nullptr;
      if (beat)
        beat();
    }
  }
}

std::unique_ptr<Store> connect_store_or_give_up(const ConnectionSettings& settings,
                                                Millis max_backoff) {
  return connect_store(settings, {max_backoff, settings.connect_timeout}, [](Millis d) {
    std::this_thread::sleep_for(d);
    return true;
  });
}

} // namespace taosync::store
