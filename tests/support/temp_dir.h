// A fresh directory under $TMPDIR for one test, removed with everything in it at the end.
#pragma once

#include <filesystem>
#include <string>

namespace cks::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path`, replacing it.
void writeFile(const std::string& path, const std::string& content);
// Reads the whole file; empty if it does not exist.
std::string readFile(const std::string& path);

}  // namespace cks::test
