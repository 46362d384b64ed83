#include "tests/print/pdf_reading.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "tests/support/process.h"

namespace cks::test {

std::string pdfLayoutText(const std::string& path) {
  const auto result = runCommand({"pdftotext", "-layout", path, "-"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

std::string pdfFlowText(const std::string& path) {
  const auto result = runCommand({"pdftotext", "-raw", path, "-"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::string out;
  for (const char c : result.out) {
    const bool space = c == ' ' || c == '\n' || c == '\f' || c == '\t';
    if (!space) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

std::string keepPageImage(const std::string& pdf, const std::string& folder,
                          const std::string& name, int page) {
  namespace fs = std::filesystem;
  const fs::path where = buildPath("test-artifacts/" + folder);
  fs::create_directories(where);
  const std::string stem = (where / name).string();
  const std::string number = std::to_string(page);
  const auto result = runCommand(
      {"pdftoppm", "-png", "-r", "80", "-f", number, "-l", number, "-singlefile", pdf, stem});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(stem + ".png"));
  std::cout << "page image: " << stem << ".png\n";
  return stem + ".png";
}

}  // namespace cks::test
