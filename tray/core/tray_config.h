// What cks-tray takes from the agent's configuration file (config/agent.ini): where the local
// API listens ([api] port), its secret ([api] secret_file, relative to the file's folder) and
// the language ([agent] language). Every other key belongs to the agent and is ignored here.
#pragma once

#include <string>

#include "core/messages.h"
#include "core/result.h"

namespace cks::tray {

struct TrayConfig {
  int port = 8737;
  std::string secret_file = "/var/lib/cks/api.secret";
  Language language = Language::Vietnamese;
};

// Reads `path`; the error names the file, line and key (as the agent's own check does), in the
// file's [agent] language when it sets one, else in `language`.
[[nodiscard]] Result<TrayConfig> loadTrayConfig(const std::string& path,
                                                Language language = Language::Vietnamese);
// Parses configuration text (for tests); `source` names it in errors, `base_dir` resolves a
// relative secret_file.
[[nodiscard]] Result<TrayConfig> parseTrayConfig(const std::string& text, const std::string& source,
                                                 const std::string& base_dir,
                                                 Language language = Language::Vietnamese);

// The API secret: the file's content without the trailing newline; an error saying whether the
// file is missing or unreadable (a user outside the group allowed to read it).
[[nodiscard]] Result<std::string> readApiSecret(const std::string& path);

}  // namespace cks::tray
