#include "hub/store/staff_roster.h"

#include "core/time_format.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {
namespace {

using sql::timeOf;

constexpr std::string_view kColumns =
    "SELECT name, role, password_hash, disabled, must_change_password, created_at, last_login, "
    "failed_logins, locked_until, certificate_fingerprint, certificate_subject "
    "FROM staff_accounts ";

StaffRecord recordOf(const SqlRow& row) {
  StaffRecord r;
  r.name = row.text(0);
  r.role = row.text(1);
  r.password_hash = row.text(2);
  r.disabled = row.integer(3) != 0;
  r.must_change_password = row.integer(4) != 0;
  r.created_at = timeOf(row.text(5));
  if (!row.isNull(6)) r.last_login = timeOf(row.text(6));
  r.failed_logins = int(row.integer(7));
  if (!row.isNull(8)) r.locked_until = timeOf(row.text(8));
  if (!row.isNull(9)) r.certificate_fingerprint = row.text(9);
  if (!row.isNull(10)) r.certificate_subject = row.text(10);
  return r;
}

}  // namespace

Result<bool> StaffRoster::add(const StaffRecord& a) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<bool> {
    auto added = c.run(
        "INSERT INTO staff_accounts (name, role, password_hash, disabled, must_change_password, "
        "created_at, failed_logins) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0) "
        "ON CONFLICT (name) DO NOTHING",
        {a.name, a.role, a.password_hash, sql::flag(a.disabled), sql::flag(a.must_change_password),
         formatIsoUtc(a.created_at)});
    if (!added) return tl::unexpected(added.error());
    return *added == 1;
  });
}

Result<std::optional<StaffRecord>> StaffRoster::account(const std::string& name) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::optional<StaffRecord>> {
    std::optional<StaffRecord> found;
    CKS_TRY(c.run(std::string(kColumns) + "WHERE name = ?1", {name},
                  [&](const SqlRow& row) { found = recordOf(row); }));
    return found;
  });
}

Result<std::optional<StaffRecord>> StaffRoster::accountByCertificate(
    const std::string& fingerprint) {
  if (fingerprint.empty()) return std::optional<StaffRecord>();
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::optional<StaffRecord>> {
    std::optional<StaffRecord> found;
    CKS_TRY(c.run(std::string(kColumns) + "WHERE certificate_fingerprint = ?1", {fingerprint},
                  [&](const SqlRow& row) { found = recordOf(row); }));
    return found;
  });
}

Result<std::vector<StaffRecord>> StaffRoster::accounts() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<StaffRecord>> {
    std::vector<StaffRecord> all;
    CKS_TRY(c.run(std::string(kColumns) + "ORDER BY name", {},
                  [&](const SqlRow& row) { all.push_back(recordOf(row)); }));
    return all;
  });
}

Result<bool> StaffRoster::update(std::string_view statement, const std::vector<SqlValue>& params) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<bool> {
    auto changed = c.run(statement, params);
    if (!changed) return tl::unexpected(changed.error());
    return *changed == 1;
  });
}

Result<bool> StaffRoster::setPassword(const std::string& name, const std::string& hash,
                                      bool must_change) {
  return update(
      "UPDATE staff_accounts SET password_hash = ?2, must_change_password = ?3 WHERE name = ?1",
      {name, hash, sql::flag(must_change)});
}

Result<bool> StaffRoster::setCertificate(const std::string& name, const std::string& fingerprint,
                                         const std::string& subject) {
  if (fingerprint.empty()) {
    return update(
        "UPDATE staff_accounts SET certificate_fingerprint = NULL, certificate_subject = NULL "
        "WHERE name = ?1",
        {name});
  }
  return update(
      "UPDATE staff_accounts SET certificate_fingerprint = ?2, certificate_subject = ?3 "
      "WHERE name = ?1",
      {name, fingerprint, subject});
}

Result<bool> StaffRoster::disable(const std::string& name) {
  return update("UPDATE staff_accounts SET disabled = 1 WHERE name = ?1", {name});
}

Result<bool> StaffRoster::reset(const std::string& name, const std::string& hash) {
  return update(
      "UPDATE staff_accounts SET password_hash = ?2, must_change_password = 1, disabled = 0, "
      "failed_logins = 0, locked_until = NULL WHERE name = ?1",
      {name, hash});
}

Result<int> StaffRoster::recordFailedLogin(const std::string& name) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<int> {
    int failures = 0;
    // One statement: two wrong passwords at once both count.
    CKS_TRY(
        c.run("UPDATE staff_accounts SET failed_logins = failed_logins + 1 WHERE name = ?1 "
              "RETURNING failed_logins",
              {name}, [&](const SqlRow& row) { failures = int(row.integer(0)); }));
    return failures;
  });
}

Result<bool> StaffRoster::lock(const std::string& name, TimePoint until) {
  return update("UPDATE staff_accounts SET locked_until = ?2, failed_logins = 0 WHERE name = ?1",
                {name, formatIsoUtc(until)});
}

Result<bool> StaffRoster::recordLogin(const std::string& name, TimePoint at) {
  return update(
      "UPDATE staff_accounts SET last_login = ?2, failed_logins = 0, locked_until = NULL "
      "WHERE name = ?1",
      {name, formatIsoUtc(at)});
}

Result<bool> StaffRoster::recordCertificateLogin(const std::string& name, TimePoint at) {
  return update("UPDATE staff_accounts SET last_login = ?2 WHERE name = ?1",
                {name, formatIsoUtc(at)});
}

}  // namespace cks::hub
