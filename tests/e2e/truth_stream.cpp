#include "truth_stream.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <stdexcept>
#include <string>

namespace taosync::e2e {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool try_parse_object(std::string_view text, json::object& out) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return false;
  out = std::move(v.as_object());
  return true;
}

/// Splits streamed bytes into lines and hands each order on.
class LineSplitter {
public:
  explicit LineSplitter(const std::function<void(json::object&&)>& on_order)
      : on_order_(on_order) {}
  void feed(const char* data, std::size_t n) {
    pending_.append(data, n);
    std::size_t start = 0;
    for (auto nl = pending_.find('\n', start); nl != std::string::npos;
         nl = pending_.find('\n', start)) {
      line(std::string_view(pending_).substr(start, nl - start));
      start = nl + 1;
    }
    pending_.erase(0, start);
  }
  void finish() {
    if (!pending_.empty())
      line(pending_);
    pending_.clear();
  }

private:
  void line(std::string_view text) {
    json::object order;
    if (parse_truth_line(text, order))
      on_order_(std::move(order));
  }
  const std::function<void(json::object&&)>& on_order_;
  std::string pending_;
};

} // namespace

bool parse_truth_line(std::string_view line, json::object& out) {
  static constexpr std::string_view kHead = "{\"orders\":[";
  line = trim(line);
  if (line.starts_with(kHead))
    line = trim(line.substr(kHead.size()));
  if (line.empty() || line == "]}" || line == "]" || line == "}")
    return false;
  if (line.back() == ',')
    line.remove_suffix(1);
  if (try_parse_object(line, out))
    return true;
  // The last order may carry the closing `]}` on its own line.
  if (line.ends_with("]}") && try_parse_object(line.substr(0, line.size() - 2), out))
    return true;
  throw std::runtime_error("/_sim/truth: unparsable line: " + std::string(line.substr(0, 200)));
}

void stream_truth(int sim_port, const std::function<void(json::object&&)>& on_order,
                  const std::string& seller, std::chrono::seconds timeout) {
  // Seller names are "shop-N": nothing in them needs escaping in a query string.
  const std::string target = seller.empty() ? "/_sim/truth" : "/_sim/truth?seller=" + seller;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                        static_cast<unsigned short>(sim_port)));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none); // 1M orders are hundreds of MiB
  http::read_header(stream, buffer, parser);
  if (parser.get().result_int() != 200)
    throw std::runtime_error(target + ": HTTP " + std::to_string(parser.get().result_int()));

  LineSplitter splitter(on_order);
  std::array<char, 1 << 16> chunk{};
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec == http::error::need_buffer)
      ec = {}; // our chunk is full: expected, go on
    if (ec)
      throw beast::system_error(ec, "/_sim/truth read");
    splitter.feed(chunk.data(), chunk.size() - parser.get().body().size);
  }
  splitter.finish();
}

} // namespace taosync::e2e
