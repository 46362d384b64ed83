#include "core/text_table.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace cks {
namespace {

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t widestLine(const std::string& text) {
  size_t widest = 0;
  for (const auto& line : linesOf(text)) widest = std::max(widest, displayWidth(line));
  return widest;
}

// An alert table shaped like `cksctl alerts`: short columns and one long Vietnamese message.
TextTable alertTable() {
  TextTable table({"Mã", "Mức độ", "Trạng thái", "Phát sinh", "Nội dung"});
  table.flexible(4);
  table.addRow({"12", "Nghiêm trọng", "Đang mở", "05/12/2026 18:34",
                "Chứng thư số của Nguyễn Thị Ánh Tuyết (UBND xã Bình Chương) hết hạn ngày "
                "30/12/2026, còn 25 ngày. Hãy lập yêu cầu gia hạn trước ngày 31/10/2026 "
                "(token TOKEN-0001, khe 3)."});
  table.addRow({"13", "Cảnh báo", "Đã xem", "04/12/2026 08:00", "Token bị khóa PIN"});
  return table;
}

TEST(TextTableTest, CountsDisplayColumnsOfVietnameseText) {
  EXPECT_EQ(displayWidth("Chứng thư số"), 12u);
  EXPECT_EQ(displayWidth("ĐẶNG"), 4u);
  EXPECT_EQ(displayWidth("e\xCC\x81"), 1u);               // decomposed: e + combining acute
  EXPECT_EQ(displayWidth("Nguye\xCC\x82\xCC\x83n"), 6u);  // e + circumflex + tilde
  EXPECT_EQ(displayWidth("a\xE2\x80\x8B"
                         "b"),
            2u);  // zero-width space
}

TEST(TextTableTest, FitsTheGivenWidthByWrappingTheLongColumn) {
  const std::string text = alertTable().render(80);
  EXPECT_LE(widestLine(text), 80u) << text;
  // Nothing is lost: every word of the message is still there.
  for (const char* word : {"Tuyết", "30/12/2026,", "31/10/2026", "TOKEN-0001,", "khe", "3)."}) {
    EXPECT_NE(text.find(word), std::string::npos) << word << "\n" << text;
  }
  // The short columns stay whole on the first line of the row.
  const auto lines = linesOf(text);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_NE(lines[2].find("05/12/2026 18:34"), std::string::npos) << text;
  EXPECT_NE(lines[2].find("Nghiêm trọng"), std::string::npos) << text;
}

TEST(TextTableTest, ContinuationLinesStartInTheWrappedColumn) {
  const std::string text = alertTable().render(60);
  const auto lines = linesOf(text);
  const size_t message_column = displayWidth(lines[2].substr(0, lines[2].find("Chứng")));
  ASSERT_GE(lines.size(), 5u) << text;
  // The row's next line is blank up to the message column, then continues the message.
  const std::string& next = lines[3];
  const size_t first = next.find_first_not_of(' ');
  EXPECT_EQ(first, message_column) << text;
  EXPECT_LE(widestLine(text), 60u) << text;
}

TEST(TextTableTest, WidthZeroPrintsEveryCellWhole) {
  const std::string text = alertTable().render(0);
  EXPECT_GT(widestLine(text), 150u);
  EXPECT_EQ(linesOf(text).size(), 4u) << text;  // header, rule, two rows
}

TEST(TextTableTest, SqueezesEveryColumnWhenTheLongOneIsNotEnough) {
  TextTable table({"Cơ quan", "Máy", "Mã máy", "Liên lạc cuối", "Phiên bản"});
  table.addRow({"H21.09 UBND xã Bình Chương", "pc-van-thu-binh-chuong",
                "6f1c2a9e-4b1d-4c55-9a0e-2f8d7c6b5a41", "05/12/2026 18:34", "1.4.0"});
  const std::string text = table.render(40);
  EXPECT_LE(widestLine(text), 40u) << text;
}

TEST(TextTableTest, FixedColumnsStayWholeWhileOthersWrap) {
  TextTable table({"Chủ thể", "Dấu vân tay", "Hết hạn", "Token"});
  table.flexible(0).flexible(3).fixed(1).fixed(2);
  table.addRow({"Nguyễn Thị Ánh Tuyết Phòng Văn hóa - Xã hội", "3f7a9c21d4e5", "30/12/2026",
                "Phó Chủ tịch văn hóa (Đang cắm: Không)"});
  const std::string text = table.render(50);
  EXPECT_LE(widestLine(text), 50u) << text;
  EXPECT_NE(text.find("3f7a9c21d4e5"), std::string::npos) << text;
  EXPECT_NE(text.find("30/12/2026"), std::string::npos) << text;
}

TEST(TextTableTest, WrapsSentencesWithoutSplittingOptions) {
  const std::string text = wrapText(
      "Ghi nhận: cksctl ack MÃ · tạm hoãn: cksctl snooze MÃ --days N · tất cả: cksctl "
      "alerts --all",
      40);
  EXPECT_LE(widestLine(text), 40u) << text;
  EXPECT_NE(text.find("--days"), std::string::npos) << text;
  EXPECT_NE(text.find("--all"), std::string::npos) << text;
  EXPECT_EQ(wrapText("ngắn", 0), "ngắn");
}

TEST(TextTableTest, ATableThatFitsIsUnchanged) {
  TextTable table({"A", "B"});
  table.addRow({"một", "hai"});
  EXPECT_EQ(table.render(80), table.render(0));
  EXPECT_EQ(table.render(0), "A    B\n────────\nmột  hai\n");
}

TEST(TextTableTest, TableWidthPrefersColumnsThenTheTerminalThen80) {
  EXPECT_EQ(tableWidth("100", 132), 100u);
  EXPECT_EQ(tableWidth(nullptr, 132), 132u);
  EXPECT_EQ(tableWidth("", 132), 132u);
  EXPECT_EQ(tableWidth("abc", std::nullopt), 80u);
  EXPECT_EQ(tableWidth("0", std::nullopt), 80u);
  EXPECT_EQ(tableWidth(nullptr, std::nullopt), 80u);
}

}  // namespace
}  // namespace cks
