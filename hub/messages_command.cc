#include "hub/messages_command.h"

#include "hub/hub_admin.h"
#include "hub/hub_messages.h"

namespace cks::hub {

int messagesCommand(const std::vector<std::string>& args, Language language, std::ostream& out,
                    std::ostream& err) {
  bool json = false;
  for (const auto& arg : args) {
    if (arg != "--json") {
      err << "cks-hub: " << hubMessage(language, "messages.usage") << '\n';
      return kExitUsage;
    }
    json = true;
  }
  if (json) {
    out << messagesJson() << '\n';
  } else {
    out << messagesText(language);
  }
  return kExitOk;
}

}  // namespace cks::hub
