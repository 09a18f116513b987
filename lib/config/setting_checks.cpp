#include "config/setting_checks.hpp"

#include "config/timezone.hpp"
#include "model/rules.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace taosync::config::detail {

Check<int> between(int lo, int hi) {
  return {std::to_string(lo) + ".." + std::to_string(hi),
          [lo, hi](const int& v) -> std::optional<std::string> {
            if (v >= lo && v <= hi)
              return std::nullopt;
            return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                   ", got " + std::to_string(v);
          }};
}

Check<std::size_t> at_least_bytes(std::size_t lo) {
  return {"at least " + std::to_string(lo),
          [lo](const std::size_t& v) -> std::optional<std::string> {
            if (v >= lo)
              return std::nullopt;
            return "must be at least " + std::to_string(lo);
          }};
}

Check<double> above_zero() {
  return {"> 0", [](const double& v) -> std::optional<std::string> {
            if (v > 0)
              return std::nullopt;
            return "must be greater than 0";
          }};
}

Check<Millis> positive() {
  return {"> 0", [](const Millis& v) -> std::optional<std::string> {
            if (v > Millis{0})
              return std::nullopt;
            return "must be greater than 0";
          }};
}

Check<Millis> not_negative(const std::string& zero_means) {
  const std::string note = zero_means.empty() ? "" : " (0 " + zero_means + ")";
  return {zero_means.empty() ? ">= 0" : ">= 0; 0 " + zero_means,
          [note](const Millis& v) -> std::optional<std::string> {
            if (v >= Millis{0})
              return std::nullopt;
            return "must not be negative" + note;
          }};
}

Check<Millis> at_least(Millis lo) {
  return {">= " + format_duration(lo), [lo](const Millis& v) -> std::optional<std::string> {
            if (v >= lo)
              return std::nullopt;
            return "must be at least " + format_duration(lo);
          }};
}

Check<Millis> within(Millis lo, Millis hi) {
  const std::string range = format_duration(lo) + " and " + format_duration(hi);
  return {format_duration(lo) + ".." + format_duration(hi),
          [lo, hi, range](const Millis& v) -> std::optional<std::string> {
            if (v >= lo && v <= hi)
              return std::nullopt;
            return "must be between " + range;
          }};
}

Check<Millis> whole_seconds_from(Millis lo) {
  return {"whole seconds, >= " + format_duration(lo),
          [lo](const Millis& v) -> std::optional<std::string> {
            if (v >= lo && v % std::chrono::seconds(1) == Millis{0})
              return std::nullopt;
            return "must be whole seconds, at least " + format_duration(lo);
          }};
}

Check<Seconds> at_least_seconds(Seconds lo) {
  const Millis lo_ms = lo;
  return {"whole seconds, >= " + format_duration(lo_ms),
          [lo, lo_ms](const Seconds& v) -> std::optional<std::string> {
            if (v >= lo)
              return std::nullopt;
            return "must be at least " + format_duration(lo_ms);
          }};
}

Check<std::string> required(const std::string& reason) {
  return {"required", [reason](const std::string& v) -> std::optional<std::string> {
            if (!v.empty())
              return std::nullopt;
            return reason;
          }};
}

Check<std::string> known_zone() {
  return {"IANA name", [](const std::string& name) -> std::optional<std::string> {
            if (name.empty())
              return "is required";
            try {
              TimeZone::load(name);
            } catch (const std::exception& e) {
              return e.what();
            }
            return std::nullopt;
          }};
}

Check<std::string> one_of(const std::vector<std::string>& options) {
  std::string listed;
  for (const auto& o : options)
    listed += (listed.empty() ? "" : ", ") + o;
  std::string text;
  for (const auto& o : options)
    text += (text.empty() ? "" : " | ") + o;
  return {text, [options, listed](const std::string& v) -> std::optional<std::string> {
            for (const auto& o : options) {
              if (v == o)
                return std::nullopt;
            }
            return "must be one of " + listed + "; got '" + v + "'";
          }};
}

Check<std::string> matching(std::string text, std::function<bool(const std::string&)> ok,
                            std::string reason) {
  return {std::move(text),
          [ok = std::move(ok),
           reason = std::move(reason)](const std::string& v) -> std::optional<std::string> {
            if (ok(v))
              return std::nullopt;
            return reason;
          }};
}

std::string url_host(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return "";
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    return authority.substr(1, authority.find(']') - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool is_loopback(const std::string& host) {
  return model::is_loopback_host(host);
}

Check<std::string> web_url() {
  return {"https:// URL", [](const std::string& url) -> std::optional<std::string> {
            if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
              return "must start with https:// (or http:// for loopback)";
            if (url_host(url).empty())
              return "has no host";
            return std::nullopt;
          }};
}

Check<std::string> host_port() {
  return {"HOST:PORT or \"\" (off)", [](const std::string& listen) -> std::optional<std::string> {
            if (listen.empty())
              return std::nullopt; // disabled
            const auto colon = listen.rfind(':');
            if (colon == std::string::npos || colon == 0)
              return "expected HOST:PORT such as 127.0.0.1:9464, got '" + listen + "'";
            const std::string port = listen.substr(colon + 1);
            const bool digits = !port.empty() && port.size() <= 5 &&
                                std::all_of(port.begin(), port.end(),
                                            [](unsigned char c) { return std::isdigit(c); });
            if (!digits || std::stoi(port) > 65535)
              return "bad port in '" + listen + "'";
            return std::nullopt;
          }};
}

Check<std::optional<std::string>> existing_file() {
  return {"a readable file",
          [](const std::optional<std::string>& path) -> std::optional<std::string> {
            std::error_code ec;
            if (!path || std::filesystem::is_regular_file(*path, ec))
              return std::nullopt;
            return "no such file '" + *path + "'";
          }};
}

} // namespace taosync::config::detail
