#pragma once
// Gateway URLs ("https://api.taobao.tw/rest") split into what a connection needs.

#include <string>
#include <string_view>

namespace taosync::api {

/// An http(s) URL: scheme, host, port and path prefix.
struct Url {
  std::string scheme; ///< "http" or "https"
  std::string host;   ///< without brackets for IPv6 literals
  std::string port;   ///< explicit or the scheme's default
  std::string path;   ///< prefix without a trailing slash ("/rest"), may be empty

  /// True for https.
  bool tls() const { return scheme == "https"; }
  /// "scheme://host:port", the key of a connection pool.
  std::string origin() const;
  /// The Host header value: host, plus ":port" when it is not the scheme's default.
  std::string host_header() const;
};

/// Parses "http(s)://host[:port][/path]"; throws std::invalid_argument naming the URL.
Url parse_url(std::string_view text);

/// True for localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

/// Refuses plain http:// to a host other than loopback unless `allow_insecure_http`;
/// throws ApiFailure (fatal, "insecure_http") naming the config key and the host.
void check_transport_security(const Url& url, std::string_view config_key,
                              bool allow_insecure_http);

} // namespace taosync::api
