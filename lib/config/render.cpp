// The effective config as YAML with secrets masked (check-config, from the settings table),
// secret extraction for log redaction, and the warning for inline secrets in a file others
// can read.

#include "config/config.hpp"
#include "config/secret_text.hpp"
#include "config/settings.hpp"
#include "config/shops.hpp"
#include "config/yaml_layout.hpp"

#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

#include <cstdio>
#include <utility>

namespace taosync::config {

namespace {

/// The scalar at dotted `key` of a YAML document; "" if absent or not a scalar. Lookups of
/// absent keys yield invalid nodes: IsDefined comes before any type query.
std::string scalar_at(const YAML::Node& node, const std::string& key) {
  if (!node.IsDefined() || !node.IsMap())
    return "";
  const auto dot = key.find('.');
  // Copies, not assignment: assigning an absent (invalid) node to a Node throws.
  const YAML::Node next = node[key.substr(0, dot)];
  if (dot != std::string::npos)
    return scalar_at(next, key.substr(dot + 1));
  return next.IsDefined() && next.IsScalar() ? next.Scalar() : "";
}

} // namespace

std::string mask_database_url(const std::string& url) {
  return detail::mask_text(url, detail::database_password(url));
}

std::vector<std::string> secret_values(const Config& cfg) {
  std::vector<std::string> out;
  for (const Setting& row : settings()) {
    if (!row.secret)
      continue;
    if (std::string s = row.secret_in(cfg); !s.empty())
      out.push_back(std::move(s));
  }
  for (const ShopConfig& shop : cfg.shops)
    for (const std::string* s : {&shop.access_token, &shop.refresh_token})
      if (!s->empty())
        out.push_back(*s);
  return out;
}

std::string render_masked(const Config& cfg) {
  std::string out;
  detail::for_each_nested(
      settings(),
      [&out](int depth, const std::string& name) { out += detail::indent(depth) + name + ":\n"; },
      [&out, &cfg](int depth, const Setting& row) {
        out += detail::indent(depth) + row.name() + ": " + row.yaml(cfg) + "\n";
      });
  return out + render_shops(cfg);
}

std::optional<std::string> inline_secret_warning(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & (S_IRGRP | S_IROTH)) == 0) {
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception&) {
    return std::nullopt; // the loader reports the syntax error
  }
  if (!root.IsMap())
    return std::nullopt;
  std::string keys;
  for (const Setting& row : settings()) {
    if (row.secret && !row.secret_part(scalar_at(root, row.key)).empty())
      keys += (keys.empty() ? "" : ", ") + row.key;
  }
  if (const YAML::Node shops = root["shops"]; shops.IsDefined() && shops.IsSequence())
    for (std::size_t i = 0; i < shops.size(); ++i)
      for (const char* name : {"access_token", "refresh_token"})
        if (!scalar_at(shops[i], name).empty())
          keys += (keys.empty() ? "" : ", ") + ("shops[" + std::to_string(i) + "]." + name);
  if (keys.empty())
    return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "config file '" + path + "' holds inline secrets (" + keys +
         ") and is readable by group or others (mode " + mode +
         "); chmod 0600 it, or use *_file keys or systemd LoadCredential=";
}

} // namespace taosync::config
