// The one error type of the codebase: expected failures are values, not exceptions.
// `Result<T>` holds a T or an Error whose message says where and what
// ("store: open /var/lib/cks/agent.db: database is locked") for people, and whose kind
// (core/error_code.h) says what code may decide on. Broken invariants use CKS_CHECK.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <tl/expected.hpp>

#include "core/error_code.h"

namespace cks {

struct Error {
  std::string message;  // for people (logs, --verbose): never parsed
  ErrorCode code = ErrorCode::Internal;

  // Returns a copy of the same kind whose message is prefixed with `context: `.
  [[nodiscard]] Error wrap(const std::string& context) const {
    return {context + ": " + message, code};
  }
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

// Makes the error side of a Result, of kind `code`:
// `return fail(ErrorCode::NotFound, "request ", id, ": no such request");`
template <typename... Parts>
[[nodiscard]] tl::unexpected<Error> fail(ErrorCode code, Parts&&... parts) {
  std::string message;
  (message.append(std::forward<Parts>(parts)), ...);
  return tl::unexpected<Error>(Error{std::move(message), code});
}

// Makes an Internal error (a failure no caller decides on):
// `return fail("store: open ", path, ": ", why);`
template <typename... Parts>
[[nodiscard]] tl::unexpected<Error> fail(Parts&&... parts) {
  return fail(ErrorCode::Internal, std::forward<Parts>(parts)...);
}

inline Status ok() { return {}; }

}  // namespace cks

// Aborts with the failed condition and its place: for invariants, never for expected failures.
#define CKS_CHECK(condition)                                                             \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

// Returns the error of a Result or Status expression from the enclosing function, which returns
// a Result or Status too: `CKS_TRY(stmt->run());`.
#define CKS_TRY(expr)                         \
  do {                                        \
    if (auto status_ = (expr); !status_) {    \
      return tl::unexpected(status_.error()); \
    }                                         \
  } while (false)
