#include "obs/recent_errors.hpp"

#include "obs/redact.hpp"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

namespace taosync::obs {

namespace {

/// Valid UTF-8 cut at or before `max` bytes (a cut never splits a character).
std::string cut(std::string text, std::size_t max) {
  if (text.size() <= max)
    return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  text.resize(end);
  return text + "…";
}

std::string level_text(spdlog::level::level_enum level) {
  switch (level) {
  case spdlog::level::warn:
    return "warn";
  case spdlog::level::err:
    return "error";
  default:
    return "critical";
  }
}

/// Feeds recent_errors(); the ring has its own lock, so the sink needs none.
class RecentErrorsSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    recent_errors().add(msg.time, level_text(msg.level),
                        std::string_view(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}
};

} // namespace

void RecentErrors::add(std::chrono::system_clock::time_point at, std::string level,
                       std::string_view message) {
  RecentError line{at, std::move(level), cut(redact(message), kMaxMessage)};
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
  while (lines_.size() > capacity_)
    lines_.pop_front();
}

std::vector<RecentError> RecentErrors::newest_first() const {
  std::lock_guard lock(mutex_);
  return {lines_.rbegin(), lines_.rend()};
}

void RecentErrors::clear() {
  std::lock_guard lock(mutex_);
  lines_.clear();
}

RecentErrors& recent_errors() {
  static RecentErrors ring(20);
  return ring;
}

std::shared_ptr<spdlog::sinks::sink> recent_errors_sink() {
  auto sink = std::make_shared<RecentErrorsSink>();
  sink->set_level(spdlog::level::warn);
  return sink;
}

} // namespace taosync::obs
