// File names are UTF-8 in cks-tray's strings; on Windows a std::string path would be read in
// the ANSI code page, so every file is opened through this (a user folder may be
// "C:\Users\Nguyễn").
#pragma once

#include <filesystem>
#include <string>

namespace cks::tray {

[[nodiscard]] inline std::filesystem::path pathFromUtf8(const std::string& utf8) {
  return std::filesystem::path(
      std::u8string(reinterpret_cast<const char8_t*>(utf8.data()), utf8.size()));
}

[[nodiscard]] inline std::string utf8FromPath(const std::filesystem::path& path) {
  const std::u8string text = path.u8string();
  return std::string(reinterpret_cast<const char*>(text.data()), text.size());
}

}  // namespace cks::tray
