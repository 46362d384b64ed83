// Starting at once (issue 12): the demo starts the hub and runs `admin server-ca` in the same
// moment, and both used to make the hub's CAs ("agent-ca.pem is missing but agent-ca.key
// exists"). Whatever starts together on a fresh folder, one CA is made and everyone uses it.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "tests/hub/hub_under_test.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(HubStartupTest, TheHubAndAdminCommandsStartedTogetherShareOneCa) {
  constexpr int kRounds = 5;
  constexpr int kCommands = 3;
  for (int round = 0; round < kRounds; ++round) {
    TempDir dir;
    HubUnderTest hub(dir.path().string());
    // Three `admin server-ca` at once, while the hub itself starts.
    std::string script;
    for (int i = 0; i < kCommands; ++i) {
      script += "'" + buildPath("bin/cks-hub") + "' --config '" + hub.config() +
                "' admin server-ca > '" + dir.path().string() + "/ca" + std::to_string(i) +
                ".pem' 2> '" + dir.path().string() + "/err" + std::to_string(i) + "' & p" +
                std::to_string(i) + "=$!\n";
    }
    script += "s=0\n";
    for (int i = 0; i < kCommands; ++i) {
      script += "wait $p" + std::to_string(i) + " || s=1\n";
    }
    script += "exit $s\n";
    CommandResult commands;
    std::thread admin([&] { commands = runShell(script); });
    hub.start();
    admin.join();
    ASSERT_EQ(commands.exit_code, 0)
        << "round " << round << ": " << readAll(dir.path() / "err0") << readAll(dir.path() / "err1")
        << readAll(dir.path() / "err2") << hub.log();
    const std::string served = hub.serverCa();
    ASSERT_NE(served.find("BEGIN CERTIFICATE"), std::string::npos);
    for (int i = 0; i < kCommands; ++i) {
      EXPECT_EQ(readAll(dir.path() / ("ca" + std::to_string(i) + ".pem")), served)
          << "round " << round << ", command " << i;
    }
    EXPECT_EQ(hub.stop(), 0);
  }
}

// Issue 15, review finding 10: started by hand (no systemd UMask), the hub created its store and
// its log readable by every user of the server (0644): they hold every agency's inventory.
TEST(HubStartupTest, ItsStoreAndLogAreItsOwnersOnlyWhateverTheUmask) {
  TempDir dir;
  const mode_t umask_before = umask(022);
  HubUnderTest hub(dir.path().string(), {.extra = "file = " + dir.file("hub-file.log") + "\n"});
  hub.start();
  (void)hub.enroll("H21.09", "UBND xã Bình Chương");  // a write: the journal files exist
  umask(umask_before);
  for (const std::string& file :
       {hub.store(), hub.store() + "-wal", hub.store() + "-shm", dir.file("hub-file.log")}) {
    struct stat info {};
    ASSERT_EQ(stat(file.c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
  }
}

}  // namespace
}  // namespace cks::test
