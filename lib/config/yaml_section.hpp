#pragma once
// Reading one YAML mapping of the config with typed getters that name the dotted key in
// every error, and a strict check that no unknown key is left over.

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace taosync::config::detail {

/// One mapping ("api", "sync.window", ...). Getters return nullopt for absent or null keys.
class Section {
public:
  /// `node` may be undefined or null (an absent section); `path` is "" for the root.
  Section(const YAML::Node& node, std::string path);

  /// The dotted path of `key` inside this section.
  std::string key_path(const std::string& key) const;
  /// True if the key is present with a non-null value.
  bool has(const std::string& key);
  /// A scalar string. Never echoes the value in errors (it may be a secret).
  std::optional<std::string> string(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key);
  std::optional<double> number(const std::string& key);
  /// A duration string ("30s"); a bare number is refused since its unit would be a guess.
  std::optional<Millis> duration(const std::string& key);
  /// A byte size: an integer, or with a KiB/MiB/GiB suffix.
  std::optional<std::uint64_t> bytes(const std::string& key);
  /// A nested mapping (absent: an empty section).
  Section child(const std::string& key);
  /// Throws ConfigError("<path>.<key>", "unknown key") for the first key never asked for.
  void finish() const;

private:
  std::optional<std::string> scalar(const std::string& key, const char* what);

  YAML::Node node_;
  std::string path_;
  std::set<std::string> used_;
};

} // namespace taosync::config::detail
