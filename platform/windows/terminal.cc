#include "platform/terminal.h"

#include <windows.h>

#include <cstdlib>

#include "core/text_table.h"

namespace cks::platform {

// The console window's visible width (not its buffer's, which is often 120 or more).
std::optional<size_t> terminalColumns() {
  CONSOLE_SCREEN_BUFFER_INFO info{};
  if (!GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info)) return std::nullopt;
  const int columns = info.srWindow.Right - info.srWindow.Left + 1;
  if (columns <= 0) return std::nullopt;
  return size_t(columns);
}

size_t outputTableWidth() { return tableWidth(std::getenv("COLUMNS"), terminalColumns()); }

bool inputIsTerminal() {
  DWORD mode = 0;
  return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
}

}  // namespace cks::platform
