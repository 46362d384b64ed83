// The local API's secret made by processes that start at the same moment (issue 12): the agent
// creates it while cksctl, the tray or a second start read it. Whoever comes first writes it
// whole; everyone else reads that same secret, never an empty or half-written file.
#include "agent/api_secret.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace cks::agent {
namespace {

TEST(ApiSecretTest, CreatorsStartingTogetherAllGetTheOneSecretWrittenWhole) {
  constexpr int kRounds = 20;
  constexpr int kCreators = 6;
  for (int round = 0; round < kRounds; ++round) {
    test::TempDir dir;
    const std::string path = (dir.path() / "api.secret").string();
    std::vector<Result<std::string>> got(kCreators, fail("not run"));
    std::vector<Result<std::string>> read(kCreators, fail("not run"));
    std::vector<std::thread> threads;
    for (int i = 0; i < kCreators; ++i) {
      threads.emplace_back([&, i] {
        got[i] = loadOrCreateApiSecret(path, "");
        // A reader at the same moment finds no file, or the whole secret.
        auto seen = readApiSecret(path);
        read[i] = seen ? Result<std::string>(*seen) : fail(seen.error().message);
      });
    }
    for (auto& thread : threads) thread.join();
    for (int i = 0; i < kCreators; ++i) {
      ASSERT_TRUE(got[i]) << "round " << round << ": " << got[i].error().message;
      EXPECT_EQ(got[i]->size(), 64u);
      EXPECT_EQ(*got[i], *got[0]) << "round " << round << ": two secrets were made";
      ASSERT_TRUE(read[i]) << read[i].error().message;
      EXPECT_EQ(*read[i], *got[0]);
    }
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    // Nothing left behind but the secret (and no temporary file).
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      ++files;
    }
    EXPECT_EQ(files, 1);
  }
}

}  // namespace
}  // namespace cks::agent
