// UTF-8 <-> UTF-16 for the Win32 API (MultiByteToWideChar / WideCharToMultiByte with CP_UTF8):
// the tray keeps UTF-8 everywhere and converts at the calls.
#pragma once

#include <windows.h>

#include <string>

namespace cks::tray {

[[nodiscard]] inline std::wstring wideFromUtf8(const std::string& text) {
  if (text.empty()) return {};
  const int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), nullptr, 0);
  std::wstring wide(size_t(size), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), wide.data(), size);
  return wide;
}

[[nodiscard]] inline std::string utf8FromWide(const std::wstring& wide) {
  if (wide.empty()) return {};
  const int size =
      WideCharToMultiByte(CP_UTF8, 0, wide.data(), int(wide.size()), nullptr, 0, nullptr, nullptr);
  std::string text(size_t(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), int(wide.size()), text.data(), size, nullptr,
                      nullptr);
  return text;
}

}  // namespace cks::tray
