#pragma once
// The checks a setting's value must pass, each with the words the example config shows
// ("1..256") and the reason an error gives ("must be between 1 and 256, got 300").

#include "config/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace taosync::config::detail {

/// What values a key accepts.
template <class T> struct Check {
  std::string text; ///< the accepted values in words; empty: any value of the type
  /// Why a value fails, or nullopt if it passes; empty: every value passes.
  std::function<std::optional<std::string>(const T&)> why_not;
};

/// Any value of the type.
template <class T> Check<T> any() {
  return {};
}

/// An integer in [lo, hi].
Check<int> between(int lo, int hi);
/// A size of at least `lo` bytes.
Check<std::size_t> at_least_bytes(std::size_t lo);
/// A number greater than 0.
Check<double> above_zero();

/// A duration greater than 0.
Check<Millis> positive();
/// A duration of 0 or more; `zero_means` says what 0 does ("disables it"), if anything.
Check<Millis> not_negative(const std::string& zero_means = "");
/// A duration of at least `lo`.
Check<Millis> at_least(Millis lo);
/// A duration in [lo, hi].
Check<Millis> within(Millis lo, Millis hi);
/// Whole seconds of at least `lo` (libpq takes whole seconds: a fraction would silently round).
Check<Millis> whole_seconds_from(Millis lo);
/// Whole seconds of at least `lo`, for a field already in seconds.
Check<Seconds> at_least_seconds(Seconds lo);

/// A non-empty string; `reason` replaces "is required" (to say where it may come from).
Check<std::string> required(const std::string& reason = "is required");
/// An IANA time zone name that loads ("Asia/Taipei").
Check<std::string> known_zone();
/// One of `options`.
Check<std::string> one_of(const std::vector<std::string>& options);
/// A string that `ok` accepts; `reason` is the error ("must be ...").
Check<std::string> matching(std::string text, std::function<bool(const std::string&)> ok,
                            std::string reason);

/// An http(s) URL with a host ("https://api.taobao.tw/rest"); whether plain http is allowed
/// is a rule across keys (api.allow_insecure_http).
Check<std::string> web_url();
/// "" (off) or HOST:PORT.
Check<std::string> host_port();
/// Unset, or the path of a regular file.
Check<std::optional<std::string>> existing_file();

/// The host of "scheme://host[:port]/..." (brackets kept off an IPv6 literal).
std::string url_host(const std::string& url);
/// True for localhost, ::1 and 127.x.
bool is_loopback(const std::string& host);

} // namespace taosync::config::detail
