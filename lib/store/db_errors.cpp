#include "store/db_errors.hpp"

#include <pqxx/except>

#include <algorithm>
#include <optional>
#include <utility>

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

std::optional<TimeoutKind> timeout_kind(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  if (sql == nullptr)
    return std::nullopt;
  const std::string what = sql->what();
  // 55P03 is also NOWAIT's answer and 57014 a cancel request: the message tells them apart.
  if (sql->sqlstate() == "55P03" && what.find("lock timeout") != std::string::npos)
    return TimeoutKind::lock;
  if (sql->sqlstate() == "57014" && what.find("statement timeout") != std::string::npos)
    return TimeoutKind::statement;
  return std::nullopt;
}

bool deadlock_victim(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && sql->sqlstate() == "40P01";
}

bool out_of_resources(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && sql->sqlstate().starts_with("53");
}

const char* timeout_key(TimeoutKind kind) {
  return kind == TimeoutKind::lock ? "database.lock_timeout" : "database.statement_timeout";
}

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

std::string one_line(const std::string& message, const std::string& url) {
  std::string out;
  for (char c : scrub_password(message, url)) {
    const bool space = c == '\n' || c == '\t' || c == '\r';
    if (!(space && (out.empty() || out.back() == ' ')))
      out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

} // namespace taosync::store
