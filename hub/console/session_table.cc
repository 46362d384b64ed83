#include "hub/console/session_table.h"

#include <array>
#include <cstdint>
#include <span>

#include "core/certificate.h"
#include "core/crypto.h"
#include "core/text.h"

namespace cks::hub {
namespace {

std::string randomHex() {
  std::array<std::uint8_t, 32> bytes{};
  randomBytes(bytes);
  return hexLower(bytes);
}

std::string keyOf(const std::string& token) {
  return sha256Hex({reinterpret_cast<const std::uint8_t*>(token.data()), token.size()});
}

}  // namespace

std::string SessionTable::open(const StaffAccount& account,
                               const std::string& certificate_fingerprint) {
  const std::string token = randomHex();
  const TimePoint now = clock_.now();
  const std::lock_guard lock(mutex_);
  // Expired sessions go at each login, so that the table never grows with abandoned ones.
  std::erase_if(sessions_, [&](const auto& entry) {
    const ConsoleSession& s = entry.second;
    return now - s.last_used >= idle_timeout_ || now - s.opened_at >= lifetime_;
  });
  sessions_[keyOf(token)] = {account.name,
                             account.role,
                             randomHex(),
                             account.must_change_password && certificate_fingerprint.empty(),
                             now,
                             now,
                             certificate_fingerprint};
  return token;
}

std::optional<ConsoleSession> SessionTable::use(const std::string& token) {
  if (token.empty()) return std::nullopt;
  const TimePoint now = clock_.now();
  const std::lock_guard lock(mutex_);
  const auto found = sessions_.find(keyOf(token));
  if (found == sessions_.end()) return std::nullopt;
  ConsoleSession& s = found->second;
  if (now - s.last_used >= idle_timeout_ || now - s.opened_at >= lifetime_) {
    sessions_.erase(found);
    return std::nullopt;
  }
  s.last_used = now;
  return s;
}

void SessionTable::passwordChanged(const std::string& token) {
  const std::lock_guard lock(mutex_);
  const auto found = sessions_.find(keyOf(token));
  if (found != sessions_.end()) found->second.must_change_password = false;
}

void SessionTable::close(const std::string& token) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(keyOf(token));
}

void SessionTable::closeAll(const std::string& name) {
  const std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.name == name; });
}

}  // namespace cks::hub
