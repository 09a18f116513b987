#include "config/yaml_section.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

namespace taosync::config::detail {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

} // namespace

// yaml-cpp's lookups of absent keys give "invalid" nodes whose type queries throw; an absent
// or null section becomes an empty, valid node.
Section::Section(const YAML::Node& node, std::string path)
    : node_(node.IsDefined() && !node.IsNull() ? node : YAML::Node()), path_(std::move(path)) {
  if (!node_.IsNull() && !node_.IsMap()) {
    throw ConfigError(path_.empty() ? "(top level)" : path_, "expected a mapping of keys");
  }
  if (node_.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : node_) {
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second)
        throw ConfigError(key_path(key), "duplicate key");
    }
  }
}

std::string Section::key_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

bool Section::has(const std::string& key) {
  used_.insert(key);
  if (!node_.IsMap())
    return false;
  const YAML::Node v = std::as_const(node_)[key];
  return v.IsDefined() && !v.IsNull();
}

std::optional<std::string> Section::scalar(const std::string& key, const char* what) {
  if (!has(key))
    return std::nullopt;
  const YAML::Node v = std::as_const(node_)[key];
  if (!v.IsScalar())
    throw ConfigError(key_path(key), std::string("expected ") + what);
  return v.Scalar();
}

std::optional<std::string> Section::string(const std::string& key) {
  return scalar(key, "a string");
}

std::optional<bool> Section::boolean(const std::string& key) {
  const auto s = scalar(key, "true or false");
  if (!s)
    return std::nullopt;
  const std::string v = lower(*s);
  if (v == "true" || v == "yes" || v == "on")
    return true;
  if (v == "false" || v == "no" || v == "off")
    return false;
  throw ConfigError(key_path(key), "expected true or false, got '" + *s + "'");
}

std::optional<std::int64_t> Section::integer(const std::string& key) {
  const auto s = scalar(key, "an integer");
  if (!s)
    return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  if (ec != std::errc{} || ptr != s->data() + s->size()) {
    throw ConfigError(key_path(key), "expected an integer, got '" + *s + "'");
  }
  return value;
}

std::optional<double> Section::number(const std::string& key) {
  const auto s = scalar(key, "a number");
  if (!s)
    return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(*s, &used);
    if (used == s->size())
      return value;
  } catch (const std::exception&) {
  }
  throw ConfigError(key_path(key), "expected a number, got '" + *s + "'");
}

std::optional<Millis> Section::duration(const std::string& key) {
  const auto s = scalar(key, "a duration such as 30s");
  if (!s)
    return std::nullopt;
  try {
    return parse_duration(*s);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(key_path(key), e.what());
  }
}

std::optional<std::uint64_t> Section::bytes(const std::string& key) {
  const auto s = scalar(key, "a size in bytes");
  if (!s)
    return std::nullopt;
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  const std::string suffix(ptr, s->data() + s->size());
  std::uint64_t mult = 0;
  if (suffix.empty())
    mult = 1;
  else if (suffix == "KiB")
    mult = 1024;
  else if (suffix == "MiB")
    mult = 1024 * 1024;
  else if (suffix == "GiB")
    mult = 1024 * 1024 * 1024;
  if (ec != std::errc{} || ptr == s->data() || mult == 0) {
    throw ConfigError(key_path(key), "expected a size such as 16777216 or 16MiB, got '" + *s + "'");
  }
  return value * mult;
}

Section Section::child(const std::string& key) {
  used_.insert(key);
  const YAML::Node v = node_.IsMap() ? std::as_const(node_)[key] : YAML::Node();
  return Section(v, key_path(key));
}

void Section::finish() const {
  if (!node_.IsMap())
    return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (!used_.contains(key))
      throw ConfigError(key_path(key), "unknown key");
  }
}

} // namespace taosync::config::detail
