// HTTPS: the client verifies the peer and its host name against a self-signed certificate
// made at test time with the openssl CLI.

#include "api/client.hpp"
#include "test_data.hpp"
#include "test_server.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace taosync;
using namespace taosync::testing;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kTlsOneId{"1"};

// A key and a certificate valid for DNS:localhost only, in a fresh temporary directory.
struct SelfSignedCert {
  SelfSignedCert() {
    char pattern[] = "/tmp/taosync-tls-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    dir = pattern;
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                                "/CN=localhost -addext subjectAltName=DNS:localhost -keyout " +
                                key() + " -out " + cert() + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~SelfSignedCert() { std::filesystem::remove_all(dir); }
  std::string key() const { return (dir / "key.pem").string(); }
  std::string cert() const { return (dir / "cert.pem").string(); }
  std::filesystem::path dir;
};

ssl::context server_context(const SelfSignedCert& files) {
  ssl::context context(ssl::context::tls_server);
  context.use_certificate_chain_file(files.cert());
  context.use_private_key_file(files.key(), ssl::context::pem);
  return context;
}

config::ApiConfig https_config(const std::string& host, unsigned short port) {
  config::ApiConfig cfg;
  cfg.base_url = "https://" + host + ":" + std::to_string(port) + "/rest";
  cfg.auth_url = cfg.base_url;
  cfg.app_key = "k";
  cfg.app_secret = "s";
  cfg.timeout = 3s;
  cfg.rate_limit.requests_per_second = 1000;
  cfg.rate_limit.burst = 100;
  cfg.retry.max_attempts = 2;
  cfg.retry.initial_backoff = 10ms;
  return cfg;
}

std::optional<api::ApiError> call_lines(net::io_context& io, const config::ApiConfig& cfg,
                                        int calls) {
  api::Client client(cfg, {"t", "r", {}, {}}, {});
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      for (int i = 0; i < calls; ++i)
        co_await client.get_lines(kTlsOneId);
    } catch (const api::ApiFailure& e) {
      failure = e.error();
    }
  });
  return failure;
}

} // namespace

TEST_CASE("https to a certificate trusted through api.ca_file works and keeps the connection") {
  SelfSignedCert files;
  auto tls = server_context(files);
  net::io_context io;
  TestServer server(
      io,
      [](const SeenRequest&) {
        return TestReply{200, read_api_data("seed_order_items_get.json")};
      },
      &tls);
  auto cfg = https_config("localhost", server.port());
  cfg.ca_file = files.cert();
  CHECK_FALSE(call_lines(io, cfg, 3));
  CHECK(server.requests().size() == 3);
  CHECK(server.connections() == 1);
}

TEST_CASE("https refuses a certificate that does not name the host") {
  SelfSignedCert files;
  auto tls = server_context(files);
  net::io_context io;
  TestServer server(
      io,
      [](const SeenRequest&) {
        return TestReply{200, read_api_data("seed_order_items_get.json")};
      },
      &tls);
  auto cfg = https_config("127.0.0.1", server.port()); // the certificate names localhost only
  cfg.ca_file = files.cert();
  const auto failure = call_lines(io, cfg, 1);
  REQUIRE(failure);
  CHECK(failure->kind == api::ErrorKind::fatal);
  CHECK(failure->code == "tls_verify_failed");
  CHECK(server.requests().empty());
}

TEST_CASE("https refuses a certificate no trusted CA signed") {
  SelfSignedCert files;
  auto tls = server_context(files);
  net::io_context io;
  TestServer server(
      io,
      [](const SeenRequest&) {
        return TestReply{200, read_api_data("seed_order_items_get.json")};
      },
      &tls);
  const auto failure = call_lines(io, https_config("localhost", server.port()), 1);
  REQUIRE(failure);
  CHECK(failure->code == "tls_verify_failed");
  CHECK(server.requests().empty());
}
