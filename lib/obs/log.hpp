#pragma once
// Logging setup: spdlog's default logger writing to stderr in one of three formats, with
// every line passed through the secret redaction (obs/redact.hpp).

#include "config/config.hpp"

#include <spdlog/sinks/sink.h>

#include <memory>
#include <string>

namespace taosync::obs {

/// How log lines look.
enum class LogFormat {
  text,    ///< "2024-03-10 12:34:56.789 info  message" (a terminal)
  journal, ///< "<6>message": syslog priority prefix, no timestamp (journald adds its own)
  json,    ///< {"ts":"...","level":"info","msg":"..."} one object per line
};

/// True if `fd` is the stream that $JOURNAL_STREAM ("DEV:INODE") names, as systemd documents.
bool is_journal_stream(const char* journal_stream_env, int fd);

/// Resolves a log.format value; "auto" means journal when stderr is the journal, else text.
LogFormat resolve_format(const std::string& format);

/// A spdlog formatter for `format`, redacting secrets.
std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format);

/// Installs the default logger ("taosync") on stderr with cfg's level and format.
void init_logging(const config::LogConfig& cfg);

/// Same, writing to `sink` instead of stderr (tests).
void init_logging(const config::LogConfig& cfg, std::shared_ptr<spdlog::sinks::sink> sink);

/// Changes the level of the default logger (SIGHUP); throws std::invalid_argument.
void set_log_level(const std::string& level);

} // namespace taosync::obs
