#include "store/file_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/folder_lock.h"
#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

class FileLockTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

// flock locks belong to the open file, so a second take in the same process is refused as
// another process's would be.
TEST_F(FileLockTest, SecondTakeWithoutWaitingNamesTheHolder) {
  const std::string path = dir_.file("agent.db.lock");
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
  const std::string path = dir_.file("x.lock");
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
  auto lock = FileLock::take(dir_.file("missing/x.lock"), 0600, FileLock::Wait::Yes);
  ASSERT_FALSE(lock);
  EXPECT_FALSE(lock.error().opened);
  EXPECT_EQ(lock.error().reason, "No such file or directory");
}

TEST_F(FileLockTest, FolderLockErrorNamesTheLockFile) {
  auto lock = FolderLock::acquire(dir_.file("missing"));
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().message, dir_.file("missing/.cks.lock") + ": No such file or directory");
  EXPECT_TRUE(FolderLock::acquire(dir_.path().string()));
}

}  // namespace
}  // namespace cks::store
