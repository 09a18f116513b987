// The config as YAML, from the settings table: the effective config with secrets masked
// (check-config) and the commented example config (config/taosync.example.yaml); secret
// extraction for log redaction, and the warning for inline secrets in a file others can read.

#include "config/config.hpp"
#include "config/setting_kinds.hpp"
#include "config/settings.hpp"
#include "config/shops.hpp"

#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace taosync::config {

namespace {

// The table's rows laid out as nested YAML mappings ("api.rate_limit.burst" inside
// "rate_limit:" inside "api:"), for check-config and the example config.

std::vector<std::string> split(const std::string& dotted) {
  std::vector<std::string> parts;
  if (dotted.empty())
    return parts;
  std::size_t start = 0;
  for (auto dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', start)) {
    parts.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(dotted.substr(start));
  return parts;
}

/// Visits `rows` in order: `open(depth, name)` when a mapping starts, `key(depth, row)` for
/// each row, depth 0 being the top level. A mapping's rows must be contiguous in the table.
void for_each_nested(const std::vector<Setting>& rows,
                     const std::function<void(int depth, const std::string& name)>& open,
                     const std::function<void(int depth, const Setting& row)>& key) {
  std::vector<std::string> current;
  for (const Setting& row : rows) {
    const std::vector<std::string> path = split(row.section());
    std::size_t common = 0;
    while (common < current.size() && common < path.size() && current[common] == path[common])
      ++common;
    for (std::size_t i = common; i < path.size(); ++i)
      open(static_cast<int>(i), path[i]);
    current = path;
    key(static_cast<int>(path.size()), row);
  }
}

/// Two spaces per level.
std::string indent(int depth) {
  return std::string(static_cast<std::size_t>(depth) * 2, ' ');
}

// The example config: every row with its doc and facts as comments, and its default.

constexpr std::size_t kWidth = 100;

constexpr const char* kHeader =
    R"(# taosync configuration (installed as /etc/taosync/taosync.yaml, mode 0640).
#
# Every key is shown with its default, after what it does and a line with its type, unit,
# accepted values and whether SIGHUP (systemctl reload taosyncd) applies it ("reloads live") or
# it waits for a restart (a reload keeps the running value and logs that it needs one).
# Durations are written 250ms, 30s, 2m, 1h, 1d (or sums such as 1h30m). Unknown keys are
# errors: `taosyncd check-config` names the bad key and exits 78.
#
# Secrets. Prefer systemd credentials: the unit loads /etc/taosync/credentials/{app_secret,
# access_token,refresh_token,database_url} with LoadCredential=, and a credential that exists
# overrides the value below. Otherwise give each secret inline or as `<key>_file: PATH`
# (a path relative to this file's directory). A file holding an inline secret should be
# mode 0600/0640 root:taosync; taosyncd warns if others can read it.
#
# Generated from the settings table (lib/config/settings.cpp); a unit test keeps it in step.
)";

/// `text` as comment lines at `depth`, wrapped at kWidth columns.
std::string comment(int depth, const std::string& text) {
  const std::string lead = indent(depth) + "#";
  std::string out;
  std::string line = lead;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (line.size() > lead.size() && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = lead;
    }
    line += " " + word;
  }
  return out + line + "\n";
}

/// "integer, calls, 1..256; reloads live".
std::string facts(const Setting& row) {
  std::string out = row.type;
  if (!row.unit.empty())
    out += ", " + row.unit;
  if (!row.check.empty())
    out += ", " + row.check;
  out += row.reload == Reload::live ? "; reloads live" : "; needs a restart";
  if (row.secret)
    out += "; or " + row.name() + "_file, or the " + row.credential + " credential";
  return out;
}

std::string key_lines(int depth, const Setting& row) {
  static const Config kDefaults{};
  const std::string at = indent(depth);
  std::string out = comment(depth, row.doc) + comment(depth, facts(row));
  if (!row.secret) {
    const std::string value = row.placeholder.empty() ? row.yaml(kDefaults) : row.placeholder;
    return out + at + row.name() + ": " + value + "\n";
  }
  // A secret has no default worth showing inline (database.url's has no password).
  const std::string value = row.yaml(kDefaults);
  out += (value == "\"\"" ? at + "# " : at) + row.name() + ": " + value + "\n";
  return out + at + "# " + row.name() + "_file: " + row.placeholder + "\n";
}

// The shops list is not a settings row (it is a list): documented here, commented out.
constexpr const char* kShopsExample = R"(
# Several shops of one app (instead of sync.shop and api.access_token / api.refresh_token).
# Each shop has its own cursor, init, polls, reconciliation and tokens; the app's key, secret
# and rate limit are shared. Tokens: inline, as *_file, or as the systemd credentials
# <name>_access_token and <name>_refresh_token. Reloads live: a shop added starts its init, a
# shop removed stops syncing (its rows stay); changed tokens of a running shop need a restart.
# shops:
#   - name: "storefront-a"                   # the shop key in every table (1-64 of A-Z a-z 0-9 _ - .)
#     access_token_file: "/etc/taosync/storefront-a.access_token"
#     refresh_token_file: "/etc/taosync/storefront-a.refresh_token"
#     init: {start: "2024-01-01"}            # optional: overrides sync.init.start
#   - name: "storefront-b"
#     access_token_file: "/etc/taosync/storefront-b.access_token"
#   - name: "lazada-sg"                      # a Lazada seller: the app of lazada.*
#     platform: lazada                       # taobao_tw (the default) or lazada
#     country: sg                            # sg, my, th, ph, vn or id: the gateway and currency
#     access_token_file: "/etc/taosync/lazada-sg.access_token"
#     refresh_token_file: "/etc/taosync/lazada-sg.refresh_token"
)";

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
  for_each_nested(
      settings(),
      [&out](int depth, const std::string& name) { out += indent(depth) + name + ":\n"; },
      [&out, &cfg](int depth, const Setting& row) {
        out += indent(depth) + row.name() + ": " + row.yaml(cfg) + "\n";
      });
  return out + render_shops(cfg);
}

std::string example_config() {
  std::string out = kHeader;
  for_each_nested(
      settings(),
      [&out](int depth, const std::string& name) {
        out += (depth == 0 ? "\n" : "") + indent(depth) + name + ":\n";
      },
      [&out](int depth, const Setting& row) {
        out += (depth == 0 ? "\n" : "") + key_lines(depth, row);
      });
  return out + kShopsExample;
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
