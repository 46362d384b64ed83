// cks-tray's command line, the same on Linux and Windows:
//   cks-tray [--config FILE] [--lang vi|en] [--state FILE] [--check] [--quit-after SECONDS]
// (--quit-after: leave on one's own after that long, for smoke tests of the UI).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/messages.h"
#include "core/result.h"

namespace cks::tray {

struct TrayOptions {
  std::string config;  // the platform's default when not given
  std::optional<Language> language;
  std::string state_file;  // the platform's per-user default when empty
  bool check = false;
  bool help = false;
  int quit_after_seconds = 0;  // 0: run until Quit
};

// Parses `args` (without the program name); the error is the sentence to print, in `language`.
[[nodiscard]] Result<TrayOptions> parseTrayOptions(const std::vector<std::string>& args,
                                                   const std::string& default_config,
                                                   Language language);

}  // namespace cks::tray
