// A small filesystem of its own (a tmpfs with a size) mounted on a folder for one test, that
// the test fills up and frees again: a full disk, for real (issue 15, "Disk full"). Mounting
// needs root (CAP_SYS_ADMIN), which the test suite runs as; the constructor throws, naming the
// cause, when it cannot.
#pragma once

#include <cstddef>
#include <string>

namespace cks::test {

class SmallDisk {
 public:
  // Creates `folder` if needed and mounts a tmpfs of `bytes` on it, mode 0700.
  SmallDisk(std::string folder, std::size_t bytes);
  ~SmallDisk();  // unmounts (lazily: a process may still hold a file there)
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  // Writes a filler file until the filesystem refuses a byte more.
  void fill();
  // Removes the filler: the space is back.
  void free();

  [[nodiscard]] const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
};

}  // namespace cks::test
