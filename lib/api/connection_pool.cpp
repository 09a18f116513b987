#include "api/connection_pool.hpp"

#include "api/network_error.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <stdexcept>

namespace taosync::api {
namespace {

constexpr const char* kUserAgent = "taosync/0.1";

/// A TLS 1.2+ client context with verify_peer, trusting `ca_file` when given (PEM), else the
/// system's default verify paths. Throws std::runtime_error naming the file when it cannot
/// be loaded.
ssl::context make_tls_context(const std::optional<std::string>& ca_file) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (ca_file && !ca_file->empty()) {
    context.load_verify_file(*ca_file, ec);
    if (ec)
      throw std::runtime_error("api.ca_file: cannot load CA certificates from " + *ca_file + ": " +
                               ec.message());
  } else {
    context.set_default_verify_paths(ec);
    if (ec)
      throw std::runtime_error("cannot load the system's CA certificates: " + ec.message());
  }
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

HttpConnection::Request make_request(const Url& origin, const std::string& target) {
  HttpConnection::Request request{http::verb::get, target, 11};
  request.set(http::field::host, origin.host_header());
  request.set(http::field::user_agent, kUserAgent);
  request.set(http::field::accept, "application/json");
  request.set(http::field::accept_encoding, "gzip"); // a listing page shrinks several times
  request.keep_alive(true);
  return request;
}

} // namespace

ConnectionPool::ConnectionPool(const std::optional<std::string>& ca_file, std::size_t max_idle)
    : tls_(make_tls_context(ca_file)), max_idle_(std::max<std::size_t>(max_idle, 1)) {}

ConnectionPool::~ConnectionPool() = default;

void ConnectionPool::set_max_idle(std::size_t max_idle) {
  max_idle_ = std::max<std::size_t>(max_idle, 1);
  for (auto& [origin, connections] : idle_)
    if (connections.size() > max_idle_)
      connections.resize(max_idle_);
}

std::unique_ptr<HttpConnection> ConnectionPool::take_idle(const std::string& origin) {
  auto it = idle_.find(origin);
  if (it == idle_.end() || it->second.empty())
    return nullptr;
  auto connection = std::move(it->second.back());
  it->second.pop_back();
  return connection;
}

void ConnectionPool::put_idle(const std::string& origin,
                              std::unique_ptr<HttpConnection> connection) {
  auto& connections = idle_[origin];
  if (connections.size() < max_idle_)
    connections.push_back(std::move(connection));
}

net::awaitable<Outcome<HttpResponse>>
ConnectionPool::get(const Url& origin, const std::string& target, const HttpLimits& limits,
                    const model::Stop* stop, std::uint64_t* sent) {
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  const auto request = make_request(origin, target);
  const std::string key = origin.origin();
  for (bool may_use_idle = true;; may_use_idle = false) {
    auto connection = may_use_idle ? take_idle(key) : nullptr;
    const bool reused = connection != nullptr;
    std::optional<NetworkFailure> failure;
    try {
      if (!connection) {
        connection = co_await HttpConnection::open(tls_, origin, deadline, stop);
      }
      model::Stop::Registration registration;
      if (stop)
        registration = stop->on_request([c = connection.get()] { c->close(); });
      ++sent_;
      if (sent)
        ++*sent;
      auto response = co_await connection->exchange(request, limits.max_response_bytes, deadline);
      if (connection->keep_alive())
        put_idle(key, std::move(connection));
      co_return response;
    } catch (const NetworkFailure& e) {
      failure = e;
    }
    // The server may close an idle keep-alive connection just as we reuse it; that fails
    // before any byte of a response, and the GET is safe to send again on a new connection.
    const bool stale = reused && !failure->got_response() &&
                       failure->code() != beast::error::timeout && !(stop && stop->requested());
    if (!stale)
      co_return network_error(failure->code(), failure->stage(), key);
  }
}

} // namespace taosync::api
