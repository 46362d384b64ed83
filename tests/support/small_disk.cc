#include "tests/support/small_disk.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace cks::test {
namespace {

std::string fillerOf(const std::string& folder) { return folder + "/.filler"; }

}  // namespace

SmallDisk::SmallDisk(std::string folder, std::size_t bytes) : folder_(std::move(folder)) {
  std::filesystem::create_directories(folder_);
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
  if (::mount("tmpfs", folder_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    throw std::runtime_error("mount a tmpfs of " + std::to_string(bytes) + " bytes on " + folder_ +
                             " (the disk-full tests need root): " + std::strerror(errno));
  }
}

SmallDisk::~SmallDisk() { ::umount2(folder_.c_str(), MNT_DETACH); }

void SmallDisk::fill() {
  const int fd = ::open(fillerOf(folder_).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("create " + fillerOf(folder_) + ": " + std::strerror(errno));
  const std::vector<char> block(4096, 'x');
  // Whole blocks, then single bytes: the last page the filesystem has left is taken too.
  for (std::size_t size : {block.size(), std::size_t{1}}) {
    while (::write(fd, block.data(), size) == static_cast<ssize_t>(size)) {
    }
  }
  const int error = errno;
  ::close(fd);
  if (error != ENOSPC) {
    throw std::runtime_error("fill " + folder_ + ": " + std::strerror(error));
  }
}

void SmallDisk::free() { std::filesystem::remove(fillerOf(folder_)); }

}  // namespace cks::test
