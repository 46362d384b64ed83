// The console's logged-in staff. A login opens a session known by a random token that the
// browser keeps in an HttpOnly cookie; the table holds only the token's SHA-256. Each session
// has a CSRF token the pages send back on every change (the cookie alone never authorises
// one). A session ends when unused for the idle timeout, at its absolute lifetime, at logout,
// or when its account is disabled, reset or changes its password. Sessions live in the hub's
// memory: a restart logs everyone out. Time comes from the Clock. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "hub/province/staff_service.h"

namespace cks::hub {

struct ConsoleSession {
  std::string name;
  StaffRole role = StaffRole::Viewer;
  std::string csrf_token;
  bool must_change_password = false;
  TimePoint opened_at{};
  TimePoint last_used{};
  // Set: opened by the account's certificate (this fingerprint), not its password; it ends
  // once the account is bound to another certificate or none.
  std::string certificate_fingerprint;
};

class SessionTable {
 public:
  SessionTable(const Clock& clock, std::chrono::seconds idle_timeout, std::chrono::seconds lifetime)
      : clock_(clock), idle_timeout_(idle_timeout), lifetime_(lifetime) {}

  // A new session for `account`; the token for its cookie (64 hex digits). A session opened
  // by the certificate `certificate_fingerprint` never has to change a one-time password.
  [[nodiscard]] std::string open(const StaffAccount& account,
                                 const std::string& certificate_fingerprint = "");
  // The session `token` names while it lasts (now counts as its last use); nullopt, and the
  // session ends, once it has expired.
  [[nodiscard]] std::optional<ConsoleSession> use(const std::string& token);
  // The session of `token` no longer has to change its password.
  void passwordChanged(const std::string& token);
  void close(const std::string& token);
  // Every session of the account `name` ends.
  void closeAll(const std::string& name);

 private:
  const Clock& clock_;
  const std::chrono::seconds idle_timeout_;
  const std::chrono::seconds lifetime_;
  std::mutex mutex_;
  std::map<std::string, ConsoleSession> sessions_;  // by the token's SHA-256
};

}  // namespace cks::hub
