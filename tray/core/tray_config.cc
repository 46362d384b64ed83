#include "tray/core/tray_config.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config_schema.h"
#include "core/ini_document.h"
#include "tray/core/utf8_path.h"

namespace cks::tray {
namespace {

Result<std::string> readWholeFile(const std::string& path, const char* what) {
  std::ifstream in(pathFromUtf8(path), std::ios::binary);
  if (!in) return fail(path, ": cannot read the ", what, ": ", std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<TrayConfig> parseTrayConfig(const std::string& text, const std::string& source,
                                   const std::string& base_dir, Language language) {
  auto doc = IniDocument::parse(text, source, language);
  if (!doc) return tl::unexpected(doc.error());
  language = configLanguage(*doc, "agent", "language", language);
  TrayConfig config;
  auto refuse = [&](const IniEntry& entry, std::string_view hint) {
    return badConfigValue(language, source, entry, {hint});
  };
  if (const auto* port = doc->find("api", "port")) {
    int value = 0;
    const auto& v = port->value;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || end != v.data() + v.size() || value < 1 || value > 65535) {
      return refuse(*port, "config.expect.port");
    }
    config.port = value;
  }
  if (const auto* secret = doc->find("api", "secret_file")) {
    if (secret->value.empty()) return refuse(*secret, "config.expect.file");
    // Relative to the configuration file's folder, as the agent reads it.
    const std::filesystem::path value = pathFromUtf8(secret->value);
    config.secret_file =
        value.is_absolute() || base_dir.empty()
            ? secret->value
            : utf8FromPath(
                  (pathFromUtf8(base_dir) / pathFromUtf8(secret->value)).lexically_normal());
  }
  if (const auto* chosen = doc->find("agent", "language")) {
    if (!parseLanguage(chosen->value, config.language)) {
      return refuse(*chosen, "config.expect.language");
    }
  }
  return config;
}

Result<TrayConfig> loadTrayConfig(const std::string& path, Language language) {
  std::ifstream in(pathFromUtf8(path), std::ios::binary);
  if (!in) return unreadableConfig(language, path, errno);
  std::ostringstream text;
  text << in.rdbuf();
  const auto base = std::filesystem::absolute(pathFromUtf8(path)).parent_path();
  return parseTrayConfig(text.str(), path, utf8FromPath(base), language);
}

Result<std::string> readApiSecret(const std::string& path) {
  auto text = readWholeFile(path, "API secret");
  if (!text) return tl::unexpected(text.error());
  std::string secret = std::move(*text);
  while (!secret.empty() &&
         (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' '))
    secret.pop_back();
  if (secret.empty()) return fail(path, ": the API secret is empty");
  return secret;
}

}  // namespace cks::tray
