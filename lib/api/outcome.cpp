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

} // namespace taosync::api
