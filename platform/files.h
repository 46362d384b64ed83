// Files written whole or not at all, and files only their owner may read: the one implementation
// for the forms, plans and reports the officer keeps, the agent's key and certificates, and the
// hub's PKI. Never a half file after a crash, a full disk or a power cut, and never a moment in
// which others can read a private file. Platform code: posix/files.cc. Thread-safe.
#pragma once

#include <string>

#include "core/result.h"

namespace cks::platform {

// Who may read a file written here. The owner may always read and write it.
enum class FileAccess {
  OwnerOnly,      // forms carry personal ID numbers and phone numbers; keys (POSIX 0600)
  EveryoneReads,  // certificates (POSIX 0644)
};

// Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over
// `path`, then flushes the folder so the rename survives a power cut. The file has `access` from
// its creation on. On failure `path` is untouched and the error names the file and the cause.
[[nodiscard]] Status replaceFile(const std::string& path, const std::string& bytes,
                                 FileAccess access = FileAccess::OwnerOnly);

// Creates `path` readable by its owner only and writes `bytes`, flushed to disk. Fails when the
// file already exists (kind Conflict: "create PATH: File exists"), so it doubles as a lock
// against a second enrolment. On failure no file is left behind.
[[nodiscard]] Status createOwnerOnlyFile(const std::string& path, const std::string& bytes);

// Creates `folder` (and its parents) for its owner only if it does not exist.
[[nodiscard]] Status ensureOwnerOnlyFolder(const std::string& folder);

// Makes an existing file or folder its owner's only (POSIX: 0600 for a file, 0700 for a folder).
// The error is "chmod PATH: cause".
[[nodiscard]] Status restrictToOwner(const std::string& path);

// Creates a new empty file, named `prefix` and a unique suffix, in `folder`, for a library that
// writes to a path (libxlsxwriter); the caller removes it. The error is the cause only.
[[nodiscard]] Result<std::string> createScratchFile(const std::string& folder,
                                                    const std::string& prefix);

}  // namespace cks::platform
