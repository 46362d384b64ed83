// The local API's bearer secret: a random value in a file only the service account and the
// local IT group can read. Created at the agent's first start with mode 0640 and the group
// [api] secret_group (default `cks`) when that group exists, else 0600; cksctl and cks-tray read
// it to authenticate, so a person in that group may use cksctl. Platform code: posix/, windows/.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "core/result.h"

namespace cks::agent {

// Reads the secret at `path`, creating the file (and its directory) with a new random secret
// when it does not exist: mode 0640 and group `group` when that group exists on this machine,
// else 0600. An existing file owned by this process's user is given to `group` the same way
// (the group may have been created after the first start). Refuses a file that others can read
// or write.
[[nodiscard]] Result<std::string> loadOrCreateApiSecret(const std::string& path,
                                                        const std::string& group);

struct ApiSecretError {
  enum class Kind {
    Missing,           // no such file: the agent never started with this configuration
    PermissionDenied,  // this user may not read it (not in the secret's group)
    Unreadable,        // any other failure, or a file too short to be a secret
  };
  Kind kind = Kind::Unreadable;
  std::string message;  // "api secret: PATH: why"
};

// Reads an existing secret (cksctl); the error says whether the file is missing, not readable
// by this user, or unusable.
[[nodiscard]] tl::expected<std::string, ApiSecretError> readApiSecret(const std::string& path);

// Constant-time comparison, so the secret cannot be guessed byte by byte from response times.
[[nodiscard]] bool secretsEqual(const std::string& a, const std::string& b);

}  // namespace cks::agent
