// The platform's clock, not the host's, bounds every window. The simulator's clock runs five
// minutes behind or ahead of the host's (--clock-offset) while orders arrive and change every
// second, or steps ten minutes back and forward during a run; and the host's own clock steps
// ten minutes back and forward under the daemon (libfaketime, the wall clock only, as an NTP
// step or a resumed VM moves it). The running daemon alone
// must have caught everything within a poll, the lag and 5 s of the changes stopping: no
// `once` afterwards to catch up.

#include "scenario.hpp"

#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace taosync::e2e {
namespace {

// A poll (200 ms), the lag (300 ms) and 5 s.
constexpr auto kCatchUp = 5500ms;

// The value of taosync_platform_clock_offset_seconds on /metrics, NaN while it is absent.
double offset_shown(int port) {
  const std::string body = get_or_nothing(port, "/metrics").body;
  const std::string name = "\ntaosync_platform_clock_offset_seconds ";
  const auto at = body.find(name);
  if (at == std::string::npos)
    return std::nan("");
  return std::stod(body.substr(at + name.size()));
}

// Starts the daemon against `s` with the metrics endpoint on; returns the port.
int with_metrics(Scenario& s) {
  const int port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(port);
  s.write_config();
  return port;
}

// What `taosyncd status` (run apart from the daemon, from the database alone) prints.
std::string status_output(Scenario& s, std::vector<std::string> args = {"status"}) {
  auto status = s.start_daemon(std::move(args));
  REQUIRE(status.wait(30s) == 0);
  return status.stdout_text();
}

// The number of seconds printed right after `label` in `text`, NaN if there is none.
double seconds_after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  return at == std::string::npos ? std::nan("") : std::stod(text.substr(at + label.size()));
}

// Stops the simulator's arrivals and changes, then gives the running daemon kCatchUp.
void stop_changes_and_converge(Scenario& s, testing::Process& daemon) {
  s.sim().control(R"({"arrivals":0,"changes":0})");
  const auto report = converge(s, kCatchUp);
  CHECK_MESSAGE(report.differences() == 0, report.summary() << daemon.stderr_tail());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(daemon.running());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

void offset_case(const std::string& offset, double expected_seconds, const std::string& side) {
  Scenario s({"--orders", "300", "--seed", "61", "--anchor", "now", "--arrivals", "3", "--changes",
              "5", "--clock-offset", offset});
  const int port = with_metrics(s);
  auto daemon = s.start_daemon();
  REQUIRE_MESSAGE(wait_until([&] { return !std::isnan(offset_shown(port)); }, 60s),
                  daemon.stderr_tail());
  std::this_thread::sleep_for(6s); // the init, then polls under churn
  const double shown = offset_shown(port);
  CHECK_MESSAGE(std::abs(shown - expected_seconds) < 2.0, "offset shown: " << shown);
  // Past sync.clock.warn_offset (30 s), below sync.clock.unhealthy_offset (10 m). Said once in
  // ten minutes, so it is looked for in the whole log, not its tail.
  const std::string said = "s " + side + " this host's";
  CHECK_MESSAGE(daemon.stderr_text().find(said) != std::string::npos, daemon.stderr_tail());
  CHECK(get_or_nothing(port, "/healthz").status == 200);
  // `taosyncd status` shows what the daemon measured, though it measures nothing itself.
  const std::string said_by_status = side + " the daemon's host's";
  REQUIRE_MESSAGE(
      wait_until([&] { return status_output(s).find(said_by_status) != std::string::npos; }, 10s),
      status_output(s));
  const double printed = seconds_after(status_output(s), "platform clock: ");
  CHECK_MESSAGE(std::abs(printed - std::abs(expected_seconds)) < 2.0, status_output(s));
  const auto doc = boost::json::parse(status_output(s, {"status", "--json"}));
  const double stored = doc.at("api").at("platform_clock_offset_seconds").to_number<double>();
  CHECK_MESSAGE(std::abs(stored - expected_seconds) < 2.0, "status --json: " << stored);
  stop_changes_and_converge(s, daemon);
}

TEST_CASE("a platform clock 5 minutes behind the host's: nothing missed, the offset shown") {
  offset_case("-5m", -300, "behind");
}

TEST_CASE("a platform clock 5 minutes ahead of the host's: nothing late, the offset shown") {
  offset_case("+5m", 300, "ahead of");
}

TEST_CASE("the clocks step 10 minutes apart and back during a run: nothing missed") {
  Scenario s(
      {"--orders", "300", "--seed", "62", "--anchor", "now", "--arrivals", "3", "--changes", "5"});
  const int port = with_metrics(s);
  auto daemon = s.start_daemon();
  REQUIRE_MESSAGE(wait_until([&] { return !std::isnan(offset_shown(port)); }, 60s),
                  daemon.stderr_tail());
  std::this_thread::sleep_for(3s);
  // The platform 10 minutes back: to a daemon on its host's clock, the host leapt ahead.
  s.sim().control(R"({"clock_offset_ms":-600000})");
  std::this_thread::sleep_for(4s);
  CHECK_MESSAGE(std::abs(offset_shown(port) + 600) < 2.0, daemon.stderr_tail());
  // Forward again, and 10 minutes past: the host's clock stepping back.
  s.sim().control(R"({"clock_offset_ms":0})");
  std::this_thread::sleep_for(4s);
  s.sim().control(R"({"clock_offset_ms":600000})");
  std::this_thread::sleep_for(4s);
  CHECK_MESSAGE(std::abs(offset_shown(port) - 600) < 2.0, daemon.stderr_tail());
  stop_changes_and_converge(s, daemon);
}

// Debian's libfaketime (scripts/setup.sh installs it), the build for threaded programs.
std::string faketime_library() {
  for (const auto* dir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"}) {
    const auto path = std::filesystem::path(dir) / "faketime" / "libfaketimeMT.so.1";
    if (std::filesystem::exists(path))
      return path.string();
  }
  return {};
}

// Moves the wall clock of a daemon started under libfaketime with `file` by `offset` ("+10m").
// Written aside and renamed, so that no read finds the file half written.
void step_host_clock(const std::filesystem::path& file, const std::string& offset) {
  const auto aside = std::filesystem::path(file.string() + ".new");
  std::ofstream(aside) << offset << "\n";
  std::filesystem::rename(aside, file);
}

TEST_CASE("the host's clock steps 10 minutes back and forward during a run: nothing missed") {
  const std::string library = faketime_library();
  REQUIRE_MESSAGE(!library.empty(), "libfaketime is missing: scripts/setup.sh installs it");
  Scenario s(
      {"--orders", "300", "--seed", "63", "--anchor", "now", "--arrivals", "3", "--changes", "5"});
  const int port = with_metrics(s);
  const auto clock_file = s.dir() / "host-clock";
  step_host_clock(clock_file, "+0");
  // The wall clock only: CLOCK_MONOTONIC, which timers and the carried platform clock use,
  // goes on as a stepped host's does. Re-read on every call, so a step lands at once.
  auto daemon = s.start_daemon({"run"}, {{"LD_PRELOAD", library},
                                         {"FAKETIME_TIMESTAMP_FILE", clock_file.string()},
                                         {"FAKETIME_NO_CACHE", "1"},
                                         {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}});
  REQUIRE_MESSAGE(wait_until([&] { return !std::isnan(offset_shown(port)); }, 60s),
                  daemon.stderr_tail());
  std::this_thread::sleep_for(3s);
  step_host_clock(clock_file, "-10m"); // the host falls behind: the platform seems ahead
  std::this_thread::sleep_for(4s);
  CHECK_MESSAGE(std::abs(offset_shown(port) - 600) < 2.0, daemon.stderr_tail());
  step_host_clock(clock_file, "+10m"); // and leaps ahead: the platform seems behind
  std::this_thread::sleep_for(4s);
  CHECK_MESSAGE(std::abs(offset_shown(port) + 600) < 2.0, daemon.stderr_tail());
  step_host_clock(clock_file, "+0");
  std::this_thread::sleep_for(2s);
  stop_changes_and_converge(s, daemon);
}

} // namespace
} // namespace taosync::e2e
