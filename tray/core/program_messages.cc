// The catalogue tables of cks-tray, besides core's (core/messages.h: one definition per program,
// so a missing table is a link error).
#include "tray/core/tray_catalogue.h"

namespace cks {

std::span<const MessageTable> programMessages() {
  static const MessageTable tables[] = {tray::trayMessages()};
  return tables;
}

}  // namespace cks
