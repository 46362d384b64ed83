#include "agent/text_table.h"

#include <gtest/gtest.h>

namespace cks::agent {
namespace {

TEST(TextTableTest, CountsVietnameseLettersAsOneColumnEach) {
  EXPECT_EQ(displayWidth("Chứng thư số"), 12u);
  EXPECT_EQ(displayWidth("ĐẶNG"), 4u);
  // Decomposed form: "ê" + combining acute is one column.
  EXPECT_EQ(displayWidth("e\xCC\x81"), 1u);
}

TEST(TextTableTest, AlignsColumnsOfVietnameseText) {
  TextTable table({"Chủ thể", "Loại"});
  table.addRow({"Nguyễn Văn An", "Cá nhân"});
  table.addRow({"UBND XÃ", "Tổ chức"});
  const std::string text = table.render();
  // Every row's second column starts at the same display column.
  std::vector<size_t> starts;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    for (const char* word : {"Loại", "Cá nhân", "Tổ chức"}) {
      const auto at = line.find(word);
      if (at != std::string::npos) starts.push_back(displayWidth(line.substr(0, at)));
    }
  }
  ASSERT_EQ(starts.size(), 3u) << text;
  EXPECT_EQ(starts[0], 15u);
  EXPECT_EQ(starts[1], 15u);
  EXPECT_EQ(starts[2], 15u);
}

}  // namespace
}  // namespace cks::agent
