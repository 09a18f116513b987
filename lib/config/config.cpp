// Loading the YAML config into the typed Config by walking the settings table: every key a
// row names is read into its field, and any other key is an error naming it. Secrets may come
// from files and systemd credentials.

#include "config/config.hpp"
#include "config/bounded_file.hpp"
#include "config/settings.hpp"
#include "config/shops.hpp"
#include "config/yaml_section.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>

namespace taosync::config {

namespace {

using detail::Section;
namespace fs = std::filesystem;

/// The mappings of one YAML document, made on first use (which checks that each is a mapping
/// without duplicate keys).
class Sections {
public:
  explicit Sections(const YAML::Node& root) { made_.emplace("", Section(root, "")); }

  /// The mapping at dotted `path` ("" is the top level).
  Section& at(const std::string& path) {
    if (auto it = made_.find(path); it != made_.end())
      return it->second;
    const auto dot = path.rfind('.');
    Section& parent = at(dot == std::string::npos ? "" : path.substr(0, dot));
    Section child = parent.child(dot == std::string::npos ? path : path.substr(dot + 1));
    order_.push_back(path);
    return made_.emplace(path, std::move(child)).first->second;
  }

  /// Throws for the first key that no row asked for, top level first.
  void finish() const {
    made_.at("").finish();
    for (const auto& path : order_)
      made_.at(path).finish();
  }

private:
  std::map<std::string, Section> made_;
  std::vector<std::string> order_;
};

Config parse_with(const std::string& yaml_text, const Sources& src) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError("(yaml)", "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Sections sections(root);
  // Every known key first, so that a misspelt key is reported before any value.
  for (const Setting& s : settings()) {
    Section& section = sections.at(s.section());
    for (const std::string& name : s.yaml_names())
      section.has(name);
  }
  sections.at("").has("shops"); // a list, read below
  sections.finish();
  // Each row is checked as soon as it is read: a later row may rely on an earlier one (the
  // date of sync.init.start is local to sync.reconcile.timezone).
  Config cfg;
  for (const Setting& s : settings()) {
    s.read(sections.at(s.section()), src, cfg);
    s.validate(cfg);
  }
  if (root.IsMap())
    cfg.shops =
        read_shops(static_cast<const YAML::Node&>(root)["shops"], src, cfg.sync.reconcile.timezone);
  for (const CrossRule& rule : cross_rules())
    rule(cfg);
  return cfg;
}

std::string env_credentials_dir() {
  const char* d = std::getenv("CREDENTIALS_DIRECTORY");
  return d ? d : "";
}

} // namespace

Config parse_config(const std::string& yaml_text, const std::string& base_dir,
                    const std::string& credentials_dir) {
  return parse_with(yaml_text, Sources{base_dir, credentials_dir});
}

Config parse_config(const std::string& yaml_text) {
  return parse_config(yaml_text, fs::current_path().string(), env_credentials_dir());
}

Config load_config(const std::string& path, const std::string& credentials_dir) {
  std::string text;
  try {
    text = read_bounded_file(path);
  } catch (const FileRefused& e) {
    throw ConfigError("(file)", std::string("config file ") + e.what());
  }
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  return parse_with(text, Sources{base, credentials_dir});
}

Config load_config(const std::string& path) {
  return load_config(path, env_credentials_dir());
}

} // namespace taosync::config
