#include "sim_sellers.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <stdexcept>

namespace taosync::e2e {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

constexpr auto kSellersTimeout = std::chrono::seconds(30);

} // namespace

std::vector<std::string> sim_seller_names(int sim_port) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(kSellersTimeout);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                        static_cast<unsigned short>(sim_port)));
  http::request<http::empty_body> req{http::verb::get, "/_sim/sellers", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  if (res.result_int() != 200)
    throw std::runtime_error("/_sim/sellers: HTTP " + std::to_string(res.result_int()));
  boost::system::error_code ec;
  auto body = json::parse(res.body(), ec);
  const auto* sellers = !ec && body.is_object() ? body.as_object().if_contains("sellers") : nullptr;
  if (sellers == nullptr || !sellers->is_array())
    throw std::runtime_error("/_sim/sellers: no \"sellers\" array in " + res.body().substr(0, 200));
  std::vector<std::string> names;
  for (const auto& s : sellers->as_array()) {
    const auto* name = s.is_object() ? s.as_object().if_contains("name") : nullptr;
    if (name == nullptr || !name->is_string())
      throw std::runtime_error("/_sim/sellers: a seller without a name");
    names.emplace_back(name->as_string());
  }
  return names;
}

} // namespace taosync::e2e
