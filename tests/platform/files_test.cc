#include "platform/files.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace cks::platform {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::TempDir;
using test::writeFile;

unsigned modeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

size_t entriesIn(const fs::path& folder) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++count;
  return count;
}

TEST(ReplaceFileTest, WritesAFileOnlyItsOwnerCanRead) {
  TempDir dir;
  const std::string path = dir.file("key.pem");
  ASSERT_TRUE(replaceFile(path, "secret\n"));
  EXPECT_EQ(readFile(path), "secret\n");
  EXPECT_EQ(modeOf(path), 0600u);
}

TEST(ReplaceFileTest, KeepsTheOwnerOnlyModeWhateverTheUmask) {
  TempDir dir;
  const mode_t before = umask(0);
  const auto written = replaceFile(dir.file("form.pdf"), "%PDF");
  umask(before);
  ASSERT_TRUE(written);
  EXPECT_EQ(modeOf(dir.file("form.pdf")), 0600u);
}

TEST(ReplaceFileTest, ACertificateIsReadableByEveryone) {
  TempDir dir;
  ASSERT_TRUE(replaceFile(dir.file("server.crt"), "cert", FileAccess::EveryoneReads));
  EXPECT_EQ(modeOf(dir.file("server.crt")), 0644u);
}

TEST(ReplaceFileTest, ReplacesTheWholeFileAndLeavesNothingBeside) {
  TempDir dir;
  const std::string path = dir.file("plan.json");
  writeFile(path, std::string(10000, 'x'));
  ASSERT_TRUE(replaceFile(path, "short"));
  EXPECT_EQ(readFile(path), "short");
  EXPECT_EQ(modeOf(path), 0600u);
  EXPECT_EQ(entriesIn(dir.path()), 1u);  // no temporary file left
}

TEST(ReplaceFileTest, AFullDiskLeavesTheOldFileWholeAndNoTemporaryFile) {
  TempDir dir;
  const std::string path = dir.file("report.xlsx");
  writeFile(path, "old report");
  // A file size limit stands in for a full disk: write() fails with EFBIG past 1000 bytes.
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  rlimit small = before;
  small.rlim_cur = 1000;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto status = replaceFile(path, std::string(100000, 'n'));
  setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, previous);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message.rfind(path + ": write ", 0), 0u) << status.error().message;
  EXPECT_EQ(readFile(path), "old report");
  EXPECT_EQ(entriesIn(dir.path()), 1u);  // the temporary file is gone
}

TEST(ReplaceFileTest, AFailedRenameLeavesWhatWasThere) {
  TempDir dir;
  // The target is a folder that is not empty: the rename fails after the bytes were written.
  fs::create_directory(dir.file("plans"));
  writeFile(dir.file("plans/inside"), "x");
  const auto status = replaceFile(dir.file("plans"), "new");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message.rfind(dir.file("plans") + ": rename ", 0), 0u)
      << status.error().message;
  EXPECT_EQ(readFile(dir.file("plans/inside")), "x");
  EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(ReplaceFileTest, AMissingFolderIsAnErrorNamingTheFile) {
  TempDir dir;
  const std::string path = dir.file("no/such/folder/form.pdf");
  const auto status = replaceFile(path, "x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message.rfind(path + ": cannot create a temporary file in ", 0), 0u)
      << status.error().message;
  EXPECT_FALSE(fs::exists(path));
}

TEST(CreateOwnerOnlyFileTest, CreatesAnOwnerOnlyFile) {
  TempDir dir;
  const std::string path = dir.file("agent.key");
  const mode_t before = umask(0);
  const auto created = createOwnerOnlyFile(path, "-----BEGIN PRIVATE KEY-----\n");
  umask(before);
  ASSERT_TRUE(created);
  EXPECT_EQ(readFile(path), "-----BEGIN PRIVATE KEY-----\n");
  EXPECT_EQ(modeOf(path), 0600u);
}

TEST(CreateOwnerOnlyFileTest, RefusesAnExistingFileAndKeepsIt) {
  TempDir dir;
  const std::string path = dir.file("agent.key");
  writeFile(path, "first");
  const auto created = createOwnerOnlyFile(path, "second");
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().message, "create " + path + ": File exists");
  // enrollment.cc tells a second enrolment by its kind.
  EXPECT_EQ(created.error().code, ErrorCode::Conflict);
  EXPECT_EQ(readFile(path), "first");
}

TEST(EnsureOwnerOnlyFolderTest, CreatesTheFolderAndItsParents) {
  TempDir dir;
  const std::string folder = dir.file("var/lib/cks/hub");
  ASSERT_TRUE(ensureOwnerOnlyFolder(folder));
  EXPECT_TRUE(fs::is_directory(folder));
  EXPECT_EQ(modeOf(folder), 0700u);
  EXPECT_TRUE(ensureOwnerOnlyFolder(folder));  // already there: nothing to do
}

TEST(RestrictToOwnerTest, TakesAwayEveryoneElsesAccess) {
  TempDir dir;
  const std::string file = dir.file("hub-ca.offered.crt");
  writeFile(file, "ca");
  fs::create_directory(dir.file("upstream"));
  fs::permissions(file, fs::perms::all);
  fs::permissions(dir.file("upstream"), fs::perms::all);
  ASSERT_TRUE(restrictToOwner(file));
  ASSERT_TRUE(restrictToOwner(dir.file("upstream")));
  EXPECT_EQ(modeOf(file), 0600u);
  EXPECT_EQ(modeOf(dir.file("upstream")), 0700u);
  EXPECT_FALSE(restrictToOwner(dir.file("missing")));
}

TEST(CreateScratchFileTest, CreatesDistinctEmptyFiles) {
  TempDir dir;
  auto first = createScratchFile(dir.path().string(), ".cks-xlsx-");
  auto second = createScratchFile(dir.path().string(), ".cks-xlsx-");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(fs::path(*first).parent_path().string(), dir.path().string());
  EXPECT_EQ(fs::path(*first).filename().string().rfind(".cks-xlsx-", 0), 0u);
  EXPECT_EQ(fs::file_size(*first), 0u);
  EXPECT_FALSE(createScratchFile(dir.file("missing"), "x"));
}

}  // namespace
}  // namespace cks::platform
