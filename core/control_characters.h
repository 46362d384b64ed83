// Control characters in text that came from outside (a token's label, a certificate's name, an
// agency's host name) written out for a terminal or a log line, so that such text can neither
// move the cursor, clear the screen, nor begin a line of its own. Std only; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cks {

// `text` with its control characters written out: C0 controls and DEL as \n, \r, \t or \xHH,
// the C1 controls (U+0080–U+009F in UTF-8, which terminals also obey) as \u00HH; everything
// else, Vietnamese letters included, unchanged.
[[nodiscard]] std::string escapeControlCharacters(std::string_view text);

// True when `text` holds a control character escapeControlCharacters() would write out.
[[nodiscard]] bool hasControlCharacters(std::string_view text);

}  // namespace cks
