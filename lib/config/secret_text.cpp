#include "config/secret_text.hpp"

#include <regex>

namespace taosync::config::detail {

std::string whole_value(const std::string& value) {
  return value;
}

std::string database_password(const std::string& url) {
  std::smatch m;
  static const std::regex kUserinfo(R"(^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:([^@/]*)@)");
  if (std::regex_search(url, m, kUserinfo))
    return m[1].str();
  static const std::regex kQuery(R"([?&]password=([^&]*))");
  if (std::regex_search(url, m, kQuery))
    return m[1].str();
  static const std::regex kQuoted(R"((?:^|\s)password\s*=\s*'((?:[^'\\]|\\.)*)')");
  if (std::regex_search(url, m, kQuoted))
    return m[1].str();
  static const std::regex kPlain(R"((?:^|\s)password\s*=\s*([^\s']\S*))");
  if (std::regex_search(url, m, kPlain))
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
