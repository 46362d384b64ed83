// Reading a program's INI file (agent.ini, hub.ini): the file's text parsed with file:line
// errors, and the resolver that places a relative path in it next to the file.
#pragma once

#include <string>

#include "core/config_keys.h"
#include "core/ini_document.h"

namespace cks::common {

// The parsed file at `path`; a file that cannot be read is a configuration error naming why
// (missing, permission denied, a folder; unreadableConfig in core/config_schema.h).
[[nodiscard]] Result<IniDocument> readConfigFile(const std::string& path, Language language);

// Makes a relative path absolute against the folder of the file at `path`; an absolute one is
// kept as written.
[[nodiscard]] ConfigPathResolver resolverNextTo(const std::string& path);

}  // namespace cks::common
