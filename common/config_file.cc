#include "common/config_file.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cks::common {

namespace fs = std::filesystem;

Result<IniDocument> readConfigFile(const std::string& path, Language language) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadableConfig(language, path, errno);
  std::ostringstream text;
  text << in.rdbuf();
  return IniDocument::parse(text.str(), path, language);
}

ConfigPathResolver resolverNextTo(const std::string& path) {
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  return [base](const std::string& value) {
    return fs::path(value).is_absolute() ? value : (base / value).lexically_normal().string();
  };
}

}  // namespace cks::common
