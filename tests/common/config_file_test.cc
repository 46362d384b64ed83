#include "common/config_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cks::common {
namespace {

namespace fs = std::filesystem;

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cks-config-file-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ConfigFileTest, ReadsAndParsesTheFile) {
  const std::string path = (dir_ / "hub.ini").string();
  std::ofstream(path) << "[server]\nport = 8443\n";
  auto doc = readConfigFile(path, Language::English);
  ASSERT_TRUE(doc) << doc.error().message;
  const IniEntry* port = doc->find("server", "port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->value, "8443");
  EXPECT_EQ(port->line, 2);
}

TEST_F(ConfigFileTest, MissingFileAndSyntaxErrorsNameTheFile) {
  const std::string missing = (dir_ / "none.ini").string();
  auto doc = readConfigFile(missing, Language::English);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.rfind(missing + ": ", 0), 0u) << doc.error().message;

  const std::string broken = (dir_ / "broken.ini").string();
  std::ofstream(broken) << "[server\n";
  doc = readConfigFile(broken, Language::English);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.rfind(broken + ":1: ", 0), 0u) << doc.error().message;
}

TEST_F(ConfigFileTest, RelativePathsResolveNextToTheFile) {
  const auto resolve = resolverNextTo((dir_ / "agent.ini").string());
  EXPECT_EQ(resolve("data/agent.db"), (dir_ / "data/agent.db").string());
  EXPECT_EQ(resolve("../x/./y"), (dir_.parent_path() / "x/y").string());
  EXPECT_EQ(resolve("/var/lib/cks/agent.db"), "/var/lib/cks/agent.db");
}

}  // namespace
}  // namespace cks::common
