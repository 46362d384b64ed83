// The fonts of every PDF print/ writes (forms and reports): pango, cairo and fontconfig keep
// process-wide caches of them. PDFs are written from one thread at a time; a program that wrote
// any frees the caches once, at exit.
#pragma once

namespace cks::print {

// Frees pango's, cairo's and fontconfig's caches, so that LeakSanitizer sees only real leaks.
// No PDF may be written afterwards.
void releaseFonts();

}  // namespace cks::print
