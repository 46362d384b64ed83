// `inventory`, `tokens`, `expiring`: the agencies' inventories (hub/province/
// inventory_service.h).
#include <charconv>

#include "core/labels.h"
#include "hub/admin/admin_session.h"
#include "hub/province/inventory_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// The holder as tables show it: its common name, else the start of its fingerprint.
std::string holder(const Certificate& c) {
  return c.common_name.empty() ? c.fingerprint_sha256.substr(0, 16) : c.common_name;
}

int inventory(AdminSession& session, const AdminArgs& args) {
  auto view = InventoryService(session.province()).certificates(*args.value("--agency"));
  if (!view) return session.failed(view.error());
  const TimePoint now = session.clock.now();
  const int expiring_days = session.config.expiring_days;
  if (args.flag("--json")) {
    return session.printJson(arrayOf(view->certificates, [&](const CertificateSighting& s) {
      return certificateJson(s, now, expiring_days);
    }));
  }
  if (view->certificates.empty()) {
    session.out << session.text("certs.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.holder"), session.text("col.kind"), session.text("col.status"),
       session.text("col.days_left"), session.text("col.expires"), session.text("col.token"),
       session.text("col.present"), session.text("col.host")}};
  for (const auto& sighting : view->certificates) {
    const auto& ic = sighting.seen.certificate;
    const auto& c = ic.certificate;
    rows.push_back({holder(c), label(c.kind, session.language),
                    label(c.statusAt(now, expiring_days), session.language),
                    c.parsed() ? std::to_string(c.daysLeft(now)) : "",
                    c.parsed() ? session.shownDate(c.not_after) : "", ic.token_serial,
                    session.text(ic.present ? "yes" : "no"), sighting.host});
  }
  session.out << session.text("certs.title", {view->agency.name, view->agency.code}) << '\n'
              << session.renderTable(rows, {0})
              << session.text("certs.count", {std::to_string(view->certificates.size())}) << '\n';
  return 0;
}

int tokens(AdminSession& session, const AdminArgs& args) {
  auto view = InventoryService(session.province()).tokens(*args.value("--agency"));
  if (!view) return session.failed(view.error());
  if (args.flag("--json")) return session.printJson(arrayOf(view->tokens, tokenJson));
  if (view->tokens.empty()) {
    session.out << session.text("tokens.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.label"), session.text("col.serial"), session.text("col.manufacturer"),
       session.text("col.pin"), session.text("col.present"), session.text("col.certs"),
       session.text("col.host")}};
  for (const auto& held : view->tokens) {
    const auto& t = held.token;
    rows.push_back({t.token.label, t.token.serial, t.token.manufacturer,
                    label(t.token.pin_state, session.language),
                    session.text(t.present ? "yes" : "no"), std::to_string(t.cert_count),
                    t.last_host});
  }
  session.out << session.text("tokens.title", {view->agency.name, view->agency.code}) << '\n'
              << session.renderTable(rows, {0, 2})
              << session.text("tokens.count", {std::to_string(view->tokens.size())}) << '\n';
  return 0;
}

// `expiring --days N [--agency CODE]`: certificates valid now with at most N days left.
int expiring(AdminSession& session, const AdminArgs& args) {
  const std::string days_text = *args.value("--days");
  int days = -1;
  const auto parsed = std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
  if (parsed.ec != std::errc() || parsed.ptr != days_text.data() + days_text.size()) {
    return session.usageError(
        session.text("expiring.bad_days", {days_text, std::to_string(kMostExpiringDays)}));
  }
  auto view = InventoryService(session.province()).expiring(days, args.value("--agency"));
  if (!view) return session.failed(view.error());
  const TimePoint now = session.clock.now();
  if (args.flag("--json")) {
    return session.printJson(arrayOf(
        view->certificates, [&](const ExpiringCertificate& e) { return expiringJson(e, now); }));
  }
  const std::string within = std::to_string(days);
  if (view->certificates.empty()) {
    session.out << session.text("expiring.none", {within}) << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.agency"), session.text("col.holder"), session.text("col.kind"),
       session.text("col.days_left"), session.text("col.expires"), session.text("col.token"),
       session.text("col.present"), session.text("col.host")}};
  for (const auto& e : view->certificates) {
    const auto& c = e.certificate.certificate;
    rows.push_back({e.agency_code + " " + e.agency_name, holder(c), label(c.kind, session.language),
                    std::to_string(c.daysLeft(now)), session.shownDate(c.not_after),
                    e.certificate.token_serial, session.text(e.certificate.present ? "yes" : "no"),
                    e.host});
  }
  const auto& agency = view->agency;
  session.out << (agency
                      ? session.text("expiring.title_agency", {within, agency->name, agency->code})
                      : session.text("expiring.title", {within}))
              << '\n'
              << session.renderTable(rows, {0, 1})
              << session.text("certs.count", {std::to_string(view->certificates.size())}) << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> inventoryCommands() {
  return {{"inventory", {"--agency"}, false, true, inventory},
          {"tokens", {"--agency"}, false, true, tokens},
          {"expiring", {"--days"}, false, true, expiring}};
}

}  // namespace cks::hub
