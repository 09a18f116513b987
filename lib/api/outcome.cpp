#include "api/outcome.hpp"

namespace taosync::api {

const char* to_string(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::throttled:
    return "throttled";
  case ErrorKind::auth:
    return "auth";
  case ErrorKind::refresh_dead:
    return "refresh_dead";
  case ErrorKind::transient:
    return "transient";
  case ErrorKind::fatal:
    return "fatal";
  }
  return "unknown";
}

ApiFailure cancelled_failure(std::string_view what) {
  return ApiFailure(ApiError{
      ErrorKind::fatal, "cancelled", std::string(what) + ": cancelled (shutting down)", {}, {}});
}

void throw_if_stopped(const model::Stop& stop, std::string_view what) {
  if (stop.requested())
    throw cancelled_failure(what);
}

} // namespace taosync::api
