#include "core/ini_document.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/config_schema.h"

namespace cks {
namespace {

constexpr char kSource[] = "/etc/cks/agent.ini";

IniDocument parsed(std::string_view text) {
  auto doc = IniDocument::parse(text, kSource);
  EXPECT_TRUE(doc) << doc.error().message;
  return doc ? *doc : IniDocument{};
}

std::string errorOf(std::string_view text, Language language = Language::English) {
  auto doc = IniDocument::parse(text, kSource, language);
  if (doc) return "<parsed " + std::to_string(doc->entries().size()) + " entries>";
  return doc.error().message;
}

std::string valueOf(const IniDocument& doc, std::string_view section, std::string_view key) {
  const IniEntry* entry = doc.find(section, key);
  return entry ? entry->value : "<missing>";
}

TEST(IniDocumentTest, ReadsKeysIntoTheirSections) {
  const IniDocument doc = parsed(
      "[agent]\n"
      "interval = 300\n"
      "[hub]\n"
      "url = https://hub.quangngai.gov.vn\n"
      "interval = 60\n");

  EXPECT_EQ(doc.source(), kSource);
  ASSERT_EQ(doc.entries().size(), 3u);
  EXPECT_EQ(valueOf(doc, "agent", "interval"), "300");
  EXPECT_EQ(valueOf(doc, "hub", "interval"), "60");
  EXPECT_EQ(valueOf(doc, "hub", "url"), "https://hub.quangngai.gov.vn");
  EXPECT_EQ(doc.find("agent", "url"), nullptr);
}

TEST(IniDocumentTest, KeysBeforeAnySectionBelongToTheEmptySection) {
  const IniDocument doc = parsed("language = vi\n[agent]\nlanguage = en\n");

  EXPECT_EQ(valueOf(doc, "", "language"), "vi");
  EXPECT_EQ(valueOf(doc, "agent", "language"), "en");
}

TEST(IniDocumentTest, EntriesKeepFileOrderAndTheirLineNumbers) {
  const IniDocument doc = parsed(
      "; agent settings\n"
      "\n"
      "[agent]\n"
      "b = 2\n"
      "a = 1\n");

  ASSERT_EQ(doc.entries().size(), 2u);
  EXPECT_EQ(doc.entries()[0].key, "b");
  EXPECT_EQ(doc.entries()[0].section, "agent");
  EXPECT_EQ(doc.entries()[0].line, 4);
  EXPECT_EQ(doc.entries()[1].key, "a");
  EXPECT_EQ(doc.entries()[1].line, 5);
}

TEST(IniDocumentTest, SkipsFullLineCommentsOfBothKinds) {
  const IniDocument doc = parsed(
      "; semicolon comment = not a key\n"
      "# hash comment = not a key\n"
      "   ; indented comment\n"
      "\t# indented with a tab\n"
      "[agent]\n"
      "key = value\n");

  ASSERT_EQ(doc.entries().size(), 1u);
  EXPECT_EQ(valueOf(doc, "agent", "key"), "value");
}

TEST(IniDocumentTest, TrimsSpacesTabsAndCarriageReturns) {
  const IniDocument doc = parsed(
      "  [ agent ]  \r\n"
      "\tmodules   =  /usr/lib/libshuttle_p11v220.so \t\r\n"
      "empty =\r\n"
      "tight=1\r\n");

  EXPECT_EQ(valueOf(doc, "agent", "modules"), "/usr/lib/libshuttle_p11v220.so");
  EXPECT_EQ(valueOf(doc, "agent", "empty"), "");
  EXPECT_EQ(valueOf(doc, "agent", "tight"), "1");
}

TEST(IniDocumentTest, KeepsEqualsSignsInTheValue) {
  const IniDocument doc = parsed("url = https://hub/api?a=1&b=2\n");

  EXPECT_EQ(valueOf(doc, "", "url"), "https://hub/api?a=1&b=2");
}

TEST(IniDocumentTest, ReadsUtf8ValuesUnchanged) {
  const IniDocument doc = parsed(
      "[đơn vị]\n"
      "tên = UBND xã Bình Chương, tỉnh Quảng Ngãi\n");

  EXPECT_EQ(valueOf(doc, "đơn vị", "tên"), "UBND xã Bình Chương, tỉnh Quảng Ngãi");
}

TEST(IniDocumentTest, IgnoresAUtf8ByteOrderMark) {
  // Notepad on Windows saves UTF-8 with a BOM; the first key must still be found by name.
  const IniDocument doc = parsed(
      "\xEF\xBB\xBF"
      "agency = H21.09\n[agent]\nname = Sở Nội vụ\n");

  EXPECT_EQ(valueOf(doc, "", "agency"), "H21.09");
  EXPECT_EQ(valueOf(doc, "agent", "name"), "Sở Nội vụ");
  ASSERT_FALSE(doc.entries().empty());
  EXPECT_EQ(doc.entries()[0].line, 1);
}

TEST(IniDocumentTest, ByteOrderMarkBeforeASectionHeader) {
  const IniDocument doc = parsed("\xEF\xBB\xBF[agent]\nkey = 1\n");

  EXPECT_EQ(valueOf(doc, "agent", "key"), "1");
}

TEST(IniDocumentTest, ReadsALastLineWithoutNewline) {
  const IniDocument doc = parsed("[agent]\nkey = last");

  EXPECT_EQ(valueOf(doc, "agent", "key"), "last");
}

TEST(IniDocumentTest, MissingClosingBracketNamesFileAndLine) {
  EXPECT_EQ(errorOf("a = 1\n\n[agent\nb = 2\n"),
            "/etc/cks/agent.ini:3: section header without closing ']'");
}

TEST(IniDocumentTest, EmptySectionNameIsAnError) {
  EXPECT_EQ(errorOf("[agent]\n[  ]\n"), "/etc/cks/agent.ini:2: empty section name");
}

TEST(IniDocumentTest, LineWithoutEqualsNamesFileLineAndText) {
  EXPECT_EQ(errorOf("[agent]\n; comment\ninterval 300\n"),
            "/etc/cks/agent.ini:3: expected 'key = value', got \"interval 300\"");
}

TEST(IniDocumentTest, EmptyKeyNamesFileAndLine) {
  EXPECT_EQ(errorOf("[agent]\n  = 300\n"), "/etc/cks/agent.ini:2: missing key before '='");
}

TEST(IniDocumentTest, KeySetTwiceNamesBothLines) {
  const std::string error = errorOf(
      "[agent]\n"
      "interval = 300\n"
      "\n"
      "interval = 60\n");

  EXPECT_EQ(error, "/etc/cks/agent.ini:4: [agent] interval: set twice (first on line 2)");
}

// The officer reads the problem in Vietnamese by default; only the place stays as written.
TEST(IniDocumentTest, ErrorsAreInTheChosenLanguage) {
  EXPECT_EQ(errorOf("[agent]\ninterval = 1\n\ninterval = 2\n", Language::Vietnamese),
            "/etc/cks/agent.ini:4: [agent] interval: đặt hai lần (lần đầu ở dòng 2)");
  EXPECT_EQ(errorOf("[agent]\ninterval 300\n", Language::Vietnamese),
            "/etc/cks/agent.ini:2: cần dạng 'mục = giá trị', nhưng dòng này là \"interval 300\"");
  EXPECT_EQ(errorOf("[agent\n", Language::Vietnamese),
            "/etc/cks/agent.ini:1: thiếu dấu ']' đóng tên nhóm");
}

TEST(IniDocumentTest, SameKeyInAnotherSectionIsNotADuplicate) {
  const IniDocument doc = parsed("[a]\nkey = 1\n[b]\nkey = 2\n[a]\nother = 3\n");

  EXPECT_EQ(valueOf(doc, "a", "key"), "1");
  EXPECT_EQ(valueOf(doc, "b", "key"), "2");
  EXPECT_EQ(valueOf(doc, "a", "other"), "3");
}

TEST(IniDocumentTest, KeySetTwiceInAReopenedSectionIsAnError) {
  EXPECT_EQ(errorOf("[a]\nkey = 1\n[b]\n[a]\nkey = 2\n"),
            "/etc/cks/agent.ini:5: [a] key: set twice (first on line 2)");
}

TEST(IniDocumentTest, LineNumbersCountFromTheFileStartWithCrLf) {
  EXPECT_EQ(errorOf("[agent]\r\n\r\n; c\r\nbroken\r\n"),
            "/etc/cks/agent.ini:4: expected 'key = value', got \"broken\"");
}

TEST(IniDocumentTest, EmptyTextHasNoEntries) {
  EXPECT_TRUE(parsed("").entries().empty());
  EXPECT_TRUE(parsed("\n\n; only a comment\n").entries().empty());
}

// The values agent.ini, hub.ini and the tray's file share (core/config_schema.h).
TEST(ConfigValuesTest, YesNoWholeNumbersAndListsAsEveryFileWritesThem) {
  bool flag = false;
  EXPECT_TRUE(parseConfigBool("yes", flag));
  EXPECT_TRUE(flag);
  EXPECT_TRUE(parseConfigBool("0", flag));
  EXPECT_FALSE(flag);
  EXPECT_FALSE(parseConfigBool("có", flag));
  EXPECT_FALSE(flag);  // a refused value leaves what was there

  int days = 7;
  EXPECT_TRUE(parseConfigInt("30", 1, 365, days));
  EXPECT_EQ(days, 30);
  for (const char* refused : {"0", "366", "-1", "3O", "", "1234567890"}) {
    EXPECT_FALSE(parseConfigInt(refused, 1, 365, days)) << refused;
  }
  EXPECT_EQ(days, 30);

  EXPECT_EQ(splitConfigList(" a.example.vn,\tb , ,c"),
            (std::vector<std::string>{"a.example.vn", "b", "c"}));
  EXPECT_TRUE(splitConfigList("").empty());
  EXPECT_TRUE(splitConfigList(" , ").empty());
}

}  // namespace
}  // namespace cks
