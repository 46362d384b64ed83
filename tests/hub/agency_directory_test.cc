// The agency directory's CSV file as provinces write it (by hand or from Excel): quoting, byte
// order mark, semicolons, and every bad row reported with its line.
#include "hub/agency_directory.h"

#include <gtest/gtest.h>

namespace cks::hub {
namespace {

std::vector<std::string> linesAndKeys(const ParsedDirectory& parsed) {
  std::vector<std::string> out;
  for (const auto& p : parsed.problems) out.push_back(std::to_string(p.line) + " " + p.key);
  return out;
}

TEST(AgencyDirectoryTest, ReadsQuotedFieldsInAnyColumnOrder) {
  const auto parsed = parseAgencyDirectory(
      "type,Code,name,parent\n"
      "commune,H48.01,\"UBND phường \"\"Hải Châu\"\", cũ\",H48\n"
      "\n"
      "department,H48.10,  Sở Y tế  ,\n");
  ASSERT_TRUE(parsed.problems.empty()) << linesAndKeys(parsed).front();
  ASSERT_EQ(parsed.agencies.size(), 2u);
  EXPECT_EQ(parsed.agencies[0].code, "H48.01");
  EXPECT_EQ(parsed.agencies[0].name, "UBND phường \"Hải Châu\", cũ");
  EXPECT_EQ(parsed.agencies[0].type, AgencyType::Commune);
  EXPECT_EQ(parsed.agencies[0].parent, "H48");
  EXPECT_EQ(parsed.agencies[1].name, "Sở Y tế");
  EXPECT_EQ(parsed.agencies[1].parent, "");
}

TEST(AgencyDirectoryTest, ALineBreakInsideQuotesKeepsLaterLineNumbersRight) {
  const auto parsed = parseAgencyDirectory(
      "code;name;type\r\n"
      "H48.01;\"UBND phường\r\nHải Châu\";commune\r\n"
      "H48.02;Sở Y tế;ministry\r\n");
  EXPECT_EQ(linesAndKeys(parsed), (std::vector<std::string>{"4 agencies.csv.bad_type"}));
  ASSERT_EQ(parsed.agencies.size(), 1u);
  EXPECT_EQ(parsed.agencies[0].name, "UBND phường\r\nHải Châu");
}

TEST(AgencyDirectoryTest, BadFilesAreReportedWhereTheyGoWrong) {
  EXPECT_EQ(linesAndKeys(parseAgencyDirectory("")),
            (std::vector<std::string>{"1 agencies.csv.empty"}));
  EXPECT_EQ(linesAndKeys(parseAgencyDirectory("code,name,type\nH48.01,\xC3(,commune\n")),
            (std::vector<std::string>{"2 agencies.csv.not_utf8"}));
  EXPECT_EQ(linesAndKeys(parseAgencyDirectory("code,name,type\nH48.01,\"UBND,commune\n")),
            (std::vector<std::string>{"2 agencies.csv.open_quote"}));
  EXPECT_EQ(
      linesAndKeys(parseAgencyDirectory("code,ten,type\n")),
      (std::vector<std::string>{"1 agencies.csv.bad_column", "1 agencies.csv.missing_column"}));
  EXPECT_EQ(linesAndKeys(parseAgencyDirectory("code,name,type,parent\n"
                                              "H48.01,A,commune,H48.01\n"
                                              "H48.02,B,other,x\n")),
            (std::vector<std::string>{"2 agencies.csv.own_parent", "3 agencies.csv.bad_parent"}));
}

}  // namespace
}  // namespace cks::hub
