#pragma once
// A tiny blocking HTTP/1.1 client for the simulator's tests and benchmark: one keep-alive
// connection, a deadline on every call, and errors reported as values (faults are expected).

#include "api/signer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taosync::sim::testkit {

/// The outcome of one request: a status and body, or an error (e.g. "timeout", "reset").
struct HttpResult {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string transfer_encoding;
  std::string retry_after; ///< the Retry-After header ("" when absent)
  std::string error; ///< "" on success; else "timeout", "partial_message", "closed", or a message
  bool ok() const { return error.empty(); }
};

/// A blocking client over one keep-alive connection (reconnects after errors).
class HttpClient {
public:
  HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  ~HttpClient();

  /// GET target.
  HttpResult get(const std::string& target);

  /// POST target with a body.
  HttpResult post(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/json");

  /// Changes the deadline of later calls.
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  /// Number of TCP connections opened so far.
  int connections() const { return connections_; }

private:
  HttpResult request(bool post, const std::string& target, const std::string& body,
                     const std::string& content_type);

  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  int connections_ = 0;
};

/// Credentials and clock of a signed API call.
struct Caller {
  std::string app_key = "test-app-key";
  std::string app_secret = "test-app-secret";
  std::string access_token = "test-access-token";
  std::int64_t timestamp_ms = 0; ///< 0 = now
};

/// Adds the system parameters and the signature to `business` for a call of `api_path`.
api::Params signed_params(const std::string& api_path, api::Params business, const Caller& caller);

/// key=value&... with percent-encoding.
std::string query_string(const api::Params& params);

/// GET /rest<api_path>?<signed params>.
HttpResult call_api(HttpClient& client, const std::string& api_path, api::Params business,
                    const Caller& caller = {});

} // namespace taosync::sim::testkit
