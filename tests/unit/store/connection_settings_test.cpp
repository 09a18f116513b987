// The libpq string every connection is opened with: deadlines and keepalives added, never
// overriding what the configured URL sets; and the password-free target for messages.

#include "store/connection_settings.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

using namespace taosync::store;

TEST_CASE("keepalives and connect_timeout are appended to a URI without a query") {
  const auto s = connection_settings("postgresql://u:pw@db.example:6543/shop");
  CHECK(libpq_url(s) == "postgresql://u:pw@db.example:6543/shop?connect_timeout=30&keepalives=1"
                        "&keepalives_idle=60&keepalives_interval=10&keepalives_count=6"
                        "&fallback_application_name=" +
                            application_name());
  CHECK(application_name() == "taosyncd-" + std::to_string(::getpid()));
}

TEST_CASE("what the URI sets wins, and its query is extended with &") {
  const auto url = with_libpq_defaults("postgresql:///taosync?keepalives_idle=5&sslmode=require",
                                       {{"keepalives_idle", "60"}, {"keepalives", "1"}});
  CHECK(url == "postgresql:///taosync?keepalives_idle=5&sslmode=require&keepalives=1");
}

TEST_CASE("key=value strings get key=value pairs, and their own settings win") {
  CHECK(with_libpq_defaults("host=db dbname=x connect_timeout=7",
                            {{"connect_timeout", "30"}, {"keepalives", "1"}}) ==
        "host=db dbname=x connect_timeout=7 keepalives=1");
  CHECK(with_libpq_defaults("", {{"keepalives", "1"}}) == "keepalives=1");
  // A quoted value that looks like a keyword is a value, not a setting.
  CHECK(with_libpq_defaults("host=db password='keepalives=0'", {{"keepalives", "1"}}) ==
        "host=db password='keepalives=0' keepalives=1");
}

TEST_CASE("a string libpq cannot parse is left alone for libpq to report") {
  CHECK(with_libpq_defaults("host=db dbname", {{"keepalives", "1"}}) == "host=db dbname");
  CHECK(with_libpq_defaults("postgresql://db/x?nonsense_option=1", {{"keepalives", "1"}}) ==
        "postgresql://db/x?nonsense_option=1");
}

TEST_CASE("timeouts are whole seconds, rounded up") {
  auto s = connection_settings("host=db");
  s.connect_timeout = std::chrono::milliseconds(2500);
  s.keepalives_idle = std::chrono::seconds(1);
  CHECK(libpq_url(s).find("connect_timeout=3 ") != std::string::npos);
  CHECK(libpq_url(s).find("keepalives_idle=1 ") != std::string::npos);
}

TEST_CASE("the target is host:port/db without user or password") {
  CHECK(describe_target("postgresql://u:secret@db.example:6543/shop") == "db.example:6543/shop");
  CHECK(describe_target("host=10.0.0.5 port=5433 dbname=x user=u password=secret") ==
        "10.0.0.5:5433/x");
  const auto local = describe_target("postgresql:///taosync");
  CHECK(local.ends_with("/taosync"));
  CHECK(local.find("secret") == std::string::npos);
}
