// The catalogue tables of cks-agent and cksctl, besides core's (core/messages.h: one definition
// per program, so a missing table is a link error).
#include "agent/agent_catalogue.h"
#include "print/print_catalogue.h"

namespace cks {

std::span<const MessageTable> programMessages() {
  static const MessageTable tables[] = {agent::agentMessages(), print::printMessages()};
  return tables;
}

}  // namespace cks
