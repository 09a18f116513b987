#include "api/network_error.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace taosync::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct Classified {
  ErrorKind kind;
  const char* code;
};

Classified classify(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout)
    return {ErrorKind::transient, "timeout"};
  if (ec == http::error::body_limit)
    return {ErrorKind::fatal, "response_too_large"};
  if (ec == http::error::partial_message || ec == net::ssl::error::stream_truncated)
    return {ErrorKind::transient, "truncated_body"};
  if (ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::broken_pipe ||
      ec == net::error::connection_aborted)
    return {ErrorKind::transient, "connection_reset"};
  if (ec == net::error::connection_refused)
    return {ErrorKind::transient, "connection_refused"};
  if (ec == net::error::host_not_found || ec == net::error::host_not_found_try_again ||
      ec == net::error::no_data)
    return {ErrorKind::transient, "resolve_failed"};
  if (ec.category() == net::error::get_ssl_category()) {
    if (ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED)
      return {ErrorKind::fatal, "tls_verify_failed"};
    return {ErrorKind::transient, "tls_error"};
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category())
    return {ErrorKind::transient, "bad_http"};
  return {ErrorKind::transient, "network_error"};
}

} // namespace

ApiError network_error(const boost::system::error_code& ec, std::string_view stage,
                       std::string_view origin) {
  const auto [kind, code] = classify(ec);
  ApiError error;
  error.kind = kind;
  error.code = code;
  error.message = std::string(stage) + " " + std::string(origin) + " failed: " + ec.message();
  if (error.code == "response_too_large")
    error.message += " (the response exceeds api.max_response_bytes)";
  return error;
}

ApiError http_status_error(unsigned status, std::string_view target_path) {
  ApiError error;
  error.code = "http_" + std::to_string(status);
  error.message = std::string(target_path) + " answered HTTP " + std::to_string(status);
  if (status >= 500 || status == 408)
    error.kind = ErrorKind::transient;
  else if (status == 429) {
    error.kind = ErrorKind::throttled;
    error.ban = std::chrono::seconds(1);
  } else
    error.kind = ErrorKind::fatal;
  return error;
}

} // namespace taosync::api
