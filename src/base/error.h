// Error values shared by every layer: a canonical code with Abseil's meanings plus a stable,
// dotted domain key ("dossier.illegal_transition") that the HTTP edge maps to a status and to a
// Vietnamese/English catalogue message. Recoverable failures are returned, never thrown.
// Thread-safety: plain values.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kDeadlineExceeded,
  kDataLoss,
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Stable key, also the message-catalogue key shown to clients.
  std::string key;
  // Developer-facing detail for logs; never shown to clients (may contain SQL, paths).
  std::string detail;
  // Safe, user-visible parameters substituted into the catalogue message ({name}).
  std::vector<std::pair<std::string, std::string>> params;

  Error& With(std::string name, std::string value) {
    params.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // The value of parameter `name`, or empty.
  std::string Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return v;
    }
    return {};
  }
  std::string ToString() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// Builds an std::unexpected<Error> for `return Fail(...)`.
inline std::unexpected<Error> Fail(ErrorCode code, std::string key, std::string detail = {}) {
  return std::unexpected(Error{code, std::move(key), std::move(detail), {}});
}
inline std::unexpected<Error> Fail(Error e) { return std::unexpected(std::move(e)); }

}  // namespace motcua
