#include "config/example.hpp"
#include "config/settings.hpp"
#include "config/yaml_layout.hpp"

#include <sstream>

namespace taosync::config {

namespace {

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
  const std::string lead = detail::indent(depth) + "#";
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
  const std::string at = detail::indent(depth);
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
)";

} // namespace

std::string example_config() {
  std::string out = kHeader;
  detail::for_each_nested(
      settings(),
      [&out](int depth, const std::string& name) {
        out += (depth == 0 ? "\n" : "") + detail::indent(depth) + name + ":\n";
      },
      [&out](int depth, const Setting& row) {
        out += (depth == 0 ? "\n" : "") + key_lines(depth, row);
      });
  return out + kShopsExample;
}

} // namespace taosync::config
