#include "platform/host.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "platform/ip_address.h"
#include "tests/support/temp_dir.h"

namespace cks::platform {
namespace {

TEST(HostTest, NamesTheHostAndTheRunningProgram) {
  char name[256] = {};
  ASSERT_EQ(gethostname(name, sizeof name - 1), 0);
  EXPECT_EQ(hostName(), name);
  EXPECT_EQ(std::filesystem::path(executablePath()).filename().string(), "platform_tests");
  EXPECT_TRUE(isExecutable(executablePath()));
}

TEST(HostTest, AFileWithoutTheExecuteBitIsNotExecutable) {
  test::TempDir dir;
  test::writeFile(dir.file("cks-p11probe"), "#!/bin/sh\n");
  EXPECT_FALSE(isExecutable(dir.file("cks-p11probe")));
  EXPECT_FALSE(isExecutable(dir.file("missing")));
}

TEST(HostTest, TellsWhoRunsTheProcess) {
  EXPECT_EQ(userId(), std::to_string(geteuid()));
  if (const auto name = userName()) {
    EXPECT_FALSE(name->empty());
  }
}

TEST(HostTest, LocalTimeIsTheComputersZone) {
  const std::time_t at = 1764910238;  // 2025-12-05T04:50:38Z
  std::tm expected{};
  localtime_r(&at, &expected);
  const std::tm local = localTime(at);
  EXPECT_EQ(local.tm_hour, expected.tm_hour);
  EXPECT_EQ(local.tm_mday, expected.tm_mday);
  EXPECT_EQ(local.tm_year, 125);
}

TEST(HostTest, FileSharingSaysModeAndGroupOrWhyNot) {
  test::TempDir dir;
  const std::string path = dir.file("api.secret");
  test::writeFile(path, "secret");
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::group_read);
  const FileSharing sharing = fileSharing(path);
  EXPECT_EQ(sharing.lookup, FileSharing::Lookup::Found);
  EXPECT_EQ(sharing.mode, 0640u);
  EXPECT_EQ(sharing.group, getegid());
  EXPECT_FALSE(sharing.group_name.empty());
  EXPECT_EQ(groupId(sharing.group_name), sharing.group);
  EXPECT_EQ(fileSharing(dir.file("missing")).lookup, FileSharing::Lookup::Missing);
  EXPECT_EQ(groupId("cks-no-such-group"), std::nullopt);
}

TEST(IpAddressTest, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(parseIpAddress("10.0.0.5"), std::string("\x0a\x00\x00\x05", 4));
  const auto v6 = parseIpAddress("fd00:0::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->size(), 16u);
  EXPECT_EQ(ipAddressText(*v6), "fd00::1");
  EXPECT_EQ(ipAddressText(*parseIpAddress("127.0.0.1")), "127.0.0.1");
  EXPECT_EQ(parseIpAddress("hub.tinh.gov.vn"), std::nullopt);
  EXPECT_EQ(parseIpAddress("10.0.0"), std::nullopt);
  EXPECT_EQ(ipAddressText("abc"), "");
}

}  // namespace
}  // namespace cks::platform
