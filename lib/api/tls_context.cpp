#include "api/tls_context.hpp"

#include <stdexcept>

namespace taosync::api {

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

} // namespace taosync::api
