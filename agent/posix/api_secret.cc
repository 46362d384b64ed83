#include "agent/api_secret.h"

#include <fcntl.h>
#include <grp.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/crypto.h"
#include "core/text.h"

namespace cks::agent {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

Result<std::string> readFileAt(int fd, const std::string& path) {
  std::string content;
  char buffer[256];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) return fail("api secret: read ", path, ": ", std::strerror(errno));
    if (n == 0) break;
    content.append(buffer, size_t(n));
  }
  content = trimmed(content);
  if (content.size() < 32) return fail("api secret: ", path, ": too short or empty");
  return content;
}

// The id of `group`, or nullopt when this machine has no such group.
std::optional<gid_t> groupId(const std::string& group) {
  if (group.empty()) return std::nullopt;
  std::vector<char> buffer(4096);
  struct group entry {};
  struct group* found = nullptr;
  if (getgrnam_r(group.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return std::nullopt;
  }
  return found->gr_gid;
}

std::string octal(mode_t mode) {
  return std::to_string((mode >> 6) & 7) + std::to_string((mode >> 3) & 7) +
         std::to_string(mode & 7);
}

}  // namespace

tl::expected<std::string, ApiSecretError> readApiSecret(const std::string& path) {
  using Kind = ApiSecretError::Kind;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int why = errno;
    const Kind kind = why == ENOENT                   ? Kind::Missing
                      : why == EACCES || why == EPERM ? Kind::PermissionDenied
                                                      : Kind::Unreadable;
    return tl::unexpected(ApiSecretError{kind, "api secret: " + path + ": " + std::strerror(why)});
  }
  auto secret = readFileAt(fd, path);
  close(fd);
  if (!secret) return tl::unexpected(ApiSecretError{Kind::Unreadable, secret.error().message});
  return *secret;
}

Result<std::string> loadOrCreateApiSecret(const std::string& path, const std::string& group) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  const auto gid = groupId(group);
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (ec) return fail("api secret: create ", parent.string(), ": ", ec.message());
    // With the group, others may pass through (not list) to reach the group-readable secret.
    chmod(parent.c_str(), gid ? 0751 : 0750);
  }
  const mode_t mode = gid ? 0640 : 0600;
  // Written whole under a temporary name, then linked to its own: a reader (cksctl, a second
  // process starting at the same moment) sees no file or the whole secret, never an empty one,
  // and of two processes creating it at once one wins and the other reads the winner's.
  std::string temporary = path + ".XXXXXX";
  const int created = mkstemp(temporary.data());
  if (created < 0) return fail("api secret: create ", temporary, ": ", std::strerror(errno));
  {
    // Owner-only until the group is set, then the mode that lets the group read.
    bool ready = !gid || (fchown(created, uid_t(-1), *gid) == 0 && fchmod(created, mode) == 0);
    const int why_not_ready = errno;
    std::array<std::uint8_t, 32> bytes{};
    randomBytes(bytes);
    const std::string secret = hexLower(bytes);
    const std::string line = secret + "\n";
    const bool written = ready &&
                         write(created, line.data(), line.size()) == ssize_t(line.size()) &&
                         fsync(created) == 0;
    const int why = ready ? errno : why_not_ready;
    close(created);
    if (!ready) {
      unlink(temporary.c_str());
      return fail("api secret: give ", path, " to group ", group, ": ", std::strerror(why));
    }
    if (!written) {
      unlink(temporary.c_str());
      return fail("api secret: write ", temporary, ": ", std::strerror(why));
    }
    const int linked = link(temporary.c_str(), path.c_str());
    const int link_error = errno;
    unlink(temporary.c_str());
    if (linked == 0) return secret;
    errno = link_error;
  }
  if (errno != EEXIST) return fail("api secret: create ", path, ": ", std::strerror(errno));
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return fail("api secret: ", path, ": ", std::strerror(errno));
  if ((info.st_mode & 0007) != 0) {
    return fail("api secret: ", path, ": readable or writable by everyone (mode ",
                octal(info.st_mode), "); run: chmod ", octal(mode), " ", path);
  }
  // The group was created after the first start (an upgrade, or the install run later): hand
  // the secret to it now, so that `usermod -aG cks USER` is all a person needs.
  if (gid && info.st_uid == geteuid() && (info.st_gid != *gid || (info.st_mode & 0777) != mode)) {
    if (chown(path.c_str(), uid_t(-1), *gid) != 0 || chmod(path.c_str(), mode) != 0) {
      return fail("api secret: give ", path, " to group ", group, ": ", std::strerror(errno));
    }
  }
  auto secret = readApiSecret(path);
  if (!secret) return fail(secret.error().message);
  return *secret;
}

bool secretsEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cks::agent
