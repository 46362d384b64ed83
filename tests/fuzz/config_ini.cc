// Fuzz target: agent.ini and hub.ini as the programs read them at start: the INI text
// (core/ini_document.h) bound key by key to each program's settings (core/config_schema.h with
// agent/agent_config.cc and hub/hub_config.cc), from a file as loadAgentConfig and loadHubConfig
// read it. Every entry remembers a line of the text, and an error names the file.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "agent/agent_config.h"
#include "core/ini_document.h"
#include "hub/hub_config.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

namespace {

// A folder of this process's own, so that parallel runs never share the file.
const std::filesystem::path& folder() {
  static const std::filesystem::path path = [] {
    auto p =
        std::filesystem::temp_directory_path() / ("cks-fuzz-config-" + std::to_string(getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = cks::fuzz::text(data, size);
  if (const auto document = cks::IniDocument::parse(text, "fuzz.ini")) {
    const auto lines = std::count(text.begin(), text.end(), '\n') + 1;
    for (const auto& entry : document->entries()) {
      require(entry.line >= 1 && entry.line <= lines, "an entry's line is one of the text");
    }
  } else {
    require(document.error().message.find("fuzz.ini") != std::string::npos,
            "a syntax error names the file");
  }
  for (const char* name : {"agent.ini", "hub.ini"}) {
    const std::string path = (folder() / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(text.data(), std::streamsize(size));
    if (name == std::string_view("agent.ini")) {
      const auto config = cks::agent::loadAgentConfig(path, cks::agent::FileChecks::Skip);
      if (!config) require(!config.error().message.empty(), "a refused agent.ini says why");
    } else {
      const auto config = cks::hub::loadHubConfig(path);
      if (!config) require(!config.error().message.empty(), "a refused hub.ini says why");
    }
  }
  return 0;
}
