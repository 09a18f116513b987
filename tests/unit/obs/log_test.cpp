#include "obs/log.hpp"
#include "obs/redact.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace taosync;

namespace {

/// Installs logging into a string stream for the test's lifetime.
struct CapturedLog {
  std::ostringstream out;
  /// Restored on destruction: a default logger left writing into `out` would write into a
  /// dead object when a later test logs.
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  explicit CapturedLog(const std::string& format, const std::string& level = "trace") {
    config::LogConfig cfg;
    cfg.format = format;
    cfg.level = level;
    obs::init_logging(cfg, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out.str());
    for (std::string l; std::getline(in, l);)
      v.push_back(l);
    return v;
  }
};

} // namespace

TEST_CASE("journal format: syslog priority prefix and no timestamp") {
  CapturedLog log("journal");
  spdlog::info("cycle done");
  spdlog::warn("slow");
  spdlog::error("failed");
  spdlog::debug("detail");
  spdlog::critical("dead");
  const auto l = log.lines();
  REQUIRE(l.size() == 5);
  CHECK(l[0] == "<6>cycle done");
  CHECK(l[1] == "<4>slow");
  CHECK(l[2] == "<3>failed");
  CHECK(l[3] == "<7>detail");
  CHECK(l[4] == "<2>dead");
}

TEST_CASE("text format carries a timestamp and the level") {
  CapturedLog log("text");
  spdlog::info("hello");
  const auto l = log.lines();
  REQUIRE(l.size() == 1);
  // "YYYY-MM-DD HH:MM:SS.mmm info  hello"
  CHECK(l[0].size() == 23 + 1 + 5 + 1 + 5);
  CHECK(l[0][4] == '-');
  CHECK(l[0][13] == ':');
  CHECK(l[0].substr(24) == "info  hello");
}

TEST_CASE("json format: one valid object per line, with tricky text escaped") {
  CapturedLog log("json");
  spdlog::info("quote \" backslash \\ newline \n tab \t ctrl \x01 中文 ok");
  spdlog::warn("invalid utf8 \xff\xfe end");
  const auto l = log.lines();
  REQUIRE(l.size() == 2);
  const auto first = boost::json::parse(l[0]).as_object();
  CHECK(first.at("level").as_string() == "info");
  CHECK(first.at("msg").as_string() == "quote \" backslash \\ newline \n tab \t ctrl \x01 中文 ok");
  CHECK(first.at("ts").as_string().size() == 24); // 2024-03-10T04:34:56.789Z
  const auto second = boost::json::parse(l[1]).as_object();
  CHECK(second.at("level").as_string() == "warn");
  CHECK(second.at("msg").as_string() == "invalid utf8 \xEF\xBF\xBD\xEF\xBF\xBD end");
}

TEST_CASE("registered secrets never reach any log line, at any level and format") {
  obs::clear_secrets();
  const std::vector<std::string> secrets = {"app-s3cr3t-value", "access-TOKEN-123",
                                            "refresh-TOKEN-456", "dbpassw0rd"};
  for (const auto& s : secrets)
    obs::register_secret(s);
  for (const char* format : {"text", "journal", "json"}) {
    CapturedLog log(format, "trace");
    for (const auto& s : secrets) {
      spdlog::trace("trace {}", s);
      spdlog::debug("debug url=postgresql://u:{}@h/db", s);
      spdlog::info("info {}{}", s, s);
      spdlog::error("{}", s);
    }
    const std::string text = log.out.str();
    CAPTURE(format);
    CHECK(log.lines().size() == 16);
    for (const auto& s : secrets)
      CHECK(text.find(s) == std::string::npos);
    CHECK(text.find("***") != std::string::npos);
  }
  obs::clear_secrets();
}

TEST_CASE("redact masks overlapping and repeated secrets; short strings are ignored") {
  obs::clear_secrets();
  obs::register_secret("abcdef");
  obs::register_secret("abcdefgh"); // contains the other: masked whole
  obs::register_secret("ab");       // too short to mask
  CHECK(obs::redact("x abcdefgh y abcdef z abcdef") == "x *** y *** z ***");
  CHECK(obs::redact("ab") == "ab");
  obs::clear_secrets();
  CHECK(obs::redact("abcdef") == "abcdef");
}

TEST_CASE("auto format picks journal only when stderr is the stream JOURNAL_STREAM names") {
  char path[] = "/tmp/taosync-journal-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  const std::string env = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  CHECK(obs::is_journal_stream(env.c_str(), fd));
  CHECK_FALSE(obs::is_journal_stream("1:2", fd));
  CHECK_FALSE(obs::is_journal_stream(nullptr, fd));
  CHECK_FALSE(obs::is_journal_stream("garbage", fd));
  ::close(fd);
  ::unlink(path);
  CHECK(obs::resolve_format("json") == obs::LogFormat::json);
  CHECK(obs::resolve_format("journal") == obs::LogFormat::journal);
  ::unsetenv("JOURNAL_STREAM");
  CHECK(obs::resolve_format("auto") == obs::LogFormat::text);
}

TEST_CASE("set_log_level changes the level and refuses unknown names") {
  CapturedLog log("journal", "info");
  spdlog::debug("hidden");
  obs::set_log_level("debug");
  spdlog::debug("shown");
  CHECK(log.lines() == std::vector<std::string>{"<7>shown"});
  CHECK_THROWS_AS(obs::set_log_level("loud"), std::invalid_argument);
}
