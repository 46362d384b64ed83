#include "hub/hub_store.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "core/time_format.h"
#include "store/database.h"

namespace cks::hub {
namespace {

using store::Database;
using store::Statement;
using store::Transaction;

// Each entry is one schema version; never edit a released entry, append a new one.
const std::vector<std::string_view> kMigrations = {
    R"sql(
CREATE TABLE agencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE enroll_codes (
  code_hash TEXT PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  name TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT
);
CREATE TABLE agents (
  agent_id TEXT PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  host TEXT NOT NULL,
  agent_version TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  last_contact TEXT,
  clock_offset_seconds INTEGER,
  backlog INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agents_agency ON agents (agency_code);
CREATE TABLE entries (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  lane TEXT NOT NULL,
  seq INTEGER NOT NULL,
  uuid TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (agent_id, lane, seq)
);
CREATE TABLE lane_state (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  lane TEXT NOT NULL,
  acked INTEGER NOT NULL,
  PRIMARY KEY (agent_id, lane)
);
CREATE TABLE feed (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, seq)
);
CREATE TABLE hub_tokens (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT NOT NULL,
  serial TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  label TEXT NOT NULL,
  model TEXT NOT NULL,
  pin_state TEXT NOT NULL,
  present INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (agent_id, serial, manufacturer)
);
CREATE INDEX hub_tokens_agency ON hub_tokens (agency_code);
CREATE TABLE hub_certificates (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
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
  last_seen TEXT NOT NULL,
  UNIQUE (agent_id, fingerprint)
);
CREATE INDEX hub_certificates_agency ON hub_certificates (agency_code, not_after);
CREATE TABLE hub_token_certificates (
  token_id INTEGER NOT NULL REFERENCES hub_tokens (id) ON DELETE CASCADE,
  certificate_id INTEGER NOT NULL REFERENCES hub_certificates (id) ON DELETE CASCADE,
  on_token INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (token_id, certificate_id)
);
CREATE INDEX hub_token_certificates_certificate ON hub_token_certificates (certificate_id);
)sql",
};

#define CKS_TRY(expr)                         \
  do {                                        \
    if (auto status_ = (expr); !status_) {    \
      return tl::unexpected(status_.error()); \
    }                                         \
  } while (false)

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out.push_back(separator);
    out += part;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

std::string agencyBody(const std::string& code, const std::string& name) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("code", code);
  body.set("name", name);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

Statement& bindOptional(Statement& stmt, int index, const std::optional<std::string>& value) {
  return value ? stmt.bind(index, *value) : stmt.bindNull(index);
}

// Applies one agent's entries to the projection (hub_tokens, hub_certificates and their links),
// with the agent store's rules (store/inventory.cc), inside the caller's transaction.
class Projector {
 public:
  Projector(Database& db, std::string agent_id, std::string agency_code)
      : db_(db), agent_id_(std::move(agent_id)), agency_code_(std::move(agency_code)) {}

  Status apply(const InventoryChange& change) {
    const std::string at = formatIsoUtc(change.at);
    const std::string& kind = change.kind;
    if (kind == "snapshot") return replaceWith(change);
    if (kind == "token_inserted")
      return token(change.token, at, TokenEffect::Insert).map([](auto) {});
    if (kind == "token_removed")
      return token(change.token, at, TokenEffect::Remove).map([](auto) {});
    if (kind == "token_pin_state_changed") {
      return token(change.token, at, TokenEffect::Touch).map([](auto) {});
    }
    // certificate_*: the agent reports these only for a token it sees in that scan.
    auto token_id = token(change.token, at, TokenEffect::Touch);
    if (!token_id) return tl::unexpected(token_id.error());
    CKS_CHECK(change.certificate.has_value());
    const ChangeCertificate& cert = *change.certificate;
    if (kind == "certificate_disappeared") {
      auto cert_id =
          cert.parsed ? certificate(cert, at, at, false) : certificateId(cert.fingerprint);
      if (!cert_id) return tl::unexpected(cert_id.error());
      if (*cert_id == 0) return ok();  // never seen by the hub: nothing to take off
      return link(*token_id, *cert_id, false, at, at);
    }
    if (kind == "certificate_replaced") {
      auto previous = certificateId(change.previous_fingerprint);
      if (!previous) return tl::unexpected(previous.error());
      if (*previous != 0) CKS_TRY(link(*token_id, *previous, false, at, at));
    }
    auto cert_id = certificate(cert, at, at, true);
    if (!cert_id) return tl::unexpected(cert_id.error());
    return link(*token_id, *cert_id, true, at, at);
  }

 private:
  enum class TokenEffect { Insert, Remove, Touch };

  // Upserts a token and returns its id. Insert: plugged in now; Remove: unplugged (only that
  // changes, as in the agent's store); Touch: the fields given, presence as it was.
  Result<std::int64_t> token(const ChangeToken& t, const std::string& at, TokenEffect effect) {
    auto stmt = db_.prepare(
        "INSERT INTO hub_tokens (agent_id, agency_code, serial, manufacturer, label, model, "
        "pin_state, present, first_seen, last_seen) "
        "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, 'unknown'), "
        "?8 != 0, ?9, ?9) "
        "ON CONFLICT (agent_id, serial, manufacturer) DO UPDATE SET "
        "label = CASE WHEN ?8 = 0 THEN label ELSE coalesce(?5, label) END, "
        "model = CASE WHEN ?8 = 0 THEN model ELSE coalesce(?6, model) END, "
        "pin_state = CASE WHEN ?8 = 0 THEN pin_state ELSE coalesce(?7, pin_state) END, "
        "present = CASE ?8 WHEN 1 THEN 1 WHEN 0 THEN 0 ELSE present END, "
        "last_seen = CASE WHEN ?8 = 1 THEN ?9 ELSE last_seen END "
        "RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    // ?8: 1 plugged in, 0 unplugged, 2 as it was (a new row counts as plugged in).
    const std::int64_t presence = effect == TokenEffect::Insert   ? 1
                                  : effect == TokenEffect::Remove ? 0
                                                                  : 2;
    stmt->bind(1, agent_id_).bind(2, agency_code_).bind(3, t.serial).bind(4, t.manufacturer);
    bindOptional(*stmt, 5, t.label);
    bindOptional(*stmt, 6, t.model);
    bindOptional(*stmt, 7, t.pin_state);
    stmt->bind(8, presence).bind(9, at);
    return returnedId(*stmt);
  }

  Result<std::int64_t> returnedId(Statement& stmt) {
    auto row = stmt.step();
    if (!row) return tl::unexpected(row.error());
    CKS_CHECK(*row);
    const std::int64_t id = stmt.integer(0);
    stmt.reset();
    return id;
  }

  // 0 when the hub has no such certificate for this agent.
  Result<std::int64_t> certificateId(const std::string& fingerprint) {
    auto stmt =
        db_.prepare("SELECT id FROM hub_certificates WHERE agent_id = ? AND fingerprint = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id_).bind(2, fingerprint);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    const std::int64_t id = *row ? stmt->integer(0) : 0;
    stmt->reset();
    return id;
  }

  // Upserts a certificate with its parsed fields; `seen` moves last_seen of a known one.
  Result<std::int64_t> certificate(const ChangeCertificate& cert, const std::string& first_seen,
                                   const std::string& last_seen, bool seen) {
    CKS_CHECK(cert.parsed.has_value());
    const Certificate& c = *cert.parsed;
    auto stmt = db_.prepare(
        "INSERT INTO hub_certificates (agent_id, agency_code, fingerprint, der, parse_error, "
        "subject, issuer, common_name, organization, organizational_units, locality, state, "
        "country, email, serial, not_before, not_after, key_usage, kind, first_seen, last_seen) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21) "
        "ON CONFLICT (agent_id, fingerprint) DO UPDATE SET kind = ?19, "
        "last_seen = CASE WHEN ?22 THEN max(last_seen, ?21) ELSE last_seen END "
        "RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id_).bind(2, agency_code_).bind(3, c.fingerprint_sha256);
    stmt->bind(4, cert.der).bind(5, c.parse_error).bind(6, c.subject).bind(7, c.issuer);
    stmt->bind(8, c.common_name).bind(9, c.organization);
    stmt->bind(10, join(c.organizational_units, '\n')).bind(11, c.locality).bind(12, c.state);
    stmt->bind(13, c.country).bind(14, c.email).bind(15, c.serial);
    stmt->bind(16, c.parsed() ? formatIsoUtc(c.not_before) : "");
    stmt->bind(17, c.parsed() ? formatIsoUtc(c.not_after) : "");
    stmt->bind(18, join(c.key_usage, ',')).bind(19, toString(c.kind));
    stmt->bind(20, first_seen).bind(21, last_seen).bind(22, std::int64_t(seen ? 1 : 0));
    return returnedId(*stmt);
  }

  // Sets whether the certificate is on the token; `on` also records the sighting time.
  Status link(std::int64_t token_id, std::int64_t cert_id, bool on, const std::string& first_seen,
              const std::string& last_seen) {
    auto stmt = db_.prepare(
        "INSERT INTO hub_token_certificates (token_id, certificate_id, on_token, first_seen, "
        "last_seen) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (token_id, certificate_id) DO UPDATE SET on_token = ?3, "
        "last_seen = CASE WHEN ?3 THEN max(last_seen, ?5) ELSE last_seen END");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, token_id)
        .bind(2, cert_id)
        .bind(3, std::int64_t(on ? 1 : 0))
        .bind(4, first_seen)
        .bind(5, last_seen)
        .run();
  }

  // A snapshot is the agent's whole inventory: the hub's view of this agent becomes exactly it.
  Status replaceWith(const InventoryChange& change) {
    for (const char* sql : {"DELETE FROM hub_token_certificates WHERE token_id IN "
                            "(SELECT id FROM hub_tokens WHERE agent_id = ?)",
                            "DELETE FROM hub_token_certificates WHERE certificate_id IN "
                            "(SELECT id FROM hub_certificates WHERE agent_id = ?)",
                            "DELETE FROM hub_certificates WHERE agent_id = ?",
                            "DELETE FROM hub_tokens WHERE agent_id = ?"}) {
      auto stmt = db_.prepare(sql);
      if (!stmt) return tl::unexpected(stmt.error());
      CKS_TRY(stmt->bind(1, agent_id_).run());
    }
    struct Placed {
      std::int64_t id;
      bool present;
    };
    std::map<std::pair<std::string, std::string>, Placed> tokens;
    for (const auto& t : change.snapshot_tokens) {
      auto stmt = db_.prepare(
          "INSERT INTO hub_tokens (agent_id, agency_code, serial, manufacturer, label, model, "
          "pin_state, present, first_seen, last_seen) "
          "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, 'unknown'), "
          "?8, ?9, ?10) "
          "ON CONFLICT (agent_id, serial, manufacturer) DO UPDATE SET present = ?8 "
          "RETURNING id");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind(1, agent_id_).bind(2, agency_code_).bind(3, t.token.serial);
      stmt->bind(4, t.token.manufacturer);
      bindOptional(*stmt, 5, t.token.label);
      bindOptional(*stmt, 6, t.token.model);
      bindOptional(*stmt, 7, t.token.pin_state);
      stmt->bind(8, std::int64_t(t.present ? 1 : 0));
      stmt->bind(9, formatIsoUtc(t.first_seen)).bind(10, formatIsoUtc(t.last_seen));
      auto id = returnedId(*stmt);
      if (!id) return tl::unexpected(id.error());
      tokens[{t.token.serial, t.token.manufacturer}] = {*id, t.present};
    }
    for (const auto& c : change.snapshot_certificates) {
      const std::string first_seen = formatIsoUtc(c.first_seen);
      const std::string last_seen = formatIsoUtc(c.last_seen);
      auto cert_id = certificate(c.certificate, first_seen, last_seen, true);
      if (!cert_id) return tl::unexpected(cert_id.error());
      const auto token = tokens.find({c.token_serial, c.token_manufacturer});
      if (token == tokens.end()) continue;
      // The snapshot says "present" (token plugged in AND certificate on it). On an unplugged
      // token it cannot say whether the certificate was still there: assume it was (the common
      // case); the next digest corrects a wrong guess with another snapshot.
      const bool on_token = c.present || !token->second.present;
      CKS_TRY(link(token->second.id, *cert_id, on_token, first_seen, last_seen));
    }
    return ok();
  }

  Database& db_;
  const std::string agent_id_;
  const std::string agency_code_;
};

class SqliteHubStore final : public HubStore {
 public:
  explicit SqliteHubStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  Status saveAgency(const Agency& agency, TimePoint now) override {
    std::lock_guard lock(mutex_);
    auto tx = Transaction::begin(*db_);
    if (!tx) return tl::unexpected(tx.error());
    const std::string at = formatIsoUtc(now);
    auto find = db_->prepare("SELECT name FROM agencies WHERE code = ?");
    if (!find) return tl::unexpected(find.error());
    find->bind(1, agency.code);
    auto row = find->step();
    if (!row) return tl::unexpected(row.error());
    const std::optional<std::string> old_name =
        *row ? std::optional<std::string>(find->text(0)) : std::nullopt;
    find->reset();
    if (!old_name) {
      auto insert = db_->prepare(
          "INSERT INTO agencies (code, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)");
      if (!insert) return tl::unexpected(insert.error());
      CKS_TRY(insert->bind(1, agency.code).bind(2, agency.name).bind(3, at).run());
    } else if (*old_name != agency.name) {
      auto update = db_->prepare("UPDATE agencies SET name = ?2, updated_at = ?3 WHERE code = ?1");
      if (!update) return tl::unexpected(update.error());
      CKS_TRY(update->bind(1, agency.code).bind(2, agency.name).bind(3, at).run());
      // Every agent of the agency learns the new name on its next pull.
      auto agents = db_->prepare("SELECT agent_id FROM agents WHERE agency_code = ?");
      if (!agents) return tl::unexpected(agents.error());
      agents->bind(1, agency.code);
      std::vector<std::string> ids;
      for (;;) {
        auto next = agents->step();
        if (!next) return tl::unexpected(next.error());
        if (!*next) break;
        ids.push_back(agents->text(0));
      }
      agents->reset();
      for (const auto& id : ids) {
        CKS_TRY(addFeedItem(id, "agency", agencyBody(agency.code, agency.name), at));
      }
    }
    return tx->commit();
  }

  Result<std::optional<Agency>> agency(const std::string& code) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("SELECT code, name FROM agencies WHERE code = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, code);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::optional<Agency>();
    return std::optional<Agency>(Agency{stmt->text(0), stmt->text(1)});
  }

  Status addEnrollCode(const std::string& code_hash, const std::string& agency_code,
                       TimePoint expires_at, TimePoint now) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "INSERT INTO enroll_codes (code_hash, agency_code, name, expires_at, created_at) "
        "SELECT ?1, code, name, ?3, ?4 FROM agencies WHERE code = ?2");
    if (!stmt) return tl::unexpected(stmt.error());
    CKS_TRY(stmt->bind(1, code_hash)
                .bind(2, agency_code)
                .bind(3, formatIsoUtc(expires_at))
                .bind(4, formatIsoUtc(now))
                .run());
    if (db_->changes() != 1) return fail("store: ", db_->path(), ": no agency ", agency_code);
    return ok();
  }

  Result<std::optional<EnrollCode>> enrollCode(const std::string& code_hash) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT e.agency_code, g.name, e.expires_at, e.used_at FROM enroll_codes e "
        "JOIN agencies g ON g.code = e.agency_code WHERE e.code_hash = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, code_hash);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::optional<EnrollCode>();
    EnrollCode code{stmt->text(0), stmt->text(1), timeOf(stmt->text(2)), std::nullopt};
    if (!stmt->isNull(3)) code.used_at = timeOf(stmt->text(3));
    return std::optional<EnrollCode>(std::move(code));
  }

  Result<bool> redeemEnrollCode(const std::string& code_hash, TimePoint now,
                                const NewAgent& agent) override {
    std::lock_guard lock(mutex_);
    auto tx = Transaction::begin(*db_);
    if (!tx) return tl::unexpected(tx.error());
    const std::string at = formatIsoUtc(now);
    // The conditions are checked again here: two enrolments racing for one code, one wins.
    auto use = db_->prepare(
        "UPDATE enroll_codes SET used_at = ?2, used_by = ?3 "
        "WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2 AND agency_code = ?4");
    if (!use) return tl::unexpected(use.error());
    CKS_TRY(use->bind(1, code_hash)
                .bind(2, at)
                .bind(3, agent.agent_id)
                .bind(4, agent.agency_code)
                .run());
    if (db_->changes() != 1) return false;
    auto insert = db_->prepare(
        "INSERT INTO agents (agent_id, agency_code, host, agent_version, enrolled_at) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!insert) return tl::unexpected(insert.error());
    CKS_TRY(insert->bind(1, agent.agent_id)
                .bind(2, agent.agency_code)
                .bind(3, agent.host)
                .bind(4, agent.agent_version)
                .bind(5, formatIsoUtc(agent.enrolled_at))
                .run());
    auto name = db_->prepare("SELECT name FROM agencies WHERE code = ?");
    if (!name) return tl::unexpected(name.error());
    name->bind(1, agent.agency_code);
    auto row = name->step();
    if (!row) return tl::unexpected(row.error());
    const std::string agency_name = *row ? name->text(0) : "";
    name->reset();
    CKS_TRY(addFeedItem(agent.agent_id, "agency", agencyBody(agent.agency_code, agency_name), at));
    CKS_TRY(tx->commit());
    return true;
  }

  Result<std::optional<AgentRecord>> agent(const std::string& agent_id) override {
    auto list = agentList(agent_id);
    if (!list) return tl::unexpected(list.error());
    if (list->empty()) return std::optional<AgentRecord>();
    return std::optional<AgentRecord>(std::move(list->front()));
  }

  Result<std::vector<AgentRecord>> agents() override { return agentList(""); }

  Result<bool> revokeAgent(const std::string& agent_id) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("UPDATE agents SET revoked = 1 WHERE agent_id = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    CKS_TRY(stmt->bind(1, agent_id).run());
    return db_->changes() == 1;
  }

  Result<PushOutcome> push(const std::string& agent_id, const PushBatch& batch,
                           TimePoint received_at) override {
    std::lock_guard lock(mutex_);
    auto tx = Transaction::begin(*db_);
    if (!tx) return tl::unexpected(tx.error());
    auto agency = db_->prepare("SELECT agency_code FROM agents WHERE agent_id = ?");
    if (!agency) return tl::unexpected(agency.error());
    agency->bind(1, agent_id);
    auto found = agency->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found) return fail("store: ", db_->path(), ": no agent ", agent_id);
    const std::string agency_code = agency->text(0);
    agency->reset();

    auto acked = laneAcked(agent_id, batch.lane);
    if (!acked) return tl::unexpected(acked.error());
    PushOutcome outcome{PushOutcome::Kind::Acked, *acked, ""};
    const std::string received = formatIsoUtc(received_at);
    if (!batch.entries.empty() && batch.entries.front().seq > *acked + 1) {
      outcome.kind = PushOutcome::Kind::Gap;
      outcome.message = "entries[0].seq is " + std::to_string(batch.entries.front().seq) +
                        " but the hub holds lane " + batch.lane + " up to " +
                        std::to_string(*acked) + ": resend from " + std::to_string(*acked + 1);
    }
    // Replays first (they come first in an ascending batch): one that differs stops everything
    // before any new entry is applied.
    for (size_t i = 0; outcome.kind == PushOutcome::Kind::Acked && i < batch.entries.size() &&
                       batch.entries[i].seq <= *acked;
         ++i) {
      auto stored = storedUuid(agent_id, batch.lane, batch.entries[i].seq);
      if (!stored) return tl::unexpected(stored.error());
      if (*stored && **stored != batch.entries[i].uuid) {
        outcome.kind = PushOutcome::Kind::Conflict;
        outcome.message = "entries[" + std::to_string(i) + "]: seq " +
                          std::to_string(batch.entries[i].seq) + " of lane " + batch.lane +
                          " is stored with uuid " + **stored + ", this one has " +
                          batch.entries[i].uuid;
      }
    }
    if (outcome.kind == PushOutcome::Kind::Acked) {
      Projector projector(*db_, agent_id, agency_code);
      for (const auto& entry : batch.entries) {
        if (entry.seq <= outcome.acked) continue;
        if (entry.seq != outcome.acked + 1) {
          return fail("store: push: entries are not consecutive at seq ",
                      std::to_string(entry.seq));
        }
        auto insert = db_->prepare(
            "INSERT INTO entries (agent_id, lane, seq, uuid, kind, at, body, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert) return tl::unexpected(insert.error());
        CKS_TRY(insert->bind(1, agent_id)
                    .bind(2, batch.lane)
                    .bind(3, entry.seq)
                    .bind(4, entry.uuid)
                    .bind(5, entry.kind)
                    .bind(6, formatIsoUtc(entry.at))
                    .bind(7, entry.body_json)
                    .bind(8, received)
                    .run());
        if (auto applied = projector.apply(entry); !applied) {
          return tl::unexpected(applied.error().wrap("entry seq " + std::to_string(entry.seq)));
        }
        outcome.acked = entry.seq;
      }
      if (outcome.acked != *acked) {
        auto lane = db_->prepare(
            "INSERT INTO lane_state (agent_id, lane, acked) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (agent_id, lane) DO UPDATE SET acked = ?3");
        if (!lane) return tl::unexpected(lane.error());
        CKS_TRY(lane->bind(1, agent_id).bind(2, batch.lane).bind(3, outcome.acked).run());
      }
    }
    auto contact = db_->prepare(
        "UPDATE agents SET last_contact = ?2, clock_offset_seconds = coalesce(?3, "
        "clock_offset_seconds), agent_version = coalesce(nullif(?4, ''), agent_version), "
        "backlog = ?5 WHERE agent_id = ?1");
    if (!contact) return tl::unexpected(contact.error());
    contact->bind(1, agent_id).bind(2, received);
    if (batch.agent_time) {
      contact->bind(3, std::int64_t((received_at - *batch.agent_time).count()));
    } else {
      contact->bindNull(3);
    }
    CKS_TRY(contact->bind(4, batch.agent_version).bind(5, batch.backlog).run());
    CKS_TRY(tx->commit());
    return outcome;
  }

  Result<std::int64_t> entryCount(const std::string& agent_id) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("SELECT count(*) FROM entries WHERE agent_id = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return stmt->integer(0);
  }

  Result<std::vector<sync::FeedItem>> feedAfter(const std::string& agent_id, std::int64_t cursor,
                                                int limit) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT seq, kind, body FROM feed WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id).bind(2, cursor).bind(3, std::int64_t(limit));
    std::vector<sync::FeedItem> items;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      sync::FeedItem item{stmt->integer(0), stmt->text(1), nullptr};
      try {
        Poco::JSON::Parser parser;
        item.body = parser.parse(stmt->text(2)).extract<Poco::JSON::Object::Ptr>();
      } catch (const Poco::Exception& e) {
        return fail("store: ", db_->path(), ": feed item ", std::to_string(item.seq), " of ",
                    agent_id, ": ", e.displayText());
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  Result<std::vector<HubToken>> tokens(const ViewScope& scope) override {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT t.agent_id, t.serial, t.manufacturer, t.label, t.model, t.pin_state, t.present, "
        "t.first_seen, t.last_seen, "
        "(SELECT count(*) FROM hub_token_certificates tc WHERE tc.token_id = t.id AND "
        "tc.on_token), a.host "
        "FROM hub_tokens t JOIN agents a ON a.agent_id = t.agent_id "
        "WHERE (?1 = '' OR t.agency_code = ?1) AND (?2 = '' OR t.agent_id = ?2) "
        "ORDER BY t.present DESC, t.label, t.serial, t.agent_id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, scope.agency_code).bind(2, scope.agent_id);
    std::vector<HubToken> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      HubToken ht;
      ht.agent_id = stmt->text(0);
      InventoryToken& t = ht.token;
      t.token = {stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4), PinState::Unknown};
      (void)parsePinState(stmt->text(5), t.token.pin_state);
      t.present = stmt->integer(6) != 0;
      t.first_seen = timeOf(stmt->text(7));
      t.last_seen = timeOf(stmt->text(8));
      t.cert_count = int(stmt->integer(9));
      t.last_host = stmt->text(10);
      out.push_back(std::move(ht));
    }
    return out;
  }

  Result<std::vector<HubCertificate>> certificates(const ViewScope& scope) override {
    std::lock_guard lock(mutex_);
    // Each certificate is shown with the token it is on now, else the one it was last seen on
    // (the agent's rule, store/inventory.cc).
    auto stmt = db_->prepare(
        "SELECT c.agent_id, c.fingerprint, c.parse_error, c.subject, c.issuer, c.common_name, "
        "c.organization, c.organizational_units, c.locality, c.state, c.country, c.email, "
        "c.serial, c.not_before, c.not_after, c.key_usage, c.kind, c.first_seen, c.last_seen, "
        "coalesce(t.serial, ''), coalesce(t.label, ''), coalesce(t.present AND tc.on_token, 0) "
        "FROM hub_certificates c "
        "LEFT JOIN hub_token_certificates tc ON tc.rowid = ("
        "  SELECT tc2.rowid FROM hub_token_certificates tc2 "
        "  JOIN hub_tokens t2 ON t2.id = tc2.token_id WHERE tc2.certificate_id = c.id"
        "  ORDER BY (t2.present AND tc2.on_token) DESC, tc2.last_seen DESC, tc2.rowid DESC "
        "  LIMIT 1) "
        "LEFT JOIN hub_tokens t ON t.id = tc.token_id "
        "WHERE (?1 = '' OR c.agency_code = ?1) AND (?2 = '' OR c.agent_id = ?2) "
        "ORDER BY c.not_after, c.common_name, c.agent_id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, scope.agency_code).bind(2, scope.agent_id);
    std::vector<HubCertificate> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      HubCertificate hc;
      hc.agent_id = stmt->text(0);
      InventoryCertificate& ic = hc.certificate;
      Certificate& c = ic.certificate;
      c.fingerprint_sha256 = stmt->text(1);
      c.parse_error = stmt->text(2);
      c.subject = stmt->text(3);
      c.issuer = stmt->text(4);
      c.common_name = stmt->text(5);
      c.organization = stmt->text(6);
      c.organizational_units = split(stmt->text(7), '\n');
      c.locality = stmt->text(8);
      c.state = stmt->text(9);
      c.country = stmt->text(10);
      c.email = stmt->text(11);
      c.serial = stmt->text(12);
      c.not_before = timeOf(stmt->text(13));
      c.not_after = timeOf(stmt->text(14));
      c.key_usage = split(stmt->text(15), ',');
      (void)parseSubscriberKind(stmt->text(16), c.kind);
      ic.first_seen = timeOf(stmt->text(17));
      ic.last_seen = timeOf(stmt->text(18));
      ic.token_serial = stmt->text(19);
      ic.token_label = stmt->text(20);
      ic.present = stmt->integer(21) != 0;
      out.push_back(std::move(hc));
    }
    return out;
  }

  Result<std::string> integrityCheck() override {
    std::lock_guard lock(mutex_);
    return db_->integrityCheck();
  }

 private:
  Result<std::vector<AgentRecord>> agentList(const std::string& agent_id) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT a.agent_id, a.agency_code, g.name, a.host, a.agent_version, a.enrolled_at, "
        "a.last_contact, a.clock_offset_seconds, a.backlog, a.revoked, "
        "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
        "l.lane = 'normal'), 0), "
        "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
        "l.lane = 'urgent'), 0) "
        "FROM agents a JOIN agencies g ON g.code = a.agency_code "
        "WHERE ?1 = '' OR a.agent_id = ?1 ORDER BY a.agency_code, a.enrolled_at, a.agent_id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id);
    std::vector<AgentRecord> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      AgentRecord a;
      a.agent_id = stmt->text(0);
      a.agency_code = stmt->text(1);
      a.agency_name = stmt->text(2);
      a.host = stmt->text(3);
      a.agent_version = stmt->text(4);
      a.enrolled_at = timeOf(stmt->text(5));
      if (!stmt->isNull(6)) a.last_contact = timeOf(stmt->text(6));
      if (!stmt->isNull(7)) a.clock_offset_seconds = stmt->integer(7);
      a.backlog = stmt->integer(8);
      a.revoked = stmt->integer(9) != 0;
      a.normal_acked = stmt->integer(10);
      a.urgent_acked = stmt->integer(11);
      out.push_back(std::move(a));
    }
    return out;
  }

  Result<std::int64_t> laneAcked(const std::string& agent_id, const std::string& lane) {
    auto stmt = db_->prepare("SELECT acked FROM lane_state WHERE agent_id = ? AND lane = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id).bind(2, lane);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    const std::int64_t acked = *row ? stmt->integer(0) : 0;
    stmt->reset();
    return acked;
  }

  Result<std::optional<std::string>> storedUuid(const std::string& agent_id,
                                                const std::string& lane, std::int64_t seq) {
    auto stmt =
        db_->prepare("SELECT uuid FROM entries WHERE agent_id = ? AND lane = ? AND seq = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, agent_id).bind(2, lane).bind(3, seq);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    std::optional<std::string> uuid =
        *row ? std::optional<std::string>(stmt->text(0)) : std::nullopt;
    stmt->reset();
    return uuid;
  }

  Status addFeedItem(const std::string& agent_id, const std::string& kind, const std::string& body,
                     const std::string& at) {
    auto stmt = db_->prepare(
        "INSERT INTO feed (agent_id, seq, kind, body, created_at) VALUES "
        "(?1, (SELECT coalesce(max(seq), 0) + 1 FROM feed WHERE agent_id = ?1), ?2, ?3, ?4)");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, agent_id).bind(2, kind).bind(3, body).bind(4, at).run();
  }

  std::mutex mutex_;
  std::unique_ptr<Database> db_;
};

}  // namespace

Result<std::unique_ptr<HubStore>> openSqliteHubStore(const std::string& path) {
  auto db = Database::open(path);
  if (!db) return tl::unexpected(db.error());
  if (auto status = (*db)->migrate(kMigrations); !status) return tl::unexpected(status.error());
  return std::unique_ptr<HubStore>(new SqliteHubStore(std::move(*db)));
}

Result<std::unique_ptr<HubStore>> openHubStore(const StoreLocation& location) {
  if (location.kind == StoreLocation::Kind::Postgresql) {
    return fail("store: PostgreSQL is not supported yet in this build");
  }
  std::error_code error;
  const auto folder = std::filesystem::path(location.path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) return fail("store: create ", folder.string(), ": ", error.message());
  return openSqliteHubStore(location.path);
}

}  // namespace cks::hub
