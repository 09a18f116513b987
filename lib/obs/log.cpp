#include "obs/log.hpp"
#include "obs/recent_errors.hpp"
#include "obs/redact.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

namespace taosync::obs {

namespace {

/// syslog priority for journald's "<N>" prefix.
int priority(spdlog::level::level_enum l) {
  switch (l) {
  case spdlog::level::critical:
    return 2;
  case spdlog::level::err:
    return 3;
  case spdlog::level::warn:
    return 4;
  case spdlog::level::info:
    return 6;
  default:
    return 7;
  }
}

std::string_view level_name(spdlog::level::level_enum l) {
  switch (l) {
  case spdlog::level::trace:
    return "trace";
  case spdlog::level::debug:
    return "debug";
  case spdlog::level::info:
    return "info";
  case spdlog::level::warn:
    return "warn";
  case spdlog::level::err:
    return "error";
  case spdlog::level::critical:
    return "critical";
  default:
    return "off";
  }
}

/// Length of the valid UTF-8 sequence at s[i], or 0 if invalid.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
      return 0;
  }
  return n;
}

/// Appends `s` as the inside of a JSON string; invalid UTF-8 becomes U+FFFD.
void json_escape(std::string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (const std::size_t n = utf8_len(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    } else {
      out += "\\ufffd";
    }
    ++i;
  }
}

/// "2024-03-10T04:34:56.789Z" (json) or local "2024-03-10 12:34:56.789" (text).
std::string timestamp(spdlog::log_clock::time_point tp, bool utc) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  if (utc)
    gmtime_r(&secs, &tm);
  else
    localtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf,
                utc ? "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" : "%04d-%02d-%02d %02d:%02d:%02d.%03d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count() % 1000));
  return buf;
}

/// Formats one record in the chosen format, after redacting the payload.
class RedactingFormatter final : public spdlog::formatter {
public:
  explicit RedactingFormatter(LogFormat f) : format_(f) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string text = redact(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string line;
    switch (format_) {
    case LogFormat::journal:
      line = "<" + std::to_string(priority(msg.level)) + ">" + text;
      break;
    case LogFormat::json:
      line = "{\"ts\":\"" + timestamp(msg.time, true) + "\",\"level\":\"" +
             std::string(level_name(msg.level)) + "\",\"msg\":\"";
      json_escape(text, line);
      line += "\"}";
      break;
    case LogFormat::text: {
      std::string level(level_name(msg.level));
      level.resize(5, ' ');
      line = timestamp(msg.time, false) + " " + level + " " + text;
      break;
    }
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RedactingFormatter>(format_);
  }

private:
  LogFormat format_;
};

spdlog::level::level_enum parse_level(const std::string& level) {
  if (level == "warning")
    return spdlog::level::warn;
  const auto l = spdlog::level::from_str(level);
  if (l == spdlog::level::off && level != "off") {
    throw std::invalid_argument("unknown log level '" + level + "'");
  }
  return l;
}

} // namespace

bool is_journal_stream(const char* env, int fd) {
  if (!env || !*env)
    return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2)
    return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

LogFormat resolve_format(const std::string& format) {
  if (format == "json")
    return LogFormat::json;
  if (format == "journal")
    return LogFormat::journal;
  if (format == "text")
    return LogFormat::text;
  return is_journal_stream(std::getenv("JOURNAL_STREAM"), 2) ? LogFormat::journal : LogFormat::text;
}

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format) {
  return std::make_unique<RedactingFormatter>(format);
}

void init_logging(const config::LogConfig& cfg, std::shared_ptr<spdlog::sinks::sink> sink) {
  sink->set_formatter(make_formatter(resolve_format(cfg.format)));
  // Warnings and errors are also kept, redacted, for the status page.
  auto logger = std::make_shared<spdlog::logger>(
      "taosync", spdlog::sinks_init_list{std::move(sink), recent_errors_sink()});
  logger->set_level(parse_level(cfg.level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void init_logging(const config::LogConfig& cfg) {
  init_logging(cfg, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

void set_log_level(const std::string& level) {
  spdlog::default_logger()->set_level(parse_level(level));
}

} // namespace taosync::obs
