#include "process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace taosync::testing {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

/// The directory this test process puts child output in when none is given.
const fs::path& default_log_dir() {
  static const fs::path dir = make_temp_dir("taosync-logs");
  return dir;
}

/// The environment of the child: ours, with `extra` overriding.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text(*entry);
    auto eq = text.find('=');
    if (eq != std::string::npos)
      env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : extra)
    env[key] = value;
  std::vector<std::string> out;
  for (const auto& [key, value] : env)
    out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

} // namespace

fs::path bin_dir() {
  if (const char* env = std::getenv("TAOSYNC_BIN_DIR"); env && *env)
    return env;
  // Test binaries land in <build>/bin next to taosyncd and taosync-sim.
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

fs::path make_temp_dir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data()))
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  return pattern;
}

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                 fs::path log_dir) {
  if (argv.empty())
    throw std::invalid_argument("Process: empty argv");
  static std::atomic<int> counter{0};
  if (log_dir.empty())
    log_dir = default_log_dir();
  fs::create_directories(log_dir);
  std::string stem = fs::path(argv[0]).filename().string() + "." + std::to_string(++counter);
  out_path_ = log_dir / (stem + ".out");
  err_path_ = log_dir / (stem + ".err");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> env_strings = child_environment(env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env_strings);
  int rc = posix_spawnp(&pid_, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::system_error(rc, std::generic_category(), "spawn " + argv[0]);
}

Process::~Process() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    wait(5s);
  }
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_), exit_code_(other.exit_code_), out_path_(std::move(other.out_path_)),
      err_path_(std::move(other.err_path_)) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      wait(5s);
    }
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    out_path_ = std::move(other.out_path_);
    err_path_ = std::move(other.err_path_);
    other.pid_ = -1;
  }
  return *this;
}

void Process::kill(int sig) {
  reap_nohang();
  if (pid_ > 0 && !exit_code_)
    ::kill(pid_, sig);
}

void Process::reap_nohang() {
  if (pid_ <= 0 || exit_code_)
    return;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    if (WIFEXITED(status))
      exit_code_ = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
      exit_code_ = 128 + WTERMSIG(status);
    else
      exit_code_ = -1;
  }
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    reap_nohang();
    if (exit_code_ || pid_ <= 0)
      return exit_code_;
    if (std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

bool Process::running() {
  reap_nohang();
  return pid_ > 0 && !exit_code_;
}

std::string Process::stdout_text() const {
  return read_file(out_path_);
}
std::string Process::stderr_text() const {
  return read_file(err_path_);
}

std::string Process::stderr_tail(std::size_t n) const {
  std::istringstream in(stderr_text());
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > n)
      lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines)
    out += line + "\n";
  return out;
}

int run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                std::string* output) {
  Process child(std::move(argv));
  auto code = child.wait(timeout);
  if (output)
    *output = child.stdout_text() + child.stderr_text();
  if (!code) {
    child.kill(SIGKILL);
    child.wait(5s);
    return -1;
  }
  return *code;
}

namespace {

HttpResponse http_request(http::verb verb, int port, const std::string& target,
                          const std::string& body, const std::string& content_type,
                          std::chrono::milliseconds timeout) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                        static_cast<unsigned short>(port)));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (verb == http::verb::post) {
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none); // /_sim/truth can be large
  http::read(stream, buffer, parser);
  beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec); // best effort
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

} // namespace

HttpResponse http_get(int port, const std::string& target, std::chrono::milliseconds timeout) {
  return http_request(http::verb::get, port, target, {}, {}, timeout);
}

HttpResponse http_post(int port, const std::string& target, const std::string& body,
                       const std::string& content_type, std::chrono::milliseconds timeout) {
  return http_request(http::verb::post, port, target, body, content_type, timeout);
}

SimProcess::SimProcess(std::vector<std::string> flags, fs::path log_dir)
    : process_([&] {
        std::vector<std::string> argv{(bin_dir() / "taosync-sim").string(), "--listen",
                                      "127.0.0.1:0"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        return Process(std::move(argv), {}, std::move(log_dir));
      }()) {
  static const std::string kBanner = "taosync-sim listening on 127.0.0.1:";
  auto deadline = std::chrono::steady_clock::now() + 60s; // 1M orders take a while to build
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = process_.stdout_text();
    if (auto at = out.find(kBanner); at != std::string::npos) {
      auto end = out.find('\n', at);
      if (end != std::string::npos) {
        port_ = std::stoi(out.substr(at + kBanner.size(), end - at - kBanner.size()));
        return;
      }
    }
    if (!process_.running())
      throw std::runtime_error("taosync-sim exited early: " + process_.stderr_tail());
    std::this_thread::sleep_for(20ms);
  }
  throw std::runtime_error("taosync-sim did not print its listening line: " +
                           process_.stderr_tail());
}

std::string SimProcess::rest_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/rest";
}

std::string SimProcess::stats_json() const {
  auto res = http_get(port_, "/_sim/stats");
  if (res.status != 200)
    throw std::runtime_error("/_sim/stats: HTTP " + std::to_string(res.status));
  return res.body;
}

void SimProcess::control(const std::string& json_body) const {
  auto res = http_post(port_, "/_sim/control", json_body);
  if (res.status != 200)
    throw std::runtime_error("/_sim/control " + json_body + ": HTTP " + std::to_string(res.status) +
                             " " + res.body);
}

void SimProcess::freeze() const {
  control(R"({"arrivals":0,"changes":0,"churn_per_page":0})");
}

void SimProcess::mutate(int n) const {
  auto res = http_post(port_, "/_sim/mutate?n=" + std::to_string(n), "{}");
  if (res.status != 200)
    throw std::runtime_error("/_sim/mutate: HTTP " + std::to_string(res.status) + " " + res.body);
}

std::string render_daemon_config(const DaemonConfig& cfg) {
  std::ostringstream y;
  auto q = [](const std::string& s) { // YAML double-quoted scalar
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "\"";
  };
  y << "api:\n"
    << "  base_url: " << q(cfg.rest_url) << "\n"
    << "  auth_url: " << q(cfg.rest_url) << "\n"
    << "  app_key: " << q(cfg.app_key) << "\n"
    << "  app_secret: " << q(cfg.app_secret) << "\n"
    << "  access_token: " << q(cfg.access_token) << "\n"
    << "  refresh_token: " << q(cfg.refresh_token) << "\n"
    << "  timeout: " << cfg.timeout << "\n"
    << "  items_batch_size: " << cfg.items_batch_size << "\n"
    << "  max_in_flight: " << cfg.max_in_flight << "\n"
    << "  rate_limit: {requests_per_second: " << cfg.requests_per_second << ", burst: " << cfg.burst
    << "}\n"
    << "  retry: {max_attempts: " << cfg.max_attempts
    << ", initial_backoff: " << cfg.initial_backoff << ", max_backoff: " << cfg.max_backoff << "}\n"
    << "database:\n"
    << "  url: " << q(cfg.db_url) << "\n"
    << "  batch_orders: " << cfg.batch_orders << "\n"
    << "  reconnect_max_backoff: 1s\n"
    << cfg.database_yaml << "sync:\n"
    << "  shop: " << q(cfg.shop) << "\n"
    << "  poll_interval: " << cfg.poll_interval << "\n"
    << "  page_size: " << cfg.page_size << "\n"
    << "  window: {overlap: " << cfg.overlap << ", lag: " << cfg.lag
    << ", max_length: " << cfg.max_length << ", max_pages: " << cfg.max_pages << "}\n"
    << "  reconcile: {enabled: false}\n"
    << "  verify: {backoff: " << cfg.verify_backoff << "}\n"
    << "  owed: {max_backoff: " << cfg.owed_max_backoff << "}\n"
    << "log:\n"
    << "  level: " << cfg.log_level << "\n"
    << "  format: text\n"
    << "metrics:\n"
    << "  listen: " << q(cfg.metrics_listen) << "\n"
    << "  healthy_within: " << cfg.healthy_within << "\n"
    << "shutdown_timeout: 10s\n"
    << cfg.extra_yaml;
  return y.str();
}

fs::path write_daemon_config(const fs::path& path, const DaemonConfig& cfg) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << render_daemon_config(cfg);
    if (!out)
      throw std::runtime_error("cannot write " + path.string());
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path;
}

Process start_daemon(const fs::path& config, std::vector<std::string> args, fs::path log_dir,
                     std::map<std::string, std::string> env) {
  std::vector<std::string> argv{(bin_dir() / "taosyncd").string(), "--config", config.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Process(std::move(argv), std::move(env), std::move(log_dir));
}

} // namespace taosync::testing
