#include "hub/province/staff_service.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <utility>

#include "core/certificate.h"
#include "core/crypto.h"
#include "core/time_format.h"

namespace cks::hub {
namespace {

// Characters no one misreads on paper or on a phone: no 0/O, 1/l/I.
constexpr std::string_view kPasswordAlphabet =
    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr size_t kOneTimePasswordLength = 16;
constexpr size_t kShortestPassword = 12;

void initSodium() {
  static std::once_flag once;
  std::call_once(once, [] { CKS_CHECK(sodium_init() >= 0); });
}

// A one-time password: each character drawn uniformly (bytes past the last whole multiple of
// the alphabet are drawn again).
std::string oneTimePassword() {
  const size_t n = kPasswordAlphabet.size();
  const size_t limit = 256 - 256 % n;
  std::string password;
  while (password.size() < kOneTimePasswordLength) {
    std::array<std::uint8_t, 32> bytes{};
    randomBytes(bytes);
    for (const std::uint8_t b : bytes) {
      if (b < limit && password.size() < kOneTimePasswordLength) {
        password += kPasswordAlphabet[b % n];
      }
    }
  }
  return password;
}

// Argon2id with libsodium's interactive limits.
Result<std::string> passwordHash(const std::string& password) {
  initSodium();
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str_alg(hash.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail("staff: hashing a password ran out of memory");
  }
  return std::string(hash.data());
}

bool passwordMatches(const std::string& hash, const std::string& password) {
  initSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// A hash no password matches, checked for a name that has no account so that an unknown
// name takes as long as a known one.
const std::string& decoyHash() {
  static const std::string hash = passwordHash(oneTimePassword()).value_or("");
  return hash;
}

bool validName(const std::string& name) {
  return name.size() >= 3 && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
         });
}

// Characters, not bytes: a Vietnamese password's letters count once.
size_t characters(const std::string& text) {
  return size_t(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

StaffAccount accountOf(const StaffRecord& r) {
  StaffAccount a;
  a.name = r.name;
  (void)parseStaffRole(r.role, a.role);  // written by this hub from toString
  a.disabled = r.disabled;
  a.must_change_password = r.must_change_password;
  a.created_at = r.created_at;
  a.last_login = r.last_login;
  a.failed_logins = r.failed_logins;
  a.locked_until = r.locked_until;
  a.certificate_fingerprint = r.certificate_fingerprint;
  a.certificate_subject = r.certificate_subject;
  return a;
}

AuditEntry entryOf(AuditRecord r) {
  return {r.seq,
          r.at,
          std::move(r.actor),
          std::move(r.action),
          std::move(r.agency_code),
          std::move(r.target),
          std::move(r.detail),
          std::move(r.hash)};
}

}  // namespace

std::string_view toString(StaffRole role) {
  switch (role) {
    case StaffRole::Admin:
      return "admin";
    case StaffRole::Officer:
      return "officer";
    case StaffRole::Viewer:
      break;
  }
  return "viewer";
}

bool parseStaffRole(std::string_view text, StaffRole& out) {
  for (const StaffRole role : {StaffRole::Admin, StaffRole::Officer, StaffRole::Viewer}) {
    if (text == toString(role)) {
      out = role;
      return true;
    }
  }
  return false;
}

std::string_view staffState(const StaffAccount& account, TimePoint now) {
  if (account.disabled) return "disabled";
  if (account.locked_until && now < *account.locked_until) return "locked";
  return "active";
}

bool roleAllows(StaffRole role, StaffRole needed) {
  // Declared from the most to the least allowed.
  return static_cast<int>(role) <= static_cast<int>(needed);
}

Result<IssuedPassword> StaffService::addUser(const std::string& name, StaffRole role) const {
  if (!validName(name)) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "staff.bad_name", {name}));
  }
  IssuedPassword issued;
  issued.password = oneTimePassword();
  auto hash = passwordHash(issued.password);
  if (!hash) return tl::unexpected(hash.error());
  StaffRecord stored;
  stored.name = name;
  stored.role = std::string(toString(role));
  stored.password_hash = *hash;
  stored.created_at = context_.clock.now();
  auto added = context_.staff.add(stored);
  if (!added) return tl::unexpected(added.error());
  if (!*added) {
    return tl::unexpected(context_.refusal(ErrorCode::Conflict, "staff.name_taken", {name}));
  }
  CKS_TRY(record("user.add", "", name, "role " + stored.role));
  issued.account = accountOf(stored);
  return issued;
}

Result<std::vector<StaffAccount>> StaffService::users() const {
  auto all = context_.staff.accounts();
  if (!all) return tl::unexpected(all.error());
  std::vector<StaffAccount> out;
  for (const auto& r : *all) out.push_back(accountOf(r));
  return out;
}

Result<StaffAccount> StaffService::user(const std::string& name) const {
  auto found = context_.staff.account(name);
  if (!found) return tl::unexpected(found.error());
  if (!*found)
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  return accountOf(**found);
}

Status StaffService::disable(const std::string& name) const {
  auto done = context_.staff.disable(name);
  if (!done) return tl::unexpected(done.error());
  if (!*done) return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  return record("user.disable", "", name, "");
}

Result<IssuedPassword> StaffService::reset(const std::string& name) const {
  IssuedPassword issued;
  issued.password = oneTimePassword();
  auto hash = passwordHash(issued.password);
  if (!hash) return tl::unexpected(hash.error());
  auto done = context_.staff.reset(name, *hash);
  if (!done) return tl::unexpected(done.error());
  if (!*done) return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  CKS_TRY(record("user.reset", "", name, ""));
  auto account = user(name);
  if (!account) return tl::unexpected(account.error());
  issued.account = std::move(*account);
  return issued;
}

Result<StaffAccount> StaffService::authenticate(const std::string& name,
                                                const std::string& password) const {
  auto found = context_.staff.account(name);
  if (!found) return tl::unexpected(found.error());
  const auto wrong = [&] {
    return tl::unexpected(context_.refusal(ErrorCode::PermissionDenied, "staff.bad_login"));
  };
  if (!*found) {
    (void)passwordMatches(decoyHash(), password);
    return wrong();
  }
  const StaffRecord& account = **found;
  const TimePoint now = context_.clock.now();
  // A locked account checks no password: a guesser gets no answer until the lock ends.
  if (account.locked_until && now < *account.locked_until) {
    return tl::unexpected(
        context_.refusal(ErrorCode::FailedPrecondition, "staff.locked",
                         {name, formatLocalDateTime(*account.locked_until, vietnamTimeZone())}));
  }
  if (!passwordMatches(account.password_hash, password)) {
    auto failures = context_.staff.recordFailedLogin(name);
    if (!failures) return tl::unexpected(failures.error());
    if (*failures >= kLoginAttempts) {
      auto locked = context_.staff.lock(name, now + kLockout);
      if (!locked) return tl::unexpected(locked.error());
    }
    return wrong();
  }
  if (account.disabled) {
    return tl::unexpected(
        context_.refusal(ErrorCode::FailedPrecondition, "staff.disabled", {name}));
  }
  auto logged = context_.staff.recordLogin(name, now);
  if (!logged) return tl::unexpected(logged.error());
  StaffAccount out = accountOf(account);
  out.last_login = now;
  out.failed_logins = 0;
  out.locked_until.reset();
  return out;
}

Status StaffService::changePassword(const std::string& name, const std::string& current,
                                    const std::string& next) const {
  if (characters(next) < kShortestPassword) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "staff.password_short",
                                           {std::to_string(kShortestPassword)}));
  }
  if (next == current) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "staff.password_same"));
  }
  auto account = authenticate(name, current);
  if (!account) return tl::unexpected(account.error());
  auto hash = passwordHash(next);
  if (!hash) return tl::unexpected(hash.error());
  auto done = context_.staff.setPassword(name, *hash, false);
  if (!done) return tl::unexpected(done.error());
  if (!*done) return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  return record("user.password", "", name, "");
}

Result<StaffAccount> StaffService::bindCertificate(const std::string& name,
                                                   std::span<const std::uint8_t> der) const {
  const Certificate certificate = parseCertificateDer(der, SubscriberKindRules{});
  if (!certificate.parsed() || certificate.is_ca) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "staff.bad_certificate", {name}));
  }
  auto holder = context_.staff.accountByCertificate(certificate.fingerprint_sha256);
  if (!holder) return tl::unexpected(holder.error());
  if (*holder && (*holder)->name != name) {
    return tl::unexpected(context_.refusal(ErrorCode::Conflict, "staff.certificate_taken",
                                           {certificate.subject, (*holder)->name}));
  }
  auto done =
      context_.staff.setCertificate(name, certificate.fingerprint_sha256, certificate.subject);
  if (!done) return tl::unexpected(done.error());
  if (!*done) return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  CKS_TRY(record("user.certificate", "", name,
                 certificate.fingerprint_sha256 + " " + certificate.subject));
  return user(name);
}

Status StaffService::clearCertificate(const std::string& name) const {
  auto done = context_.staff.setCertificate(name, "", "");
  if (!done) return tl::unexpected(done.error());
  if (!*done) return tl::unexpected(context_.refusal(ErrorCode::NotFound, "staff.unknown", {name}));
  return record("user.certificate_clear", "", name, "");
}

Result<StaffAccount> StaffService::authenticateCertificate(const std::string& fingerprint) const {
  if (fingerprint.empty()) {
    return tl::unexpected(context_.refusal(ErrorCode::PermissionDenied, "staff.no_certificate"));
  }
  auto found = context_.staff.accountByCertificate(fingerprint);
  if (!found) return tl::unexpected(found.error());
  if (!*found) {
    return tl::unexpected(
        context_.refusal(ErrorCode::PermissionDenied, "staff.certificate_unbound", {fingerprint}));
  }
  const StaffRecord& account = **found;
  if (account.disabled) {
    return tl::unexpected(
        context_.refusal(ErrorCode::FailedPrecondition, "staff.disabled", {account.name}));
  }
  const TimePoint now = context_.clock.now();
  auto logged = context_.staff.recordCertificateLogin(account.name, now);
  if (!logged) return tl::unexpected(logged.error());
  StaffAccount out = accountOf(account);
  out.last_login = now;
  out.must_change_password = false;
  return out;
}

Status StaffService::record(const std::string& action, const std::string& agency_code,
                            const std::string& target, const std::string& detail) const {
  AuditRecord line;
  line.at = context_.clock.now();
  line.actor = context_.actor;
  line.action = action;
  line.agency_code = agency_code;
  line.target = target;
  line.detail = detail;
  auto appended = context_.audit.append(line);
  if (!appended) return tl::unexpected(appended.error());
  return ok();
}

Result<Page<AuditEntry>> StaffService::audit(const AuditFilter& filter) const {
  auto lines = context_.audit.lines({filter.actor, filter.agency_code, filter.action, filter.page});
  if (!lines) return tl::unexpected(lines.error());
  Page<AuditEntry> page;
  page.next_cursor = std::move(lines->next_cursor);
  for (auto& line : lines->items) page.items.push_back(entryOf(std::move(line)));
  return page;
}

Result<AuditVerification> StaffService::verifyAudit() const {
  auto check = context_.audit.verify();
  if (!check) return tl::unexpected(check.error());
  return AuditVerification{check->lines, check->first_broken};
}

}  // namespace cks::hub
