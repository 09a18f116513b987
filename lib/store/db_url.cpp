#include "store/db_url.hpp"

#include <optional>

namespace taosync::store {
namespace {

constexpr std::string_view kMask = "***";

bool is_uri(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

/// [begin, end) of the password in a URI's userinfo, if any.
std::optional<std::pair<std::size_t, std::size_t>> uri_userinfo_password(std::string_view url) {
  const auto start = url.find("://") + 3;
  const auto authority_end = url.find_first_of("/?", start);
  const auto authority =
      url.substr(start, authority_end == std::string_view::npos ? std::string_view::npos
                                                                : authority_end - start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos)
    return std::nullopt;
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  return std::pair{start + colon + 1, start + at};
}

/// [begin, end) of a `password=` value (URI query or key=value form), if any.
std::optional<std::pair<std::size_t, std::size_t>> keyword_password(std::string_view url) {
  std::size_t pos = 0;
  while ((pos = url.find("password=", pos)) != std::string_view::npos) {
    const bool at_key_start = pos == 0 || url[pos - 1] == ' ' || url[pos - 1] == '?' ||
                              url[pos - 1] == '&' || url[pos - 1] == '\t';
    const auto begin = pos + 9;
    if (at_key_start) {
      std::size_t end = begin;
      if (end < url.size() && url[end] == '\'') { // key='quoted value'
        ++end;
        while (end < url.size() && url[end] != '\'')
          end += url[end] == '\\' ? 2 : 1;
        end = std::min(end + 1, url.size());
      } else {
        end = url.find_first_of(is_uri(url) ? "&" : " \t", begin);
        end = end == std::string_view::npos ? url.size() : end;
      }
      return std::pair{begin, end};
    }
    pos = begin;
  }
  return std::nullopt;
}

std::string replace_range(std::string s, std::pair<std::size_t, std::size_t> range) {
  return s.replace(range.first, range.second - range.first, kMask);
}

} // namespace

std::string redacted_url(std::string_view url) {
  std::string out(url);
  if (is_uri(out))
    if (auto range = uri_userinfo_password(out))
      out = replace_range(std::move(out), *range);
  while (auto range = keyword_password(out)) {
    if (std::string_view(out).substr(range->first, range->second - range->first) == kMask)
      break;
    out = replace_range(std::move(out), *range);
  }
  return out;
}

std::string scrub_password(std::string message, std::string_view url) {
  auto scrub = [&](std::optional<std::pair<std::size_t, std::size_t>> range) {
    if (!range || range->second <= range->first)
      return;
    std::string secret(url.substr(range->first, range->second - range->first));
    if (secret.size() >= 2 && secret.front() == '\'' && secret.back() == '\'')
      secret = secret.substr(1, secret.size() - 2);
    if (secret.empty())
      return;
    for (auto pos = message.find(secret); pos != std::string::npos;
         pos = message.find(secret, pos + kMask.size()))
      message.replace(pos, secret.size(), kMask);
  };
  if (is_uri(url))
    scrub(uri_userinfo_password(url));
  scrub(keyword_password(url));
  return message;
}

} // namespace taosync::store
