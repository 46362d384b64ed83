// UTF-8 as Vietnamese text needs it: strict decoding (names and notes typed by people, stored
// and sent on), encoding, and the lower case of the letters Vietnamese is written with, so that
// "UBND XÃ BÌNH CHƯƠNG" and "UBND xã Bình Chương" compare equal. Precomposed (NFC) letters
// only, as certificates and keyboards produce them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cks {

// Appends the code points of `text` to `out`; false (and `out` partly filled) at the first
// malformed, overlong or surrogate sequence.
[[nodiscard]] bool decodeUtf8(std::string_view text, std::vector<char32_t>& out);
[[nodiscard]] bool isValidUtf8(std::string_view text);
void appendUtf8(char32_t code_point, std::string& out);

// Lower case of ASCII, Latin-1 (À…Ý), Latin Extended-A (Ă, Đ, Ĩ, Ũ, …), Ơ, Ư and the Latin
// Extended Additional block (Ạ…Ỹ); any other code point unchanged.
[[nodiscard]] char32_t lowerVietnamese(char32_t code_point);
// `text` in lower case; text that is not valid UTF-8 is returned unchanged.
[[nodiscard]] std::string lowerVietnamese(std::string_view text);

}  // namespace cks
