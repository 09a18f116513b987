#include "api/url.hpp"

#include "model/rules.hpp"

#include "api/outcome.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <stdexcept>

namespace taosync::api {

std::string Url::origin() const {
  return scheme + "://" + host + ":" + port;
}

std::string Url::host_header() const {
  const bool bracket = host.find(':') != std::string::npos;
  std::string out = bracket ? "[" + host + "]" : host;
  if (port != (tls() ? "443" : "80"))
    out += ":" + port;
  return out;
}

Url parse_url(std::string_view text) {
  const auto bad = [&](const char* why) {
    return std::invalid_argument("bad URL '" + std::string(text) + "': " + why);
  };
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos)
    throw bad("expected http:// or https://");
  url.scheme = std::string(text.substr(0, scheme_end));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https")
    throw bad("expected http:// or https://");
  std::string_view rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos)
    url.path = std::string(rest.substr(path_start));
  if (url.path.find_first_of("?#") != std::string::npos)
    throw bad("a query or fragment is not allowed");
  while (!url.path.empty() && url.path.back() == '/')
    url.path.pop_back();
  if (authority.find('@') != std::string_view::npos)
    throw bad("credentials in the URL are not allowed");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      throw bad("unterminated IPv6 literal");
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    const auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
      port = authority.substr(colon + 1);
  }
  if (url.host.empty())
    throw bad("no host");
  if (!port.empty() && (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        })))
    throw bad("bad port");
  url.port = port.empty() ? (url.tls() ? "443" : "80") : std::string(port);
  return url;
}

bool is_loopback_host(std::string_view host) {
  return model::is_loopback_host(host);
}

void check_transport_security(const Url& url, std::string_view config_key,
                              bool allow_insecure_http) {
  if (url.tls() || allow_insecure_http || is_loopback_host(url.host))
    return;
  throw ApiFailure(
      ApiError{ErrorKind::fatal,
               "insecure_http",
               std::string(config_key) + ": plain http:// to '" + url.host +
                   "' is refused (tokens would travel in clear text); use https:// or set "
                   "api.allow_insecure_http: true",
               {},
               {}});
}

} // namespace taosync::api
