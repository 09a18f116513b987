#include "store/db_errors.hpp"

#include "store/db_url.hpp"

#include <pqxx/except>

namespace taosync::store {

std::optional<TimeoutKind> timeout_kind(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  if (sql == nullptr)
    return std::nullopt;
  const std::string what = sql->what();
  // 55P03 is also NOWAIT's answer and 57014 a cancel request: the message tells them apart.
  if (sql->sqlstate() == "55P03" && what.find("lock timeout") != std::string::npos)
    return TimeoutKind::lock;
  if (sql->sqlstate() == "57014" && what.find("statement timeout") != std::string::npos)
    return TimeoutKind::statement;
  return std::nullopt;
}

bool deadlock_victim(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && sql->sqlstate() == "40P01";
}

bool out_of_resources(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && sql->sqlstate().starts_with("53");
}

const char* timeout_key(TimeoutKind kind) {
  return kind == TimeoutKind::lock ? "database.lock_timeout" : "database.statement_timeout";
}

std::string one_line(const std::string& message, const std::string& url) {
  std::string out;
  for (char c : scrub_password(message, url)) {
    const bool space = c == '\n' || c == '\t' || c == '\r';
    if (!(space && (out.empty() || out.back() == ' ')))
      out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

} // namespace taosync::store
