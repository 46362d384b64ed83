#include <gtest/gtest.h>

#include <set>
#include <string>

#include "agent/cksctl_command.h"
#include "core/messages.h"

namespace cks::agent {
namespace {

TEST(CksctlCommandTest, EveryCommandHasAUsageTextInBothLanguages) {
  ASSERT_FALSE(cksctlCommands().empty());
  for (const auto& command : cksctlCommands()) {
    for (const Language language : {Language::Vietnamese, Language::English}) {
      const std::string usage = message(language, command.usage_key);
      EXPECT_NE(usage.front(), '[') << command.name << ": no text for " << command.usage_key;
      EXPECT_NE(usage.find("cksctl " + std::string(command.name)), std::string::npos)
          << command.name << ": " << usage;
      // The usage screen of `cksctl --help` names it too.
      EXPECT_NE(message(language, "cli.usage").find("  " + std::string(command.name) + " "),
                std::string::npos)
          << command.name;
    }
  }
}

TEST(CksctlCommandTest, NamesAreUniqueAndFound) {
  std::set<std::string_view> names;
  for (const auto& command : cksctlCommands()) {
    EXPECT_TRUE(names.insert(command.name).second) << command.name;
    EXPECT_EQ(findCksctlCommand(command.name), &command);
    EXPECT_NE(command.run, nullptr);
  }
  EXPECT_EQ(findCksctlCommand("frobnicate"), nullptr);
  // Only doctor reads the configuration itself: a broken one is its finding.
  EXPECT_TRUE(findCksctlCommand("doctor")->reads_config_itself);
  EXPECT_FALSE(findCksctlCommand("status")->reads_config_itself);
}

}  // namespace
}  // namespace cks::agent
