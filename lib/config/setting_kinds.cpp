#include "config/setting_kinds.hpp"
#include "config/bounded_file.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <regex>

namespace taosync::config::detail {

namespace fs = std::filesystem;

namespace {

std::string ascii_lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// True if a YAML reader would take `s`, written plain, as something else than this string
/// (a bool, a null, a number, an alias, a comment, a nested structure).
bool needs_quotes(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front())) ||
      std::isspace(static_cast<unsigned char>(s.back())))
    return true;
  if (std::string("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string::npos)
    return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':')
    return true;
  for (const char c : s) {
    if (std::iscntrl(static_cast<unsigned char>(c)))
      return true;
  }
  static const std::array<const char*, 11> kWords{"true", "false", "yes",  "no", "on",  "off",
                                                  "y",    "n",     "null", "~",  ".nan"};
  const std::string l = ascii_lower(s);
  for (const char* w : kWords) {
    if (l == w)
      return true;
  }
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size(); // a number
}

std::string trim_right(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

/// Reads a secret file, without its trailing newline; errors name the key and the path.
std::string read_secret_file(const std::string& key, const fs::path& path) {
  std::string text;
  try {
    text = trim_right(read_bounded_file(path));
  } catch (const FileRefused& e) {
    throw ConfigError(key, e.what());
  }
  if (text.empty())
    throw ConfigError(key, "file '" + path.string() + "' is empty");
  return text;
}

} // namespace

std::string yaml_string(const std::string& s) {
  if (!needs_quotes(s))
    return s;
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      out += c;
    }
  }
  return out + "\"";
}

std::string yaml_number(double v) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), ec == std::errc{} ? end : buf.data());
}

std::string yaml_bytes(std::uint64_t v) {
  static constexpr std::array<std::pair<std::uint64_t, const char*>, 3> kUnits{
      {{1024ULL * 1024 * 1024, "GiB"}, {1024ULL * 1024, "MiB"}, {1024ULL, "KiB"}}};
  for (const auto& [size, suffix] : kUnits) {
    if (v != 0 && v % size == 0)
      return std::to_string(v / size) + suffix;
  }
  return std::to_string(v);
}

std::string resolve_path(const std::string& path, const Sources& src) {
  return fs::path(path).is_absolute() ? path : (src.base_dir / path).string();
}

std::optional<std::string> read_secret(Section& s, const std::string& name,
                                       const std::string& credential, const Sources& src) {
  auto inline_value = s.string(name); // not const: returned, so moved
  const auto file = s.string(name + "_file");
  if (!src.credentials_dir.empty()) {
    // "name" from LoadCredential=name:FILE, "taosync_name" from the unit's directory form
    // LoadCredential=taosync:/etc/taosync/credentials.
    for (const std::string& id : {credential, "taosync_" + credential}) {
      const fs::path cred = src.credentials_dir / id;
      std::error_code ec;
      if (fs::exists(cred, ec))
        return read_secret_file("credential " + id, cred);
    }
  }
  if (inline_value && file) {
    throw ConfigError(s.key_path(name), "set either " + name + " or " + name + "_file, not both");
  }
  if (file)
    return read_secret_file(s.key_path(name + "_file"), resolve_path(*file, src));
  if (inline_value && !inline_value->empty())
    return inline_value;
  return std::nullopt;
}

std::string whole_value(const std::string& value) {
  return value;
}

std::string database_password(const std::string& url) {
  // The forms a libpq url or keyword string spells a password in: user:password@, a query's
  // password=, and a keyword value quoted or plain.
  static const std::array<std::regex, 4> kForms{
      std::regex(R"(^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:([^@/]*)@)"),
      std::regex(R"([?&]password=([^&]*))"),
      std::regex(R"((?:^|\s)password\s*=\s*'((?:[^'\\]|\\.)*)')"),
      std::regex(R"((?:^|\s)password\s*=\s*([^\s']\S*))"),
  };
  std::smatch m;
  for (const auto& form : kForms)
    if (std::regex_search(url, m, form))
      return m[1].str();
  return "";
}

std::string mask_text(const std::string& text, const std::string& secret) {
  static const std::string kMask = "***";
  if (secret.empty())
    return text;
  std::string out = text;
  for (auto pos = out.find(secret); pos != std::string::npos;
       pos = out.find(secret, pos + kMask.size())) {
    out.replace(pos, secret.size(), kMask);
  }
  return out;
}

} // namespace taosync::config::detail
