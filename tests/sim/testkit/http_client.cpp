#include "testkit/http_client.hpp"

#include "gate.hpp"
#include "state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http.hpp>

namespace taosync::sim::testkit {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

HttpResult HttpClient::get(const std::string& target) {
  return request(false, target, "", "");
}

HttpResult HttpClient::post(const std::string& target, const std::string& body,
                            const std::string& content_type) {
  return request(true, target, body, content_type);
}

HttpResult HttpClient::request(bool post, const std::string& target, const std::string& body,
                               const std::string& content_type) {
  auto run = [&]() -> net::awaitable<HttpResult> {
    if (!stream_) {
      stream_.emplace(ioc_);
      stream_->expires_after(timeout_);
      co_await stream_->async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_),
                                      net::use_awaitable);
      buffer_.clear();
      ++connections_;
    }
    http::request<http::string_body> req{post ? http::verb::post : http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(true);
    if (post) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
      req.prepare_payload();
    }
    stream_->expires_after(timeout_);
    co_await http::async_write(*stream_, req, net::use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 34);
    co_await http::async_read(*stream_, buffer_, parser, net::use_awaitable);
    auto res = parser.release();
    HttpResult r;
    r.status = static_cast<int>(res.result_int());
    r.content_type = std::string(res[http::field::content_type]);
    r.transfer_encoding = std::string(res[http::field::transfer_encoding]);
    r.retry_after = std::string(res[http::field::retry_after]);
    r.body = std::move(res.body());
    if (!res.keep_alive())
      stream_.reset();
    co_return r;
  };
  auto future = net::co_spawn(ioc_, run(), net::use_future);
  ioc_.restart();
  ioc_.run();
  try {
    return future.get();
  } catch (const boost::system::system_error& e) {
    stream_.reset();
    HttpResult r;
    if (e.code() == beast::error::timeout)
      r.error = "timeout";
    else if (e.code() == http::error::partial_message)
      r.error = "partial_message";
    else if (e.code() == http::error::end_of_stream || e.code() == net::error::eof)
      r.error = "closed";
    else if (e.code() == net::error::connection_reset)
      r.error = "reset";
    else
      r.error = e.code().message();
    return r;
  }
}

api::Params signed_params(const std::string& api_path, api::Params business, const Caller& caller) {
  business["app_key"] = caller.app_key;
  business["sign_method"] = "sha256";
  business["timestamp"] =
      std::to_string(caller.timestamp_ms != 0 ? caller.timestamp_ms : wall_ms());
  if (!caller.access_token.empty())
    business["access_token"] = caller.access_token;
  business["sign"] = api::sign(api_path, business, caller.app_secret);
  return business;
}

std::string query_string(const api::Params& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    if (!q.empty())
      q += '&';
    q += url_encode(k) + "=" + url_encode(v);
  }
  return q;
}

HttpResult call_api(HttpClient& client, const std::string& api_path, api::Params business,
                    const Caller& caller) {
  return client.get("/rest" + api_path + "?" +
                    query_string(signed_params(api_path, std::move(business), caller)));
}

} // namespace taosync::sim::testkit
