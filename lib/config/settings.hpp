#pragma once
// The settings table: one row per config key with its dotted name, type, unit, check, reload
// behaviour and doc, bound to its field in Config. The parser, the validator, check-config,
// the reload decision and the example config all walk this one table (settings.cpp).
//
// A key's default is its field's initializer in config.hpp: rows read it from a default
// Config, so the number is written once.

#include "config/config.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace taosync::config {

/// When a changed value takes effect.
enum class Reload {
  live,   ///< on SIGHUP
  restart ///< at the next start; a reload keeps the running value and says so
};

/// Where the loader finds relative `*_file` paths and systemd credentials.
struct Sources {
  std::filesystem::path base_dir;
  std::filesystem::path credentials_dir; ///< empty: no credentials
};

namespace detail {
class Section;
}

/// One config key and the operations on its field.
struct Setting {
  std::string key;   ///< dotted YAML path, which is also the field's path in Config
  std::string type;  ///< "integer", "duration", "secret", ... (for the docs)
  std::string unit;  ///< what a number counts ("calls/s"); empty when the type says it
  std::string check; ///< the accepted values in words ("1..256"); empty: any value of the type
  Reload reload = Reload::live;
  std::string doc;         ///< what it does, for the example config
  bool secret = false;     ///< read inline, from `<name>_file` or a credential; never shown
  std::string credential;  ///< for a secret: the systemd credential that overrides it
  std::string placeholder; ///< shown in the example config instead of the default (secrets:
                           ///< the path of the `_file` form)

  /// Reads the key from its section into the field; an absent key leaves the default.
  std::function<void(detail::Section&, const Sources&, Config&)> read;
  /// Throws ConfigError naming the key if the field's value fails the check.
  std::function<void(const Config&)> validate;
  /// The field's value as a YAML scalar, with a secret masked.
  std::function<std::string(const Config&)> yaml;
  /// True if the field holds the same value in both.
  std::function<bool(const Config&, const Config&)> same;
  /// Copies the field from `from` into `to` (a reload keeping a restart-only value).
  std::function<void(Config& to, const Config& from)> keep;
  /// For a secret: the secret part of a value as written (all of a token, the password of a
  /// database URL), and that part of the field's value; "" if none.
  std::function<std::string(const std::string&)> secret_part;
  std::function<std::string(const Config&)> secret_in;

  /// The last part of the key ("burst").
  std::string name() const;
  /// The key's mapping ("api.rate_limit"); "" for a top-level key.
  std::string section() const;
  /// The YAML keys it accepts in its mapping: its name, and `<name>_file` for a secret.
  std::vector<std::string> yaml_names() const;
};

/// Every key, in the order of the example config and of check-config's output.
const std::vector<Setting>& settings();

/// The row of `key`, or nullptr.
const Setting* find_setting(const std::string& key);

/// A check that relates keys (page_size and api.max_page_size); throws ConfigError naming
/// the key to fix. They run after every row's own check.
using CrossRule = std::function<void(const Config&)>;

/// The rules that relate keys, in the order they run.
const std::vector<CrossRule>& cross_rules();

} // namespace taosync::config
