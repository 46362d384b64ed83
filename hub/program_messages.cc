// The catalogue tables of cks-hub, besides core's (core/messages.h: one definition per program,
// so a missing table is a link error).
#include "hub/hub_catalogue.h"
#include "print/print_catalogue.h"

namespace cks {

std::span<const MessageTable> programMessages() {
  static const MessageTable tables[] = {hub::hubMessages(), print::printMessages()};
  return tables;
}

}  // namespace cks
