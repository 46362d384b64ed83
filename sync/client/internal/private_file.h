// Files that hold the agent's key and certificates: created readable by the owner only from the
// first byte (never chmod'ed afterwards), and replaced atomically. POSIX implementation in
// posix/private_file.cc.
#pragma once

#include <string>

#include "core/result.h"

namespace cks::sync::internal {

// Creates `path` with mode 0600 and writes `content`, flushed to disk. Fails when the file
// already exists (O_EXCL), so it doubles as a lock against a second enrolment:
// that failure is of kind Conflict.
[[nodiscard]] Status createPrivateFile(const std::string& path, const std::string& content);

// Writes `content` to a new 0600 file beside `path` and renames it over `path`.
[[nodiscard]] Status replacePrivateFile(const std::string& path, const std::string& content);

// Creates `directory` (and parents) with mode 0700 if it does not exist.
[[nodiscard]] Status ensurePrivateDirectory(const std::string& directory);

}  // namespace cks::sync::internal
