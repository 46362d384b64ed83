#include "common/log_settings.h"

#include <gtest/gtest.h>

#include <Poco/Message.h>

#include <sstream>

#include "tests/support/temp_dir.h"

namespace cks::common {
namespace {

// Issue 15, review finding 5: a token label or a certificate name an agency chose reaches the
// log inside a line; a line end in it forged a line of its own, an escape sequence rewrote the
// administrator's terminal as `tail -f` printed it. Each message stays one line, its control
// characters escaped.
TEST(LogChannelTest, AMessageIsOneLineWithItsControlCharactersEscaped) {
  test::TempDir dir;
  LogSettings settings;
  settings.console = false;
  settings.file = dir.file("hub.log");
  auto channel = makeLogChannel(settings);
  channel->open();
  channel->log(Poco::Message("hub",
                             "push from A: CN=An\n2026-12-06T00:00:00.000Z [1] Error forged\x1b[2J",
                             Poco::Message::PRIO_WARNING));
  channel->log(Poco::Message("hub", "tab\tand U+009B \xc2\x9b kept apart, Việt kept",
                             Poco::Message::PRIO_INFORMATION));
  channel->close();
  std::istringstream file(test::readFile(dir.file("hub.log")));
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u) << test::readFile(dir.file("hub.log"));
  EXPECT_NE(lines[0].find(" Warning push from A: CN=An\\n2026-12-06T00:00:00.000Z [1] Error "
                          "forged\\x1b[2J"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("tab\\tand U+009B \\u009b kept apart, Việt kept"), std::string::npos)
      << lines[1];
}

}  // namespace
}  // namespace cks::common
