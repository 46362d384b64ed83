// The province's staff: their accounts and roles in the console, how they log in, and the
// audit trail of what they did (issue 14). Typed in, typed out (province_context.h); the admin
// CLI (`cks-hub admin user …`, `admin audit`) and the console render its views.
// Passwords are hashed with Argon2id (libsodium's crypto_pwhash_str), never stored, logged or
// shown except a one-time password when an account is made or reset.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "hub/province/province_context.h"
#include "hub/store/records.h"

namespace cks::hub {

// What a staff member may do (issue 14, "Who uses it"). Wire names: "admin", "officer",
// "viewer".
enum class StaffRole {
  Admin,    // Quản trị: accounts, enrolment codes, agents, the agency directory; all of officer
  Officer,  // Cán bộ Sở: processes requests, mergers, deadlines, reports
  Viewer,   // Lãnh đạo Sở: reads everything, changes nothing
};

[[nodiscard]] std::string_view toString(StaffRole role);
[[nodiscard]] bool parseStaffRole(std::string_view text, StaffRole& out);
// Whether `role` may do what `needed` may: admin ⊇ officer ⊇ viewer.
[[nodiscard]] bool roleAllows(StaffRole role, StaffRole needed);

struct StaffAccount {
  std::string name;  // the login: 3–64 of a-z 0-9 . _ - (lower case), unique
  StaffRole role = StaffRole::Viewer;
  bool disabled = false;
  bool must_change_password = true;  // a one-time password was issued and not yet changed
  TimePoint created_at{};
  std::optional<TimePoint> last_login;
  int failed_logins = 0;  // wrong passwords since the last good one
  std::optional<TimePoint> locked_until;
  // The staff member's own certificate that logs in to the console (lowercase hex SHA-256 of
  // its DER, and its subject for display); empty: none bound.
  std::string certificate_fingerprint;
  std::string certificate_subject;
};

// What lists show of an account at `now`: "disabled", "locked" (until locked_until) or
// "active".
[[nodiscard]] std::string_view staffState(const StaffAccount& account, TimePoint now);

// An account with the password it was just given: the only time the password is seen.
struct IssuedPassword {
  StaffAccount account;
  std::string password;
};

// Wrong passwords in a row that lock an account, and for how long.
inline constexpr int kLoginAttempts = 5;
inline constexpr std::chrono::minutes kLockout{15};

// One line of the audit trail: a staff action (or an admin CLI command) that changed something.
// The trail is append-only and hash-chained: `hash` is SHA-256 (hex) over the previous line's
// hash and this line's fields, so that an edited, removed or reordered line breaks the chain.
struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, … in the order the hub recorded them
  TimePoint at{};
  std::string actor;        // the staff account, or "cli:<unix user>" for the admin CLI
  std::string action;       // e.g. "request.transition", "user.add", "code.issue"
  std::string agency_code;  // the agency it concerns; empty: none
  std::string target;       // what it acted on: a request id, an account name, …
  std::string detail;       // a short text (e.g. "in_progress → completed"); never a secret
  std::string hash;
};

// Which audit lines to list: newest first.
struct AuditFilter {
  std::string actor;        // empty: any
  std::string agency_code;  // empty: any
  std::string action;       // empty: any; else an exact action
  PageRequest page;
};

// Whether the chain verifies from the first line to the last.
struct AuditVerification {
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken;  // the first line whose hash does not verify
};

class StaffService {
 public:
  explicit StaffService(ProvinceContext context) : context_(context) {}

  // A new account with a one-time password (must be changed at first login). InvalidArgument:
  // a name outside the rule above; Conflict: the name is taken.
  [[nodiscard]] Result<IssuedPassword> addUser(const std::string& name, StaffRole role) const;
  // Every account, by name.
  [[nodiscard]] Result<std::vector<StaffAccount>> users() const;
  // NotFound: no such account.
  [[nodiscard]] Result<StaffAccount> user(const std::string& name) const;
  // The account can no longer log in (its sessions end at their next call). NotFound.
  [[nodiscard]] Status disable(const std::string& name) const;
  // A new one-time password; the account is enabled and unlocked. NotFound.
  [[nodiscard]] Result<IssuedPassword> reset(const std::string& name) const;
  // The account, when `password` is its password and it may log in now; records the login or
  // the failure (kLoginAttempts failures in a row lock it for kLockout). PermissionDenied for a
  // wrong name or password (one message for both: a name is not confirmed to a guesser);
  // FailedPrecondition for a disabled or locked account (the message says until when).
  [[nodiscard]] Result<StaffAccount> authenticate(const std::string& name,
                                                  const std::string& password) const;
  // Replaces the password after checking the current one (as authenticate). InvalidArgument:
  // a new password shorter than 12 characters or equal to the current one.
  [[nodiscard]] Status changePassword(const std::string& name, const std::string& current,
                                      const std::string& next) const;

  // Binds the certificate `der` (the staff member's own, e.g. exported from their token) to the
  // account `name`: it then logs in to the console by TLS client authentication. Replaces an
  // earlier binding. InvalidArgument: not a certificate, or a CA's; Conflict: the certificate
  // is bound to another account; NotFound.
  [[nodiscard]] Result<StaffAccount> bindCertificate(const std::string& name,
                                                     std::span<const std::uint8_t> der) const;
  // The account no longer logs in by certificate. NotFound.
  [[nodiscard]] Status clearCertificate(const std::string& name) const;
  // The account whose bound certificate has `fingerprint`, when it may log in now; records the
  // login. The caller has verified the certificate (the console's TLS layer, against [console]
  // client_ca). PermissionDenied: no certificate, or one bound to no account; FailedPrecondition:
  // a disabled account. The password lockout does not apply (it stops guessers, and the token
  // proves its holder) and stays as it is; neither does a pending one-time password.
  [[nodiscard]] Result<StaffAccount> authenticateCertificate(const std::string& fingerprint) const;

  // Appends a line to the audit trail as context.actor, at context.clock.now().
  [[nodiscard]] Status record(const std::string& action, const std::string& agency_code,
                              const std::string& target, const std::string& detail) const;
  // One page of the audit trail.
  [[nodiscard]] Result<Page<AuditEntry>> audit(const AuditFilter& filter) const;
  // Walks the whole chain.
  [[nodiscard]] Result<AuditVerification> verifyAudit() const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
