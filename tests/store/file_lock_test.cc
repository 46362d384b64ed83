#include "store/file_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/folder_lock.h"

namespace cks::store {
namespace {

namespace fs = std::filesystem;

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cks-file-lock-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// flock locks belong to the open file, so a second take in the same process is refused as
// another process's would be.
TEST_F(FileLockTest, SecondTakeWithoutWaitingNamesTheHolder) {
  const std::string path = (dir_ / "agent.db.lock").string();
  EXPECT_EQ(FileLock::holder(path), std::nullopt);  // no file yet
  auto first = FileLock::take(path, 0640, FileLock::Wait::No);
  ASSERT_TRUE(first) << first.error().reason;
  EXPECT_EQ(FileLock::holder(path), 0);  // held, pid not written yet
  ASSERT_TRUE(first->writeOwnPid());
  EXPECT_EQ(FileLock::holder(path), long(getpid()));

  auto second = FileLock::take(path, 0640, FileLock::Wait::No);
  ASSERT_FALSE(second);
  EXPECT_TRUE(second.error().opened);
  EXPECT_TRUE(second.error().held_elsewhere);
  EXPECT_EQ(second.error().holder, long(getpid()));
}

TEST_F(FileLockTest, ReleasedWhenTheObjectGoes) {
  const std::string path = (dir_ / "x.lock").string();
  {
    auto lock = FileLock::take(path, 0600, FileLock::Wait::No);
    ASSERT_TRUE(lock);
    auto moved = std::move(*lock);  // the moved-from object must not release it
    EXPECT_TRUE(FileLock::holder(path).has_value());
  }
  EXPECT_EQ(FileLock::holder(path), std::nullopt);
  EXPECT_TRUE(FileLock::take(path, 0600, FileLock::Wait::Yes));
}

TEST_F(FileLockTest, UnopenableFileSaysWhy) {
  auto lock = FileLock::take((dir_ / "missing" / "x.lock").string(), 0600, FileLock::Wait::Yes);
  ASSERT_FALSE(lock);
  EXPECT_FALSE(lock.error().opened);
  EXPECT_EQ(lock.error().reason, "No such file or directory");
}

TEST_F(FileLockTest, FolderLockErrorNamesTheLockFile) {
  auto lock = FolderLock::acquire((dir_ / "missing").string());
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().message,
            (dir_ / "missing" / ".cks.lock").string() + ": No such file or directory");
  EXPECT_TRUE(FolderLock::acquire(dir_.string()));
}

}  // namespace
}  // namespace cks::store
