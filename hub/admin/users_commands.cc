// `user add|list|disable|reset|certificate` and `audit`: the staff accounts of the province's
// console and the audit trail of what was changed (hub/province/staff_service.h).
#include <Poco/JSON/Object.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "core/openssl_ptr.h"
#include "hub/admin/admin_session.h"
#include "hub/province/staff_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// The account and its one-time password, the password alone on its own line: scripts take it
// with `sed -n 2p`.
int printIssued(AdminSession& session, const IssuedPassword& issued, std::string_view done) {
  session.out << done << '\n'
              << session.text("user.one_time_password", {issued.password}) << '\n'
              << session.text("user.must_change") << '\n';
  return 0;
}

int listUsers(AdminSession& session, const AdminArgs& args) {
  auto list = StaffService(session.province()).users();
  if (!list) return session.failed(list.error());
  const TimePoint now = session.clock.now();
  if (args.flag("--json")) {
    return session.printJson(
        arrayOf(*list, [&](const StaffAccount& a) { return staffAccountJson(a, now); }));
  }
  if (list->empty()) {
    session.out << session.text("user.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("user.col.name"), session.text("user.col.role"), session.text("user.col.state"),
       session.text("user.col.last_login"), session.text("user.col.certificate")}};
  for (const auto& a : *list) {
    std::string state = session.text("user.state." + std::string(staffState(a, now)));
    if (a.locked_until && now < *a.locked_until)
      state += " → " + session.shownTime(*a.locked_until);
    rows.push_back({a.name, std::string(toString(a.role)), state,
                    a.last_login ? session.shownTime(*a.last_login) : session.text("user.never"),
                    a.certificate_subject});
  }
  session.out << session.text("user.title") << '\n' << session.renderTable(rows, {0, 4});
  return 0;
}

// The DER of the certificate in `content`: PEM (the first certificate) or DER as it is.
std::optional<std::vector<std::uint8_t>> certificateDer(const std::string& content) {
  if (content.find("-----BEGIN") == std::string::npos) {
    if (content.empty()) return std::nullopt;
    return std::vector<std::uint8_t>(content.begin(), content.end());
  }
  const OpenSslPtr<BIO, BIO_free> bio(
      BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  const OpenSslPtr<X509, X509_free> certificate(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!certificate) return std::nullopt;
  const int size = i2d_X509(certificate.get(), nullptr);
  if (size <= 0) return std::nullopt;
  std::vector<std::uint8_t> der(static_cast<size_t>(size));
  std::uint8_t* out = der.data();
  if (i2d_X509(certificate.get(), &out) != size) return std::nullopt;
  return der;
}

// `user certificate --name NAME --certificate FILE` binds the staff member's own certificate
// (PEM or DER) for the console's certificate login; `--clear` unbinds it.
int bindCertificate(AdminSession& session, const AdminArgs& args, const std::string& name) {
  const StaffService staff(session.province());
  const auto path = args.value("--certificate");
  if (args.flag("--clear") == path.has_value()) {
    return session.usageError(session.text("user.usage"));
  }
  if (!path) {
    if (auto done = staff.clearCertificate(name); !done) return session.failed(done.error());
    session.out << session.text("user.certificate_cleared", {name}) << '\n';
    return 0;
  }
  std::ifstream file(*path, std::ios::binary);
  std::stringstream content;
  if (!file || !(content << file.rdbuf())) {
    return session.usageError(session.text("user.certificate_unreadable", {*path}));
  }
  const auto der = certificateDer(content.str());
  if (!der) return session.usageError(session.text("user.certificate_unreadable", {*path}));
  auto bound = staff.bindCertificate(name, *der);
  if (!bound) return session.failed(bound.error());
  session.out << session.text("user.certificate_bound",
                              {name, bound->certificate_subject, bound->certificate_fingerprint})
              << '\n';
  return 0;
}

// `user add --name NAME --role ROLE`, `user list [--json]`, `user disable|reset --name NAME`,
// `user certificate --name NAME --certificate FILE|--clear`.
int user(AdminSession& session, const AdminArgs& args) {
  const std::string action = args.operands.size() == 1 ? args.operands[0] : "";
  if (action == "list") return listUsers(session, args);
  const auto name = args.value("--name");
  if (!name ||
      (action != "add" && action != "disable" && action != "reset" && action != "certificate")) {
    return session.usageError(session.text("user.usage"));
  }
  if (action == "certificate") return bindCertificate(session, args, *name);
  const StaffService staff(session.province());
  if (action == "add") {
    const auto role_text = args.value("--role");
    if (!role_text) return session.usageError(session.text("user.usage"));
    StaffRole role{};
    if (!parseStaffRole(*role_text, role)) {
      return session.usageError(session.text("user.bad_role", {*role_text}));
    }
    auto issued = staff.addUser(*name, role);
    if (!issued) return session.failed(issued.error());
    return printIssued(session, *issued, session.text("user.added", {*name, *role_text}));
  }
  if (action == "disable") {
    if (auto done = staff.disable(*name); !done) return session.failed(done.error());
    session.out << session.text("user.disabled", {*name}) << '\n';
    return 0;
  }
  auto issued = staff.reset(*name);
  if (!issued) return session.failed(issued.error());
  return printIssued(session, *issued, session.text("user.reset", {*name}));
}

// `audit [--actor A] [--agency CODE] [--action X] [--limit N] [--json] [--verify]`: the newest
// lines first; --verify checks the whole chain instead (exit 1 when it is broken).
int audit(AdminSession& session, const AdminArgs& args) {
  const StaffService staff(session.province());
  if (args.flag("--verify")) {
    auto check = staff.verifyAudit();
    if (!check) return session.failed(check.error());
    const std::string lines = std::to_string(check->entries);
    if (args.flag("--json")) {
      Poco::JSON::Object json(Poco::JSON_PRESERVE_KEY_ORDER);
      json.set("verified", !check->first_broken);
      json.set("entries", static_cast<Poco::Int64>(check->entries));
      json.set("first_broken",
               check->first_broken
                   ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*check->first_broken))
                   : Poco::Dynamic::Var());
      (void)session.printJson(json);
      return check->first_broken ? 1 : 0;
    }
    if (check->first_broken) {
      session.out << session.text("audit.broken", {std::to_string(*check->first_broken), lines})
                  << '\n';
      return 1;
    }
    session.out << session.text("audit.verified", {lines}) << '\n';
    return 0;
  }
  AuditFilter filter;
  filter.actor = args.value("--actor").value_or("");
  filter.agency_code = args.value("--agency").value_or("");
  filter.action = args.value("--action").value_or("");
  filter.page.limit = 50;
  if (const auto limit = args.value("--limit")) {
    int n = 0;
    const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (error != std::errc() || end != limit->data() + limit->size() || n < 1 ||
        n > kMostPageRows) {
      return session.usageError(session.text("audit.bad_limit", {std::to_string(kMostPageRows)}));
    }
    filter.page.limit = n;
  }
  auto page = staff.audit(filter);
  if (!page) return session.failed(page.error());
  if (args.flag("--json")) return session.printJson(arrayOf(page->items, auditEntryJson));
  if (page->items.empty()) {
    session.out << session.text("audit.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("audit.col.seq"), session.text("audit.col.at"), session.text("audit.col.actor"),
       session.text("audit.col.action"), session.text("audit.col.agency"),
       session.text("audit.col.target"), session.text("audit.col.detail")}};
  for (const auto& e : page->items) {
    rows.push_back({std::to_string(e.seq), session.shownTime(e.at), e.actor, e.action,
                    e.agency_code, e.target, e.detail});
  }
  session.out << session.text("audit.title") << '\n' << session.renderTable(rows, {5, 6});
  if (!page->next_cursor.empty()) session.out << session.text("audit.more") << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> userCommands() {
  return {{"user", {}, true, true, user}, {"audit", {}, false, true, audit}};
}

}  // namespace cks::hub
