#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

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
  // Doctor reads the configuration itself: a broken one is its finding (messages needs none).
  EXPECT_TRUE(findCksctlCommand("doctor")->reads_config_itself);
  EXPECT_FALSE(findCksctlCommand("status")->reads_config_itself);
}

// `cksctl messages`, run with its output captured: the exit code and what it wrote.
std::pair<int, std::string> runMessages(CommandLine line, Language language) {
  line.command = "messages";
  std::ostringstream out;
  std::streambuf* const shown = std::cout.rdbuf(out.rdbuf());
  const int exit_code = findCksctlCommand("messages")->run({line, language, nullptr});
  std::cout.rdbuf(shown);
  return {exit_code, out.str()};
}

TEST(CksctlCommandTest, MessagesWritesCksctlsCatalogueWithoutAnAgent) {
  CommandLine json;
  json.json = true;
  const auto [json_exit, written] = runMessages(json, Language::English);
  ASSERT_EQ(json_exit, kExitOk);
  const auto root = Poco::JSON::Parser().parse(written).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->size(), messageKeys().size());
  const auto usage = root->getObject("cli.usage.messages");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->getValue<std::string>("vi"),
            message(Language::Vietnamese, "cli.usage.messages"));
  EXPECT_EQ(root->getObject("pin.locked")->getValue<std::string>("vi"), "Đã khóa PIN");

  const auto [text_exit, text] = runMessages(CommandLine{}, Language::Vietnamese);
  EXPECT_EQ(text_exit, kExitOk);
  EXPECT_EQ(text, messagesText(Language::Vietnamese));

  CommandLine extra;
  extra.arguments = {"now"};
  EXPECT_EQ(runMessages(extra, Language::English).first, kExitUsage);
}

}  // namespace
}  // namespace cks::agent
