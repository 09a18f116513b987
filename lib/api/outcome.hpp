#pragma once
// The typed result of one API call: ok, or an error classified by what the client should do.

#include "model/stop.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <variant>

namespace taosync::api {

/// What the caller should do about an API error (docs/design.md §1).
enum class ErrorKind {
  throttled,    ///< ApiCallLimit: pause every call of the app for `ban`, then retry
  auth,         ///< IllegalAccessToken: refresh the token once
  refresh_dead, ///< IllegalRefreshToken: stop the shop; the seller must re-authorize
  transient,    ///< ISP/SYSTEM errors, 5xx, timeouts, resets, bad bodies: back off and retry
  fatal,        ///< IncompleteSignature, MissingParameter, InvalidParameter, ...: no retry
};

/// Returns "throttled", "auth", ... for logs and metrics labels.
const char* to_string(ErrorKind kind);

/// A classified API error. Never carries a secret.
struct ApiError {
  ErrorKind kind = ErrorKind::transient;
  std::string code;            ///< platform code ("ApiCallLimit") or "http_503", "timeout", ...
  std::string message;         ///< human text naming the call
  std::chrono::seconds ban{0}; ///< for throttled
  std::string request_id;      ///< the platform's request_id, when it sent one
};

/// Either a value or an ApiError.
template <class T> class Outcome {
public:
  Outcome(T value) : v_(std::move(value)) {}
  Outcome(ApiError error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

private:
  std::variant<T, ApiError> v_;
};

/// Thrown when a call fails for good (fatal error, or retries exhausted).
class ApiFailure : public std::runtime_error {
public:
  explicit ApiFailure(ApiError e)
      : std::runtime_error(e.code + ": " + e.message), error_(std::move(e)) {}
  const ApiError& error() const { return error_; }

private:
  ApiError error_;
};

/// The error a call ends with once its client was stopped (kind fatal, code "cancelled"):
/// never retried.
ApiFailure cancelled_failure(std::string_view what);

/// Throws cancelled_failure(what) if `stop` was requested.
void throw_if_stopped(const model::Stop& stop, std::string_view what);

} // namespace taosync::api
