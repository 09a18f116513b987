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
  return out;
}

} // namespace taosync::config
