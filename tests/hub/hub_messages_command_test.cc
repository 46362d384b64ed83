// `cks-hub messages [--json]`: the real binary writes the hub's catalogue for the web console
// (every hub key in both languages, Vietnamese with its diacritics) and refuses what it does not
// know with exit 2, as every usage error of cks-hub.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "hub/hub_catalogue.h"
#include "hub/hub_messages.h"
#include "hub/messages_command.h"
#include "tests/support/process.h"

namespace cks::test {
namespace {

CommandResult hub(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {buildPath("bin/cks-hub")};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

TEST(HubMessagesCommandTest, JsonHasEveryHubKeyInBothLanguages) {
  const auto result = hub({"messages", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const auto root = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
  // Every entry of the hub's table, as written (placeholders unfilled: the console fills them).
  ASSERT_FALSE(hub::hubMessages().empty());
  for (const MessageEntry& entry : hub::hubMessages()) {
    const auto texts = root->getObject(std::string(entry.key));
    ASSERT_TRUE(texts) << entry.key;
    EXPECT_EQ(texts->getValue<std::string>("vi"), entry.vi) << entry.key;
    EXPECT_EQ(texts->getValue<std::string>("en"), entry.en) << entry.key;
  }
  // Vietnamese as written, not escaped; the domain words the console shows too.
  EXPECT_EQ(root->getObject("hub.agents.title")->getValue<std::string>("vi"),
            "Máy trạm cks-agent đã đăng ký");
  EXPECT_NE(result.out.find("Máy trạm cks-agent đã đăng ký"), std::string::npos);
  ASSERT_TRUE(root->getObject("pin.locked"));
  EXPECT_EQ(root->getObject("pin.locked")->getValue<std::string>("vi"), "Đã khóa PIN");
  // --lang chooses the text list's language, not the JSON's.
  EXPECT_EQ(hub({"--lang", "en", "messages", "--json"}).out, result.out);
}

TEST(HubMessagesCommandTest, TextIsOneKeyAndTextALineInTheChosenLanguage) {
  const auto vietnamese = hub({"messages"});
  ASSERT_EQ(vietnamese.exit_code, 0) << vietnamese.err;
  EXPECT_NE(vietnamese.out.find("\nhub.agents.title = Máy trạm cks-agent đã đăng ký\n"),
            std::string::npos);
  const auto english = hub({"messages", "--lang=en"});
  ASSERT_EQ(english.exit_code, 0) << english.err;
  EXPECT_NE(english.out.find("\nhub.agents.title = Enrolled cks-agent machines\n"),
            std::string::npos);
}

TEST(HubMessagesCommandTest, AnUnknownLanguageOrArgumentIsAUsageError) {
  const auto french = hub({"messages", "--lang", "fr", "--json"});
  EXPECT_EQ(french.exit_code, 2);
  EXPECT_EQ(french.out, "");
  EXPECT_NE(french.err.find("\"fr\""), std::string::npos) << french.err;
  EXPECT_EQ(french.err.find('\n'), french.err.size() - 1) << "one line: " << french.err;

  const auto xml = hub({"--lang", "en", "messages", "--xml"});
  EXPECT_EQ(xml.exit_code, 2);
  EXPECT_EQ(xml.out, "");
  EXPECT_EQ(xml.err, "cks-hub: " + hub::hubMessage(Language::English, "messages.usage") + "\n");

  const auto help = hub({"messages", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("messages [--json]"), std::string::npos) << help.out;
}

TEST(HubMessagesCommandTest, TheCommandWritesToTheStreamsItIsGiven) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(hub::messagesCommand({"--json"}, Language::English, out, err), 0);
  EXPECT_EQ(out.str(), messagesJson() + "\n");
  EXPECT_EQ(err.str(), "");
  std::ostringstream text;
  EXPECT_EQ(hub::messagesCommand({}, Language::English, text, err), 0);
  EXPECT_EQ(text.str(), messagesText(Language::English));
  std::ostringstream refused;
  EXPECT_EQ(hub::messagesCommand({"--json", "extra"}, Language::Vietnamese, out, refused), 2);
  EXPECT_NE(refused.str().find("messages [--json]"), std::string::npos);
}

}  // namespace
}  // namespace cks::test
