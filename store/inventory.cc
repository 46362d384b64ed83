#include "store/inventory.h"
#include "core/crypto.h"

#include <openssl/rand.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/text.h"
#include "core/time_format.h"
#include "store/alerts.h"
#include "store/outbox.h"
#include "store/reports.h"
#include "store/requests.h"
#include "store/revocations.h"

namespace cks::store {
namespace {

// Each entry is one schema version; never edit a released entry, append a new one.
const std::vector<std::string_view> kMigrations = {
    R"sql(
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  label TEXT NOT NULL,
  model TEXT NOT NULL,
  module TEXT NOT NULL,
  pin_state TEXT NOT NULL,
  present INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (serial, manufacturer)
);
CREATE TABLE certificates (
  fingerprint TEXT PRIMARY KEY,
  der BLOB NOT NULL,
  parse_error TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  common_name TEXT NOT NULL,
  organization TEXT NOT NULL,
  organizational_units TEXT NOT NULL,
  locality TEXT NOT NULL,
  state TEXT NOT NULL,
  country TEXT NOT NULL,
  email TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  key_usage TEXT NOT NULL,
  kind TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL
);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE TABLE token_certificates (
  token_id INTEGER NOT NULL REFERENCES tokens (id),
  fingerprint TEXT NOT NULL REFERENCES certificates (fingerprint),
  object_label TEXT NOT NULL,
  object_id TEXT NOT NULL,
  on_token INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (token_id, fingerprint)
);
CREATE INDEX token_certificates_fingerprint ON token_certificates (fingerprint);
CREATE TABLE sightings (
  token_id INTEGER NOT NULL REFERENCES tokens (id),
  host TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (token_id, host)
);
CREATE TABLE modules (
  path TEXT PRIMARY KEY,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  since TEXT NOT NULL,
  last_checked TEXT NOT NULL
);
CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  host TEXT NOT NULL,
  tokens_present INTEGER NOT NULL,
  certificates_present INTEGER NOT NULL
);
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  host TEXT NOT NULL,
  token_serial TEXT NOT NULL,
  token_manufacturer TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  previous_fingerprint TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql",
    outboxMigration(),
    alertsMigration(),
    requestsMigration(),
    reportsMigration(),      // the yearly reports (store/reports.h)
    revocationsMigration(),  // what the hub told of revocations (store/revocations.h)
};

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

// The writes of one recordScan call, sharing prepared statements and the journal.
class ScanWriter {
 public:
  ScanWriter(Database& db, const ScanObservation& scan)
      : db_(db), scan_(scan), at_(formatIsoUtc(scan.at)) {}

  Status journal(std::string_view kind, const Token& token, std::string_view fingerprint = "",
                 std::string_view previous = "", std::string_view detail = "") {
    auto stmt = db_.prepare(
        "INSERT INTO journal (uuid, at, kind, host, token_serial, token_manufacturer, "
        "fingerprint, previous_fingerprint, detail) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, newUuidV4()).bind(2, at_).bind(3, kind).bind(4, scan_.host);
    stmt->bind(5, token.serial).bind(6, token.manufacturer).bind(7, fingerprint);
    stmt->bind(8, previous).bind(9, detail);
    ++journal_entries_;
    CKS_TRY(stmt->run());
    return outbox(kind, token, fingerprint, previous);
  }

  // The change's outbox entry, in the same transaction: it reaches the province exactly when
  // the change itself is recorded.
  Status outbox(std::string_view kind, const Token& token, std::string_view fingerprint,
                std::string_view previous) {
    const std::string token_body =
        tokenEventBody(token.serial, token.manufacturer, token.label, token.model,
                       std::string(toString(token.pin_state)));
    if (fingerprint.empty()) {
      return appendOutbox(db_, "normal", std::string(kind), scan_.at, token_body);
    }
    auto der = db_.prepare("SELECT der FROM certificates WHERE fingerprint = ?");
    if (!der) return tl::unexpected(der.error());
    der->bind(1, fingerprint);
    auto row = der->step();
    if (!row) return tl::unexpected(row.error());
    return appendOutbox(db_, "normal", std::string(kind), scan_.at,
                        certificateEventBody(token_body, std::string(fingerprint),
                                             *row ? der->blob(0) : std::vector<std::uint8_t>(),
                                             std::string(previous)));
  }

  Status recordModules() {
    for (const auto& module : scan_.modules) {
      auto stmt = db_.prepare(
          "INSERT INTO modules (path, outcome, detail, since, last_checked) VALUES "
          "(?1,?2,?3,?4,?4) "
          "ON CONFLICT (path) DO UPDATE SET since = CASE WHEN outcome = ?2 THEN since ELSE ?4 END, "
          "outcome = ?2, detail = ?3, last_checked = ?4");
      if (!stmt) return tl::unexpected(stmt.error());
      CKS_TRY(stmt->bind(1, module.path)
                  .bind(2, module.outcome)
                  .bind(3, module.detail)
                  .bind(4, at_)
                  .run());
    }
    return ok();
  }

  Status recordToken(const ScanObservation::SeenToken& seen) {
    const Token& token = seen.token;
    auto find = db_.prepare(
        "SELECT id, present, pin_state FROM tokens WHERE serial = ? AND manufacturer = ?");
    if (!find) return tl::unexpected(find.error());
    find->bind(1, token.serial).bind(2, token.manufacturer);
    auto row = find->step();
    if (!row) return tl::unexpected(row.error());
    std::int64_t id = 0;
    const std::string pin_state(toString(token.pin_state));
    if (*row) {
      id = find->integer(0);
      const bool was_present = find->integer(1) != 0;
      const std::string old_pin_state = find->text(2);
      auto update = db_.prepare(
          "UPDATE tokens SET label = ?, model = ?, module = ?, pin_state = ?, present = 1, "
          "last_seen = ? WHERE id = ?");
      if (!update) return tl::unexpected(update.error());
      CKS_TRY(update->bind(1, token.label)
                  .bind(2, token.model)
                  .bind(3, seen.module)
                  .bind(4, pin_state)
                  .bind(5, at_)
                  .bind(6, id)
                  .run());
      if (!was_present) CKS_TRY(journal("token_inserted", token));
      if (old_pin_state != pin_state) {
        CKS_TRY(
            journal("token_pin_state_changed", token, "", "", old_pin_state + " -> " + pin_state));
      }
    } else {
      auto insert = db_.prepare(
          "INSERT INTO tokens (serial, manufacturer, label, model, module, pin_state, present, "
          "first_seen, last_seen) VALUES (?,?,?,?,?,?,1,?,?)");
      if (!insert) return tl::unexpected(insert.error());
      CKS_TRY(insert->bind(1, token.serial)
                  .bind(2, token.manufacturer)
                  .bind(3, token.label)
                  .bind(4, token.model)
                  .bind(5, seen.module)
                  .bind(6, pin_state)
                  .bind(7, at_)
                  .bind(8, at_)
                  .run());
      id = db_.lastInsertId();
      CKS_TRY(
          journal("token_inserted", token, "", "", pin_state == "ok" ? "" : "pin " + pin_state));
    }
    auto sighting = db_.prepare(
        "INSERT INTO sightings (token_id, host, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
        "ON CONFLICT (token_id, host) DO UPDATE SET last_seen = ?3");
    if (!sighting) return tl::unexpected(sighting.error());
    CKS_TRY(sighting->bind(1, id).bind(2, scan_.host).bind(3, at_).run());
    ++tokens_present_;
    return recordCertificates(id, seen);
  }

  Status recordCertificates(std::int64_t token_id, const ScanObservation::SeenToken& seen) {
    struct Link {
      bool on_token;
      std::string object_id;
      std::string subject;
    };
    std::map<std::string, Link> before;
    {
      auto links = db_.prepare(
          "SELECT tc.fingerprint, tc.on_token, tc.object_id, c.subject FROM token_certificates tc "
          "JOIN certificates c USING (fingerprint) WHERE tc.token_id = ?");
      if (!links) return tl::unexpected(links.error());
      links->bind(1, token_id);
      for (;;) {
        auto row = links->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        before[links->text(0)] = {links->integer(1) != 0, links->text(2), links->text(3)};
      }
    }
    std::vector<const ScanObservation::SeenCertificate*> appeared;
    std::set<std::string> seen_now;
    for (const auto& seen_cert : seen.certificates) {
      const Certificate& cert = seen_cert.certificate;
      if (!seen_now.insert(cert.fingerprint_sha256).second) continue;  // same object twice
      CKS_TRY(upsertCertificate(seen_cert));
      auto link = db_.prepare(
          "INSERT INTO token_certificates (token_id, fingerprint, object_label, object_id, "
          "on_token, first_seen, last_seen) VALUES (?1,?2,?3,?4,1,?5,?5) "
          "ON CONFLICT (token_id, fingerprint) DO UPDATE SET on_token = 1, object_label = ?3, "
          "object_id = ?4, last_seen = ?5");
      if (!link) return tl::unexpected(link.error());
      CKS_TRY(link->bind(1, token_id)
                  .bind(2, cert.fingerprint_sha256)
                  .bind(3, seen_cert.object_label)
                  .bind(4, seen_cert.object_id)
                  .bind(5, at_)
                  .run());
      const auto old = before.find(cert.fingerprint_sha256);
      if (old == before.end() || !old->second.on_token) appeared.push_back(&seen_cert);
    }
    std::vector<std::pair<std::string, Link>> gone;
    for (const auto& [fingerprint, link] : before) {
      if (link.on_token && !seen_now.count(fingerprint)) gone.emplace_back(fingerprint, link);
    }
    for (const auto& [fingerprint, link] : gone) {
      auto clear = db_.prepare(
          "UPDATE token_certificates SET on_token = 0 WHERE token_id = ? AND fingerprint = ?");
      if (!clear) return tl::unexpected(clear.error());
      CKS_TRY(clear->bind(1, token_id).bind(2, fingerprint).run());
    }
    // A renewal writes the new certificate where the old one was (same object id) or for the
    // same subject: that is one "replaced" event, not an unrelated removal and addition.
    // Object ids pair first: a signing and an encryption certificate of one person share a
    // subject, and each renewal must name the certificate of its own object.
    std::vector<std::pair<std::string, const ScanObservation::SeenCertificate*>> replaced;
    auto pairBy = [&](auto same) {
      for (auto gone_it = gone.begin(); gone_it != gone.end();) {
        const auto match =
            std::find_if(appeared.begin(), appeared.end(),
                         [&](const auto* candidate) { return same(gone_it->second, *candidate); });
        if (match == appeared.end()) {
          ++gone_it;
          continue;
        }
        replaced.emplace_back(gone_it->first, *match);
        appeared.erase(match);
        gone_it = gone.erase(gone_it);
      }
    };
    pairBy([](const Link& old, const auto& candidate) {
      return !old.object_id.empty() && candidate.object_id == old.object_id;
    });
    pairBy([](const Link& old, const auto& candidate) {
      return !old.subject.empty() && candidate.certificate.subject == old.subject;
    });
    for (const auto& [previous, cert] : replaced) {
      CKS_TRY(journal("certificate_replaced", seen.token, cert->certificate.fingerprint_sha256,
                      previous));
    }
    for (const auto& [fingerprint, link] : gone) {
      CKS_TRY(journal("certificate_disappeared", seen.token, fingerprint));
    }
    for (const auto* cert : appeared) {
      CKS_TRY(journal("certificate_appeared", seen.token, cert->certificate.fingerprint_sha256));
    }
    certificates_present_ += int(seen_now.size());
    return ok();
  }

  Status upsertCertificate(const ScanObservation::SeenCertificate& seen_cert) {
    const Certificate& c = seen_cert.certificate;
    auto stmt = db_.prepare(
        "INSERT INTO certificates (fingerprint, der, parse_error, subject, issuer, common_name, "
        "organization, organizational_units, locality, state, country, email, serial, "
        "not_before, not_after, key_usage, kind, first_seen, last_seen) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?18) "
        "ON CONFLICT (fingerprint) DO UPDATE SET last_seen = ?18, kind = ?17");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, c.fingerprint_sha256).bind(2, seen_cert.der).bind(3, c.parse_error);
    stmt->bind(4, c.subject).bind(5, c.issuer).bind(6, c.common_name).bind(7, c.organization);
    stmt->bind(8, join(c.organizational_units, '\n')).bind(9, c.locality).bind(10, c.state);
    stmt->bind(11, c.country).bind(12, c.email).bind(13, c.serial);
    stmt->bind(14, c.parsed() ? formatIsoUtc(c.not_before) : "");
    stmt->bind(15, c.parsed() ? formatIsoUtc(c.not_after) : "");
    stmt->bind(16, join(c.key_usage, ',')).bind(17, toString(c.kind)).bind(18, at_);
    return stmt->run();
  }

  // Tokens not seen this time are gone, unless their module failed: then we do not know.
  Status markRemoved(const std::set<std::pair<std::string, std::string>>& seen_keys) {
    std::set<std::string> unanswered;
    for (const auto& module : scan_.modules) {
      if (module.outcome != "ok") unanswered.insert(module.path);
    }
    auto present = db_.prepare(
        "SELECT id, serial, manufacturer, label, model, module, pin_state FROM tokens "
        "WHERE present = 1");
    if (!present) return tl::unexpected(present.error());
    std::vector<std::pair<std::int64_t, Token>> removed;
    for (;;) {
      auto row = present->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      Token token{present->text(1), present->text(2), present->text(3), present->text(4),
                  PinState::Unknown};
      (void)parsePinState(present->text(6), token.pin_state);
      if (seen_keys.count({token.serial, token.manufacturer})) continue;
      if (unanswered.count(present->text(5))) continue;
      removed.emplace_back(present->integer(0), std::move(token));
    }
    for (const auto& [id, token] : removed) {
      auto update = db_.prepare("UPDATE tokens SET present = 0 WHERE id = ?");
      if (!update) return tl::unexpected(update.error());
      CKS_TRY(update->bind(1, id).run());
      CKS_TRY(journal("token_removed", token));
    }
    return ok();
  }

  Result<ScanChanges> run() {
    CKS_TRY(recordModules());
    std::set<std::pair<std::string, std::string>> seen_keys;
    for (const auto& seen : scan_.tokens) {
      // The same token reached through two modules (a vendor's and p11-kit's) counts once.
      if (!seen_keys.insert({seen.token.serial, seen.token.manufacturer}).second) continue;
      CKS_TRY(recordToken(seen));
    }
    CKS_TRY(markRemoved(seen_keys));
    auto scan_row = db_.prepare(
        "INSERT INTO scans (at, host, tokens_present, certificates_present) VALUES (?,?,?,?)");
    if (!scan_row) return tl::unexpected(scan_row.error());
    CKS_TRY(scan_row->bind(1, at_)
                .bind(2, scan_.host)
                .bind(3, std::int64_t(tokens_present_))
                .bind(4, std::int64_t(certificates_present_))
                .run());
    // Keep a month of scan rows at a 5-minute interval; older ones say nothing new.
    CKS_TRY(db_.exec("DELETE FROM scans WHERE id <= (SELECT max(id) FROM scans) - 10000"));
    return ScanChanges{journal_entries_, tokens_present_, certificates_present_};
  }

 private:
  Database& db_;
  const ScanObservation& scan_;
  const std::string at_;
  int journal_entries_ = 0;
  int tokens_present_ = 0;
  int certificates_present_ = 0;
};

}  // namespace

Result<std::unique_ptr<Inventory>> Inventory::open(const std::string& path) {
  auto db = Database::open(path);
  if (!db) return tl::unexpected(db.error());
  if (auto status = (*db)->migrate(kMigrations); !status) return tl::unexpected(status.error());
  return std::unique_ptr<Inventory>(new Inventory(std::move(*db)));
}

Result<std::unique_ptr<Inventory>> Inventory::openOrStartAfresh(
    const std::string& path, TimePoint now, std::optional<SetAside>& set_aside) {
  auto opened = open(path);
  if (opened || opened.error().code != ErrorCode::DataLoss) return opened;
  // The second's stamp keeps an earlier damaged file (another bad start) from being replaced.
  std::string stamp = formatIsoUtc(now);
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
  const std::string kept_as = path + ".damaged-" + stamp;
  for (const char* suffix : {"-wal", "-shm", ""}) {  // the main file last: it marks the move done
    std::error_code error;
    if (!std::filesystem::exists(path + suffix, error)) continue;
    std::filesystem::rename(path + suffix, kept_as + suffix, error);
    if (error) {
      return fail(ErrorCode::DataLoss, opened.error().message, "; keeping it aside as ", kept_as,
                  suffix, " failed: ", error.message());
    }
  }
  set_aside = SetAside{kept_as, opened.error().message};
  return open(path);
}

Result<ScanChanges> Inventory::recordScan(const ScanObservation& scan) {
  std::lock_guard lock(mutex_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  ScanWriter writer(*db_, scan);
  auto changes = writer.run();
  if (!changes) return changes;
  CKS_TRY(tx->commit());
  if (changes->journal_entries > 0) ++generation_;
  return changes;
}

Result<std::vector<InventoryToken>> Inventory::tokens() {
  std::lock_guard lock(mutex_);
  auto stmt = db_->prepare(
      "SELECT t.serial, t.manufacturer, t.label, t.model, t.pin_state, t.module, t.present, "
      "t.first_seen, t.last_seen, "
      "(SELECT count(*) FROM token_certificates tc WHERE tc.token_id = t.id AND tc.on_token), "
      "(SELECT host FROM sightings s WHERE s.token_id = t.id ORDER BY s.last_seen DESC LIMIT 1) "
      "FROM tokens t ORDER BY t.present DESC, t.label, t.serial");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<InventoryToken> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    InventoryToken t;
    t.token = {stmt->text(0), stmt->text(1), stmt->text(2), stmt->text(3), PinState::Unknown};
    (void)parsePinState(stmt->text(4), t.token.pin_state);
    t.module = stmt->text(5);
    t.present = stmt->integer(6) != 0;
    t.first_seen = timeOf(stmt->text(7));
    t.last_seen = timeOf(stmt->text(8));
    t.cert_count = int(stmt->integer(9));
    t.last_host = stmt->text(10);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<InventoryCertificate>> Inventory::certificates(Detail detail) {
  std::lock_guard lock(mutex_);
  // Each certificate is shown with the token it is on now, else the one it was last seen on.
  // Two plain scans and a sort here: ordering in SQL walked the expiry index and read the rows
  // (each with its DER) in random order, three times slower for 10,000 certificates
  // (bench/README.md, alert evaluation).
  struct Placement {
    std::string serial;
    std::string label;
    bool present = false;
    std::string last_seen;
  };
  std::unordered_map<std::string, Placement> placements;
  std::unordered_map<std::string, std::vector<std::string>> holders;  // tokens it is on
  {
    auto links = db_->prepare(
        "SELECT tc.fingerprint, t.serial, t.label, t.present AND tc.on_token, tc.last_seen, "
        "tc.on_token FROM token_certificates tc JOIN tokens t ON t.id = tc.token_id");
    if (!links) return tl::unexpected(links.error());
    for (;;) {
      auto row = links->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      Placement candidate{links->text(1), links->text(2), links->integer(3) != 0, links->text(4)};
      if (links->integer(5) != 0) holders[links->text(0)].push_back(candidate.serial);
      auto [it, inserted] = placements.try_emplace(links->text(0), candidate);
      // Present on a plugged token first, then the latest sighting (ISO text sorts by time),
      // then the smaller serial: the hub breaks ties the same way, so both name one token.
      const auto rank = [](const Placement& p) {
        return std::make_tuple(p.present, std::string_view(p.last_seen));
      };
      if (!inserted &&
          (rank(candidate) > rank(it->second) ||
           (rank(candidate) == rank(it->second) && candidate.serial < it->second.serial))) {
        it->second = std::move(candidate);
      }
    }
  }
  // The same columns in both, unused ones as empty text, so that one reader serves both.
  auto stmt = db_->prepare(
      detail == Detail::Full
          ? "SELECT fingerprint, parse_error, subject, issuer, common_name, organization, "
            "organizational_units, locality, state, country, email, serial, not_before, "
            "not_after, key_usage, kind, first_seen, last_seen FROM certificates"
          : "SELECT fingerprint, parse_error, subject, '', common_name, organization, "
            "organizational_units, '', '', '', '', '', '', not_after, '', '', '', '' "
            "FROM certificates");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<InventoryCertificate> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    InventoryCertificate ic;
    Certificate& c = ic.certificate;
    c.fingerprint_sha256 = stmt->text(0);
    c.parse_error = stmt->text(1);
    c.subject = stmt->text(2);
    c.issuer = stmt->text(3);
    c.common_name = stmt->text(4);
    c.organization = stmt->text(5);
    c.organizational_units = split(stmt->text(6), '\n');
    c.locality = stmt->text(7);
    c.state = stmt->text(8);
    c.country = stmt->text(9);
    c.email = stmt->text(10);
    c.serial = stmt->text(11);
    c.not_before = timeOf(stmt->text(12));
    c.not_after = timeOf(stmt->text(13));
    c.key_usage = split(stmt->text(14), ',');
    (void)parseSubscriberKind(stmt->text(15), c.kind);
    ic.first_seen = timeOf(stmt->text(16));
    ic.last_seen = timeOf(stmt->text(17));
    if (const auto placed = placements.find(c.fingerprint_sha256); placed != placements.end()) {
      ic.token_serial = placed->second.serial;
      ic.token_label = placed->second.label;
      ic.present = placed->second.present;
    }
    if (auto held = holders.find(c.fingerprint_sha256); held != holders.end()) {
      ic.token_serials = std::move(held->second);
      std::sort(ic.token_serials.begin(), ic.token_serials.end());
    }
    out.push_back(std::move(ic));
  }
  std::sort(out.begin(), out.end(),
            [](const InventoryCertificate& a, const InventoryCertificate& b) {
              return std::tie(a.certificate.not_after, a.certificate.common_name) <
                     std::tie(b.certificate.not_after, b.certificate.common_name);
            });
  return out;
}

Result<std::vector<ModuleStatus>> Inventory::modules() {
  std::lock_guard lock(mutex_);
  auto stmt =
      db_->prepare("SELECT path, outcome, detail, since, last_checked FROM modules ORDER BY path");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<ModuleStatus> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back({stmt->text(0), stmt->text(1), stmt->text(2), timeOf(stmt->text(3)),
                   timeOf(stmt->text(4))});
  }
  return out;
}

Result<std::optional<TimePoint>> Inventory::lastScan() {
  std::lock_guard lock(mutex_);
  auto stmt = db_->prepare("SELECT at FROM scans ORDER BY id DESC LIMIT 1");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<TimePoint>();
  return std::optional<TimePoint>(timeOf(stmt->text(0)));
}

Result<std::vector<JournalEntry>> Inventory::journalAfter(std::int64_t after, int limit) {
  std::lock_guard lock(mutex_);
  auto stmt = db_->prepare(
      "SELECT seq, uuid, at, kind, host, token_serial, token_manufacturer, fingerprint, "
      "previous_fingerprint, detail FROM journal WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind(1, after).bind(2, std::int64_t(limit));
  std::vector<JournalEntry> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back({stmt->integer(0), stmt->text(1), timeOf(stmt->text(2)), stmt->text(3),
                   stmt->text(4), stmt->text(5), stmt->text(6), stmt->text(7), stmt->text(8),
                   stmt->text(9)});
  }
  return out;
}

Result<std::string> Inventory::integrityCheck() {
  std::lock_guard lock(mutex_);
  return db_->integrityCheck();
}

}  // namespace cks::store
