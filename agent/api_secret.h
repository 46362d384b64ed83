// The local API's bearer secret: a random value in a file only the service account (and the
// local IT group, by the file's group) can read. Created at the agent's first start with mode
// 0600; cksctl and cks-tray read it to authenticate. Platform code: posix/, windows/.
#pragma once

#include <string>

#include "core/result.h"

namespace cks::agent {

// Reads the secret at `path`, creating the file (and its directory) with a new random secret
// and mode 0600 when it does not exist. Refuses a file that others can read or write.
[[nodiscard]] Result<std::string> loadOrCreateApiSecret(const std::string& path);

// Reads an existing secret (cksctl); the error says whether the file is missing or unreadable.
[[nodiscard]] Result<std::string> readApiSecret(const std::string& path);

// Constant-time comparison, so the secret cannot be guessed byte by byte from response times.
[[nodiscard]] bool secretsEqual(const std::string& a, const std::string& b);

}  // namespace cks::agent
