#include "core/control_characters.h"

#include <gtest/gtest.h>

#include <string>

namespace cks {
namespace {

TEST(ControlCharactersTest, AreWrittenOutAndEverythingElseIsKept) {
  EXPECT_EQ(escapeControlCharacters("Nguyễn Văn An"), "Nguyễn Văn An");
  EXPECT_EQ(escapeControlCharacters("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(escapeControlCharacters("\x1b[2J\x07\x7f"), "\\x1b[2J\\x07\\x7f");
  EXPECT_EQ(escapeControlCharacters(std::string("nul\0!", 5)), "nul\\x00!");
  // A C1 control (CSI as one code point, U+009B) in UTF-8; "Ă" (C4 82) is a letter.
  EXPECT_EQ(escapeControlCharacters("\xc2\x9b"
                                    "2J Ă"),
            "\\u009b2J Ă");
  EXPECT_EQ(escapeControlCharacters("\xc2"), "\xc2") << "a cut sequence is no control";
  EXPECT_TRUE(hasControlCharacters("PC\n"));
  EXPECT_FALSE(hasControlCharacters("PC-VĂN THƯ"));
}

}  // namespace
}  // namespace cks
