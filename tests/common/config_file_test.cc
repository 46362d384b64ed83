#include "common/config_file.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace cks::common {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(ConfigFileTest, ReadsAndParsesTheFile) {
  const std::string path = dir_.file("hub.ini");
  test::writeFile(path, "[server]\nport = 8443\n");
  auto doc = readConfigFile(path, Language::English);
  ASSERT_TRUE(doc) << doc.error().message;
  const IniEntry* port = doc->find("server", "port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->value, "8443");
  EXPECT_EQ(port->line, 2);
}

TEST_F(ConfigFileTest, MissingFileAndSyntaxErrorsNameTheFile) {
  const std::string missing = dir_.file("none.ini");
  auto doc = readConfigFile(missing, Language::English);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.rfind(missing + ": ", 0), 0u) << doc.error().message;

  const std::string broken = dir_.file("broken.ini");
  test::writeFile(broken, "[server\n");
  doc = readConfigFile(broken, Language::English);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.rfind(broken + ":1: ", 0), 0u) << doc.error().message;
}

TEST_F(ConfigFileTest, RelativePathsResolveNextToTheFile) {
  const auto resolve = resolverNextTo(dir_.file("agent.ini"));
  EXPECT_EQ(resolve("data/agent.db"), dir_.file("data/agent.db"));
  EXPECT_EQ(resolve("../x/./y"), (dir_.path().parent_path() / "x/y").string());
  EXPECT_EQ(resolve("/var/lib/cks/agent.db"), "/var/lib/cks/agent.db");
}

}  // namespace
}  // namespace cks::common
