#include "server.hpp"

#include "admin.hpp"
#include "api_handlers.hpp"
#include "faults.hpp"
#include "json_out.hpp"
#include "lazada_handlers.hpp"
#include "repeats.hpp"

#include "api/gzip.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <map>

namespace taosync::sim {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using namespace std::chrono_literals;

namespace {

constexpr auto kIdleTimeout = 120s;
constexpr auto kWriteTimeout = 60s;
constexpr std::uint64_t kMaxRequestBody = 1 << 20;
constexpr std::size_t kTruthChunkOrders = 256;
constexpr auto kTick = 10ms;
constexpr std::string_view kJson = "application/json;charset=UTF-8";

/// Completion handler of every co_spawned job: network errors are a client's business (and
/// faults cause them on purpose); anything else is a bug worth a line on stderr.
void log_exception(std::exception_ptr e) {
  if (!e)
    return;
  try {
    std::rethrow_exception(e);
  } catch (const boost::system::system_error&) {
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "taosync-sim: %s\n", ex.what());
  }
}

/// An admin error body: {"error":"<problem>"}.
std::string admin_error(std::string_view problem) {
  std::string out = "{\"error\":\"";
  json::escape(out, problem);
  out += "\"}";
  return out;
}

struct Target {
  std::string_view path;
  std::string_view query;
};

Target split_target(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos)
    return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

/// An HTTP Date header ("Sun, 06 Nov 1994 08:49:37 GMT") for `ms` since the epoch.
std::string http_date(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

/// Suspends the calling coroutine for `d`.
net::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer timer(co_await net::this_coro::executor, d);
  co_await timer.async_wait(net::use_awaitable);
}

/// Writes one complete response; returns whether the connection stays open. A non-empty
/// `content_encoding` says how `body` is already encoded; `retry_after` > 0 (seconds) is sent
/// as Retry-After.
net::awaitable<bool> send(beast::tcp_stream& stream, const Request& req, http::status status,
                          std::string body, std::string_view content_type = kJson,
                          std::string_view content_encoding = {}, int retry_after = 0) {
  Response res{status, req.version()};
  res.set(http::field::server, "taosync-sim");
  res.set(http::field::date, http_date(wall_ms())); // the platform's clock, like its stamps
  res.set(http::field::content_type, content_type);
  if (!content_encoding.empty())
    res.set(http::field::content_encoding, content_encoding);
  if (retry_after > 0)
    res.set(http::field::retry_after, std::to_string(retry_after));
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  stream.expires_after(kWriteTimeout);
  co_await http::async_write(stream, res, net::use_awaitable);
  co_return req.keep_alive();
}

/// Streams `seller`'s /_sim/truth with chunked encoding; the data is frozen meanwhile.
net::awaitable<bool> send_truth(beast::tcp_stream& stream, const Request& req, SimState& state,
                                const Seller& seller) {
  struct Freeze {
    SimState& s;
    explicit Freeze(SimState& st) : s(st) { s.freeze(); }
    ~Freeze() { s.thaw(); }
  } freeze(state);
  http::response<http::empty_body> res{http::status::ok, req.version()};
  res.set(http::field::server, "taosync-sim");
  res.set(http::field::content_type, kJson);
  res.keep_alive(req.keep_alive());
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  stream.expires_after(kWriteTimeout);
  co_await http::async_write_header(stream, sr, net::use_awaitable);
  std::string chunk = "{\"orders\":[";
  auto total = seller.shop().orders().size();
  for (std::size_t begin = 0; begin < total; begin += kTruthChunkOrders) {
    truth_chunk(state, seller, begin, std::min(total, begin + kTruthChunkOrders), chunk);
    stream.expires_after(kWriteTimeout);
    co_await net::async_write(stream, http::make_chunk(net::buffer(chunk)), net::use_awaitable);
    chunk.clear();
  }
  chunk += "\n]}\n";
  co_await net::async_write(stream, http::make_chunk(net::buffer(chunk)), net::use_awaitable);
  co_await net::async_write(stream, http::make_chunk_last(), net::use_awaitable);
  co_return req.keep_alive();
}

/// The seller a `seller=shop-2` query parameter names (the first seller without one), or
/// nullptr for an unknown name.
Seller* seller_of_query(SimState& state, const api::Params& query) {
  auto it = query.find("seller");
  return it == query.end() ? &state.first_seller() : state.find_seller(it->second);
}

net::awaitable<bool> serve_admin(beast::tcp_stream& stream, const Request& req, SimState& state,
                                 Target target) {
  auto path = target.path;
  api::Params query;
  parse_form(target.query, query);
  auto* seller = seller_of_query(state, query);
  if (seller == nullptr)
    co_return co_await send(stream, req, http::status::not_found,
                            admin_error("no such seller: " + query.at("seller")));
  if (path == "/_sim/truth")
    co_return co_await send_truth(stream, req, state, *seller);
  if (path == "/_sim/stats")
    co_return co_await send(stream, req, http::status::ok, stats_body(state));
  if (path == "/_sim/sellers")
    co_return co_await send(stream, req, http::status::ok, sellers_body(state));
  if (path == "/_sim/control" && req.method() == http::verb::post) {
    auto problem = apply_control(state, req.body());
    if (!problem.empty())
      co_return co_await send(stream, req, http::status::bad_request, admin_error(problem));
    co_return co_await send(stream, req, http::status::ok, settings_body(state.live()));
  }
  if (path == "/_sim/mutate") {
    std::int64_t n = 1;
    if (auto it = query.find("n"); it != query.end()) {
      auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
      if (ec != std::errc{} || n < 0)
        co_return co_await send(stream, req, http::status::bad_request,
                                "{\"error\":\"n must be a non-negative integer\"}");
    }
    co_return co_await send(stream, req, http::status::ok, mutate_body(state, *seller, n));
  }
  co_return co_await send(stream, req, http::status::not_found, "{\"error\":\"no such page\"}");
}

using Handler = ApiAnswer (*)(SimState&, Seller&, const api::Params&, const std::string&);

constexpr std::string_view kTokenRefresh = "/auth/token/refresh";

/// The seller a call is made for: the one holding its access token (or, for a token refresh,
/// its refresh token), expired or not; nullptr if the token is nobody's.
Seller* seller_of_call(SimState& state, std::string_view api_path, const api::Params& params) {
  bool token_call = api_path == kTokenRefresh;
  auto it = params.find(token_call ? "refresh_token" : "access_token");
  if (it == params.end())
    return nullptr;
  return token_call ? state.seller_by_refresh_token(it->second)
                    : state.seller_by_access_token(it->second);
}

/// Runs the gateway checks and the endpoint of a call for `seller`; returns the body and the
/// outcome for the stats.
std::pair<std::string, std::string> dispatch(SimState& state, Seller* seller,
                                             std::string_view api_path, const api::Params& params,
                                             const std::string& request_id) {
  static const std::map<std::string, Handler, std::less<>> kTaobao = {
      {"/orders/get", orders_get},
      {"/order/items/get", order_items_get},
      {"/order/get", order_get},
  };
  static const std::map<std::string, Handler, std::less<>> kLazada = {
      {"/orders/get", lazada_orders_get},
      {"/orders/items/get", lazada_items_get},
      {"/order/get", lazada_order_get},
  };
  const auto& kHandlers = state.options().platform == Dialect::lazada ? kLazada : kTaobao;
  auto fail = [&](const ApiError& e) { return std::pair(error_body(e, request_id), e.code); };
  auto it = kHandlers.find(api_path);
  bool token_call = api_path == kTokenRefresh;
  if (it == kHandlers.end() && !token_call)
    return fail({"ISV", "InvalidApiPath", "The specified API path is invalid"});
  if (auto ban = state.throttle().admit(Throttle::Clock::now())) {
    ++state.stats().throttled;
    return fail({"ISV", "ApiCallLimit",
                 "The request has exceeded the limit of calls, this ban will last " +
                     std::to_string(ban->count()) + " seconds"});
  }
  // The rate limit above is the app's, over all sellers; the token decides whose data it is.
  const TokenBook* tokens = seller ? &seller->tokens() : nullptr;
  if (auto e = check_call(api_path, params, state.gate(), tokens, wall_ms(), token_call))
    return fail(*e);
  auto answer = token_call ? token_refresh(state, params, request_id)
                           : it->second(state, *seller, params, request_id);
  if (auto* e = std::get_if<ApiError>(&answer))
    return fail(*e);
  return {std::move(std::get<std::string>(answer)), "ok"};
}

/// Sends the first half of a response whose Content-Length promises all of it, then closes.
net::awaitable<void> send_truncated(beast::tcp_stream& stream, const std::string& body) {
  std::string raw = "HTTP/1.1 200 OK\r\nServer: taosync-sim\r\nContent-Type: ";
  raw += kJson;
  raw += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  raw.append(body, 0, body.size() / 2);
  stream.expires_after(kWriteTimeout);
  co_await net::async_write(stream, net::buffer(raw), net::use_awaitable);
  stream.socket().close();
}

/// Whether this call is one of /_sim/control's unavailable_calls; notes when the client comes
/// back after the last of them.
bool take_unavailable(SimState& state) {
  auto& unavailable = state.stats().unavailable;
  const auto now = wall_ms();
  if (state.live().unavailable_calls > 0) {
    --state.live().unavailable_calls;
    ++unavailable.served;
    unavailable.last_ms = now;
    unavailable.next_call_ms = 0;
    return true;
  }
  if (unavailable.served > 0 && unavailable.next_call_ms == 0)
    unavailable.next_call_ms = now;
  return false;
}

net::awaitable<bool> serve_api(beast::tcp_stream& stream, const Request& req, SimState& state,
                               Target target) {
  const bool unavailable = take_unavailable(state); // as the call arrives, before any latency
  auto api_path = target.path.substr(5);            // after "/rest"
  api::Params params;
  parse_form(target.query, params);
  if (req.method() == http::verb::post)
    parse_form(req.body(), params); // the lazop SDK may POST a form body
  // Every listing request that reaches the platform counts, even one that is then throttled.
  if (api_path == "/orders/get")
    state.stats().repeats.note(listing_request_key(params), wall_ms());
  const auto& live = state.live();
  if (live.latency_mean.count() > 0 || live.latency_jitter.count() > 0) {
    auto jitter = live.latency_jitter.count();
    auto delay = live.latency_mean.count() + state.latency_rng().between(-jitter, jitter);
    if (delay > 0)
      co_await sleep_for(std::chrono::milliseconds(delay));
  }
  auto* seller = seller_of_call(state, api_path, params);
  auto count = [&](std::string_view outcome) {
    state.stats().count_call(api_path, outcome);
    if (seller != nullptr)
      count_call(seller->calls(), api_path, outcome);
  };
  if (unavailable) {
    const auto status = live.unavailable_status;
    count("http_" + std::to_string(status));
    co_return co_await send(stream, req, static_cast<http::status>(status),
                            "<html><body><h1>" + std::to_string(status) + "</h1></body></html>",
                            "text/html", {}, live.retry_after);
  }
  auto fault = roll_fault(live.fault_rate, state.fault_rng());
  if (fault != Fault::none) {
    state.stats().count_fault(fault_name(fault));
    count(fault_name(fault));
  }
  switch (fault) {
  case Fault::reset:
    stream.socket().set_option(net::socket_base::linger(true, 0)); // close sends RST
    stream.socket().close();
    co_return false;
  case Fault::stall:
    co_await sleep_for(state.options().stall);
    stream.socket().close();
    co_return false;
  case Fault::http_500:
  case Fault::http_502:
  case Fault::http_503: {
    auto code = fault == Fault::http_500 ? 500 : fault == Fault::http_502 ? 502 : 503;
    co_return co_await send(stream, req, static_cast<http::status>(code),
                            "<html><body><h1>" + std::to_string(code) + "</h1></body></html>",
                            "text/html", {}, code == 503 ? live.retry_after : 0);
  }
  default:
    break;
  }
  auto request_id = state.next_request_id();
  auto [body, outcome] = dispatch(state, seller, api_path, params, request_id);
  if (fault == Fault::truncated) {
    co_await send_truncated(stream, body);
    co_return false;
  }
  if (fault == Fault::malformed)
    body.resize(body.size() / 2); // complete HTTP, broken JSON
  else
    count(outcome);
  // A ban says when to come back in its message, and with --retry-after in a header too.
  const int retry_after = outcome == "ApiCallLimit" ? live.retry_after : 0;
  // The gateway compresses an answer when asked; the stats count bytes both ways.
  auto& bytes = state.stats().bytes;
  bytes.plain += body.size();
  if (!state.options().gzip || !api::accepts_gzip(req[http::field::accept_encoding])) {
    bytes.sent += body.size();
    co_return co_await send(stream, req, http::status::ok, std::move(body), kJson, {}, retry_after);
  }
  std::string packed = api::gzip(body);
  bytes.sent += packed.size();
  co_return co_await send(stream, req, http::status::ok, std::move(packed), kJson, "gzip",
                          retry_after);
}

net::awaitable<bool> respond(beast::tcp_stream& stream, const Request& req, SimState& state) {
  auto target = split_target(req.target());
  if (target.path.starts_with("/_sim/"))
    co_return co_await serve_admin(stream, req, state, target);
  if (target.path.starts_with("/rest/"))
    co_return co_await serve_api(stream, req, state, target);
  co_return co_await send(stream, req, http::status::not_found, "{\"error\":\"no such page\"}");
}

/// One client connection: requests in a keep-alive loop.
net::awaitable<void> serve_connection(tcp::socket socket, SimState& state) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxRequestBody);
    stream.expires_after(kIdleTimeout);
    // end_of_stream (the client closed), a timeout or a reset simply end the connection.
    auto [ec, n] =
        co_await http::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    if (ec)
      break;
    auto req = parser.release();
    if (!co_await respond(stream, req, state))
      break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> accept_loop(tcp::acceptor acceptor, SimState& state) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(net::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    net::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket), state),
                  log_exception);
  }
}

net::awaitable<void> lifecycle_loop(SimState& state) {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    timer.expires_after(kTick);
    co_await timer.async_wait(net::use_awaitable);
    state.tick();
  }
}

} // namespace

Simulator::Simulator(SimOptions options) : state_(std::make_unique<SimState>(std::move(options))) {}

std::uint16_t Simulator::start(net::io_context& ioc) {
  const auto& o = state_->options();
  tcp::endpoint endpoint(net::ip::make_address(o.listen_host), o.listen_port);
  tcp::acceptor acceptor(ioc, endpoint); // sets SO_REUSEADDR
  auto port = acceptor.local_endpoint().port();
  net::co_spawn(ioc, accept_loop(std::move(acceptor), *state_), log_exception);
  net::co_spawn(ioc, lifecycle_loop(*state_), log_exception);
  return port;
}

} // namespace taosync::sim
