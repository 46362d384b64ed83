// The store's staff roster: the accounts of the province's console (table staff_accounts), with
// what their logins did. Passwords are kept only as their hash (hub/province/staff_service.h
// makes and checks it). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

class StaffRoster {
 public:
  explicit StaffRoster(ConnectionPool& pool) : pool_(pool) {}

  // Adds the account; false, and nothing changed, when the name is taken.
  [[nodiscard]] Result<bool> add(const StaffRecord& account);
  [[nodiscard]] Result<std::optional<StaffRecord>> account(const std::string& name);
  // The account `fingerprint` (a certificate's SHA-256, hex) is bound to; nullopt: none.
  [[nodiscard]] Result<std::optional<StaffRecord>> accountByCertificate(
      const std::string& fingerprint);
  // Every account, by name.
  [[nodiscard]] Result<std::vector<StaffRecord>> accounts();

  // The calls below return false when there is no such account.
  // A new password hash; `must_change`: it is a one-time password.
  [[nodiscard]] Result<bool> setPassword(const std::string& name, const std::string& hash,
                                         bool must_change);
  [[nodiscard]] Result<bool> disable(const std::string& name);
  // Binds the certificate `fingerprint` (subject for display) to the account; an empty
  // fingerprint unbinds. A fingerprint bound to another account is refused by the store.
  [[nodiscard]] Result<bool> setCertificate(const std::string& name, const std::string& fingerprint,
                                            const std::string& subject);
  // A one-time password's hash; the account is enabled, unlocked, its failures forgotten.
  [[nodiscard]] Result<bool> reset(const std::string& name, const std::string& hash);
  // One more wrong password: how many in a row now (0: no such account).
  [[nodiscard]] Result<int> recordFailedLogin(const std::string& name);
  // No login until `until`; the failures that led to it are forgotten.
  [[nodiscard]] Result<bool> lock(const std::string& name, TimePoint until);
  // A good login at `at`: failures forgotten, any lock lifted.
  [[nodiscard]] Result<bool> recordLogin(const std::string& name, TimePoint at);
  // A certificate login at `at`: the password's failures and lock stay as they are.
  [[nodiscard]] Result<bool> recordCertificateLogin(const std::string& name, TimePoint at);

 private:
  Result<bool> update(std::string_view sql, const std::vector<SqlValue>& params);

  ConnectionPool& pool_;
};

}  // namespace cks::hub
