#pragma once
// Child processes for end-to-end tests: the real taosyncd and taosync-sim binaries, their
// output captured to files, plus a tiny blocking HTTP client for the simulator's /_sim/*
// endpoints and a writer of daemon config files.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taosync::testing {

/// The directory holding the built binaries: $TAOSYNC_BIN_DIR, else this executable's dir.
std::filesystem::path bin_dir();

/// A fresh directory under $TMPDIR (or /tmp) named after `prefix`; removed by the caller.
std::filesystem::path make_temp_dir(const std::string& prefix);

/// The whole file (empty if it cannot be read).
std::string read_file(const std::filesystem::path& path);

/// A spawned child. Its stdout and stderr go to files; the destructor SIGKILLs and reaps it.
class Process {
public:
  /// Starts `argv` (argv[0] is a path, or a name looked up in PATH) with the current
  /// environment plus `env` (which overrides). Output goes to `log_dir`/<name>.<n>.{out,err}.
  Process(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
          std::filesystem::path log_dir = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;

  /// The child's pid.
  pid_t pid() const { return pid_; }

  /// Sends a signal (no-op once the child was reaped).
  void kill(int sig = SIGTERM);

  /// Waits up to `timeout` for the child to exit; returns its exit code (128+N when killed by
  /// signal N), or nullopt if it is still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  /// True while the child has not exited.
  bool running();

  /// The exit code once reaped.
  std::optional<int> exit_code() const { return exit_code_; }

  /// Paths of the captured output.
  const std::filesystem::path& stdout_path() const { return out_path_; }
  const std::filesystem::path& stderr_path() const { return err_path_; }

  /// The captured output so far.
  std::string stdout_text() const;
  std::string stderr_text() const;

  /// The last `n` lines of stderr, for failure messages.
  std::string stderr_tail(std::size_t n = 30) const;

private:
  void reap_nohang();
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

/// Runs a command to completion (with a timeout, after which it is SIGKILLed); returns the
/// exit code, or -1 on timeout.
int run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                std::string* output = nullptr);

/// A plain HTTP answer.
struct HttpResponse {
  int status = 0;
  std::string body;
};

/// Blocking HTTP/1.1 GET to 127.0.0.1:port (Beast); throws on I/O errors.
HttpResponse http_get(int port, const std::string& target,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Blocking HTTP/1.1 POST of `body` (JSON unless `content_type` says otherwise).
HttpResponse http_post(int port, const std::string& target, const std::string& body,
                       const std::string& content_type = "application/json",
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// A running taosync-sim, started with extra flags; killed on destruction.
class SimProcess {
public:
  /// Starts ${bin_dir}/taosync-sim --listen 127.0.0.1:0 <flags> and waits for its
  /// "taosync-sim listening on 127.0.0.1:PORT" line.
  explicit SimProcess(std::vector<std::string> flags, std::filesystem::path log_dir = {});

  /// The port the simulator listens on.
  int port() const { return port_; }

  /// "http://127.0.0.1:PORT/rest", for api.base_url and api.auth_url.
  std::string rest_url() const;

  /// GET /_sim/stats, parsed later by the caller (raw JSON text).
  std::string stats_json() const;

  /// POST /_sim/control with a JSON object; throws unless HTTP 200.
  void control(const std::string& json_body) const;

  /// Stops the lifecycle: arrivals, changes and churn to 0.
  void freeze() const;

  /// POST /_sim/mutate?n=K; throws unless HTTP 200.
  void mutate(int n) const;

  /// The process itself.
  Process& process() { return process_; }

private:
  Process process_;
  int port_ = 0;
};

/// What goes into a daemon config for tests.
struct DaemonConfig {
  std::string rest_url; ///< api.base_url and api.auth_url
  std::string db_url;   ///< database.url
  std::string shop = "default";
  std::string app_key = "test-app-key";
  std::string app_secret = "test-app-secret";
  std::string access_token = "test-access-token";
  std::string refresh_token = "test-refresh-token";
  std::string poll_interval = "200ms";
  std::string lag = "300ms";
  std::string overlap = "2s";
  std::string max_length = "30d";
  int max_pages = 20;                ///< sync.window.max_pages
  std::string timeout = "5s";        ///< api.timeout
  double requests_per_second = 1000; ///< api.rate_limit
  int burst = 100;
  int max_attempts = 8; ///< api.retry.max_attempts
  std::string initial_backoff = "50ms";
  std::string max_backoff = "1s";
  int batch_orders = 500;
  int page_size = 100;                  ///< sync.page_size
  int items_batch_size = 50;            ///< api.items_batch_size
  int max_in_flight = 8;                ///< api.max_in_flight
  std::string verify_backoff = "200ms"; ///< sync.verify.backoff
  std::string owed_max_backoff = "1s";  ///< sync.owed.max_backoff: owed orders re-asked soon
  std::string log_level = "info";
  std::string metrics_listen = "";   ///< empty disables the endpoint
  std::string healthy_within = "5m"; ///< metrics.healthy_within
  std::string database_yaml; ///< more keys under database:, verbatim ("  lock_timeout: 1s\n")
  std::string extra_yaml;    ///< appended verbatim (top-level keys)
};

/// Renders `cfg` as YAML text.
std::string render_daemon_config(const DaemonConfig& cfg);

/// Writes the YAML to `path` (mode 0600) and returns `path`.
std::filesystem::path write_daemon_config(const std::filesystem::path& path,
                                          const DaemonConfig& cfg);

/// Starts ${bin_dir}/taosyncd --config `config` <args...>, with `env` added to its environment.
Process start_daemon(const std::filesystem::path& config, std::vector<std::string> args,
                     std::filesystem::path log_dir = {},
                     std::map<std::string, std::string> env = {});

} // namespace taosync::testing
