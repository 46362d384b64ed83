#include "platform/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "core/text_table.h"

namespace cks::platform {

std::optional<size_t> terminalColumns() {
  winsize size{};
  if (isatty(STDOUT_FILENO) == 0 || ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 ||
      size.ws_col == 0) {
    return std::nullopt;
  }
  return size_t(size.ws_col);
}

size_t outputTableWidth() { return tableWidth(std::getenv("COLUMNS"), terminalColumns()); }

bool inputIsTerminal() { return isatty(STDIN_FILENO) == 1; }

}  // namespace cks::platform
