#include "agent/api_secret.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

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

}  // namespace

Result<std::string> readApiSecret(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail("api secret: ", path, ": ", std::strerror(errno));
  }
  auto secret = readFileAt(fd, path);
  close(fd);
  return secret;
}

Result<std::string> loadOrCreateApiSecret(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (ec) return fail("api secret: create ", parent.string(), ": ", ec.message());
    chmod(parent.c_str(), 0750);
  }
  const int created = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created >= 0) {
    unsigned char bytes[32];
    CKS_CHECK(RAND_bytes(bytes, sizeof bytes) == 1);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string secret;
    for (unsigned char b : bytes) {
      secret.push_back(kDigits[b >> 4]);
      secret.push_back(kDigits[b & 0xf]);
    }
    const std::string line = secret + "\n";
    const bool written = write(created, line.data(), line.size()) == ssize_t(line.size());
    fsync(created);
    close(created);
    if (!written) return fail("api secret: write ", path, ": ", std::strerror(errno));
    return secret;
  }
  if (errno != EEXIST) return fail("api secret: create ", path, ": ", std::strerror(errno));
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return fail("api secret: ", path, ": ", std::strerror(errno));
  if ((info.st_mode & 0007) != 0) {
    return fail("api secret: ", path, ": readable or writable by everyone (mode ",
                std::to_string(info.st_mode & 0777), " octal ",
                std::to_string((info.st_mode >> 6) & 7) + std::to_string((info.st_mode >> 3) & 7) +
                    std::to_string(info.st_mode & 7),
                "); run: chmod 600 ", path);
  }
  return readApiSecret(path);
}

bool secretsEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cks::agent
