#include "test_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <stdexcept>

namespace taosync::testing {
namespace {

namespace beast = boost::beast;
using tcp = net::ip::tcp;

std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

SeenRequest parse_target(std::string_view target) {
  SeenRequest seen;
  seen.at = std::chrono::steady_clock::now();
  const auto q = target.find('?');
  seen.path = std::string(target.substr(0, q));
  if (q == std::string_view::npos)
    return seen;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    seen.params[url_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return seen;
}

} // namespace

TestServer::TestServer(net::io_context& io, TestHandler handler, ssl::context* tls)
    : handler_(std::move(handler)), tls_(tls),
      acceptor_(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  net::co_spawn(io, accept_loop(), net::detached);
}

bool TestServer::signature_valid(const SeenRequest& request, const std::string& api_path,
                                 const std::string& secret) {
  const auto it = request.params.find("sign");
  if (it == request.params.end())
    return false;
  api::Params params(request.params.begin(), request.params.end());
  return api::sign(api_path, params, secret) == it->second;
}

net::awaitable<void> TestServer::accept_loop() {
  for (;;) {
    auto socket = co_await acceptor_.async_accept(net::use_awaitable);
    ++connections_;
    net::co_spawn(acceptor_.get_executor(), session(std::move(socket)), net::detached);
  }
}

net::awaitable<void> TestServer::session(tcp::socket socket) {
  try {
    if (tls_ == nullptr) {
      beast::tcp_stream stream(std::move(socket));
      co_await serve(stream);
    } else {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
      co_await stream.async_handshake(ssl::stream_base::server, net::use_awaitable);
      co_await serve(stream);
    }
  } catch (const std::exception&) {
    // The client went away (or refused our certificate): that is what some tests do.
  }
}

template <class Stream> net::awaitable<void> TestServer::serve(Stream& stream) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, net::use_awaitable);
    requests_.push_back(parse_target(request.target()));
    requests_.back().accept_encoding = std::string(request[http::field::accept_encoding]);
    const TestReply reply = handler_(requests_.back());
    if (reply.delay.count() > 0) {
      net::steady_timer timer(co_await net::this_coro::executor, reply.delay);
      co_await timer.async_wait(net::use_awaitable);
    }
    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, "application/json;charset=UTF-8");
    response.keep_alive(request.keep_alive());
    if (!reply.content_encoding.empty())
      response.set(http::field::content_encoding, reply.content_encoding);
    if (!reply.retry_after.empty())
      response.set(http::field::retry_after, reply.retry_after);
    if (reply.truncate) {
      response.content_length(reply.body.size());
      response.body() = reply.body.substr(0, reply.body.size() / 2);
      http::serializer<false, http::string_body> sr(response);
      co_await http::async_write_header(stream, sr, net::use_awaitable);
      co_await net::async_write(stream, net::buffer(response.body()), net::use_awaitable);
      co_return;
    }
    response.body() = reply.body;
    response.prepare_payload();
    co_await http::async_write(stream, response, net::use_awaitable);
    if (reply.close_after || !request.keep_alive())
      co_return;
  }
}

void run_coroutine(net::io_context& io, std::function<net::awaitable<void>()> body,
                   std::chrono::seconds limit) {
  std::exception_ptr failure;
  bool done = false;
  net::co_spawn(io, body(), [&](std::exception_ptr e) {
    failure = e;
    done = true;
    io.stop();
  });
  io.run_for(limit);
  io.restart();
  if (!done)
    throw std::runtime_error("the test coroutine did not finish in time");
  if (failure)
    std::rethrow_exception(failure);
}

config::ApiConfig loopback_api_config(const TestServer& server) {
  using namespace std::chrono_literals;
  config::ApiConfig cfg;
  cfg.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/rest";
  cfg.auth_url = cfg.base_url;
  cfg.app_key = "k";
  cfg.app_secret = "s3cr3t-value";
  cfg.timeout = 2s;
  cfg.rate_limit.requests_per_second = 1000;
  cfg.rate_limit.burst = 100;
  cfg.retry.initial_backoff = 10ms;
  cfg.retry.max_backoff = 50ms;
  return cfg;
}

} // namespace taosync::testing
