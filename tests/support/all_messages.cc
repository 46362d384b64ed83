// Every catalogue table, for the test programs that check the catalogue as a whole or use a
// module without its program (core/messages.h: one definition per program).
#include "agent/agent_catalogue.h"
#include "hub/hub_catalogue.h"
#include "print/print_catalogue.h"
#include "tray/core/tray_catalogue.h"

namespace cks {

std::span<const MessageTable> programMessages() {
  static const MessageTable tables[] = {agent::agentMessages(), hub::hubMessages(),
                                        print::printMessages(), tray::trayMessages()};
  return tables;
}

}  // namespace cks
