#include "store/outbox.h"
#include "core/crypto.h"

#include <Poco/JSON/Parser.h>

#include "core/time_format.h"
#include "store/inventory.h"
#include "sync/protocol/inventory_entries.h"

namespace cks::store {
namespace {

// A time the store wrote with formatIsoUtc.
TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

sync::ChangeToken changeToken(const std::string& serial, const std::string& manufacturer,
                              const std::string& label, const std::string& model,
                              const std::string& pin_state) {
  return sync::ChangeToken{serial, manufacturer, label, model, pin_state};
}

}  // namespace

std::string_view outboxMigration() {
  return R"sql(
CREATE TABLE outbox (
  lane TEXT NOT NULL,
  seq INTEGER NOT NULL,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (lane, seq)
);
CREATE TABLE lane_sequences (
  lane TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL
);
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";
}

Status appendOutbox(Database& db, const std::string& lane, const std::string& kind, TimePoint at,
                    const std::string& body_json) {
  auto bump = db.prepare(
      "INSERT INTO lane_sequences (lane, last_seq) VALUES (?1, 1) "
      "ON CONFLICT (lane) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
  if (!bump) return tl::unexpected(bump.error());
  bump->bind(1, lane);
  auto row = bump->step();
  if (!row) return tl::unexpected(row.error());
  const std::int64_t seq = bump->integer(0);
  bump->reset();
  auto insert =
      db.prepare("INSERT INTO outbox (lane, seq, uuid, kind, at, body) VALUES (?,?,?,?,?,?)");
  if (!insert) return tl::unexpected(insert.error());
  insert->bind(1, lane).bind(2, seq).bind(3, newUuidV4()).bind(4, kind);
  insert->bind(5, formatIsoUtc(at)).bind(6, body_json);
  return insert->run();
}

std::string tokenEventBody(const std::string& serial, const std::string& manufacturer,
                           const std::string& label, const std::string& model,
                           const std::string& pin_state) {
  return sync::encodeBody(
      sync::TokenChange{changeToken(serial, manufacturer, label, model, pin_state)});
}

std::string certificateEventBody(const std::string& token_body_json, const std::string& fingerprint,
                                 const std::vector<std::uint8_t>& der,
                                 const std::string& previous_fingerprint) {
  // The token as tokenEventBody wrote it.
  Poco::JSON::Parser parser;
  const auto token =
      parser.parse(token_body_json).extract<Poco::JSON::Object::Ptr>()->getObject("token");
  const auto field = [&](const char* key) { return token->optValue<std::string>(key, ""); };
  sync::CertificateChange change;
  change.token = changeToken(field("serial"), field("manufacturer"), field("label"), field("model"),
                             field("pin_state"));
  change.certificate.fingerprint = fingerprint;
  change.certificate.der = der;
  change.previous_fingerprint = previous_fingerprint;
  return sync::encodeBody(change);
}

Result<std::vector<OutboxRow>> Outbox::pending(const std::string& lane, int limit) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::vector<OutboxRow>> {
    auto stmt = db.prepare(
        "SELECT lane, seq, uuid, kind, at, body FROM outbox WHERE lane = ? ORDER BY seq LIMIT ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, lane).bind(2, std::int64_t(limit));
    std::vector<OutboxRow> rows;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      rows.push_back({stmt->text(0), stmt->integer(1), stmt->text(2), stmt->text(3),
                      parseIsoUtc(stmt->text(4)).value_or(TimePoint{}), stmt->text(5)});
    }
    return rows;
  });
}

Result<std::int64_t> Outbox::backlog() {
  return inventory_.withDatabase([&](Database& db) -> Result<std::int64_t> {
    auto stmt = db.prepare("SELECT count(*) FROM outbox");
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return stmt->integer(0);
  });
}

Status Outbox::acknowledge(const std::string& lane, std::int64_t acked) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto stmt = db.prepare("DELETE FROM outbox WHERE lane = ? AND seq <= ?");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, lane).bind(2, acked).run();
  });
}

Result<std::optional<std::string>> Outbox::state(const std::string& key) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::optional<std::string>> {
    auto stmt = db.prepare("SELECT value FROM sync_state WHERE key = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->text(0));
  });
}

namespace {

Status setStateIn(Database& db, const std::string& key, const std::string& value) {
  auto stmt = db.prepare(
      "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = ?2");
  if (!stmt) return tl::unexpected(stmt.error());
  return stmt->bind(1, key).bind(2, value).run();
}

// Inside the caller's transaction.
Status renumber(Database& db) {
  // Negative first, so the renumbering never collides with a (lane, seq) still in place.
  return db.exec(
      "UPDATE outbox SET seq = -(SELECT count(*) FROM outbox o WHERE o.lane = outbox.lane "
      "AND o.seq <= outbox.seq);"
      "UPDATE outbox SET seq = -seq;"
      "DELETE FROM lane_sequences;"
      "INSERT INTO lane_sequences (lane, last_seq) SELECT lane, max(seq) FROM outbox GROUP BY "
      "lane;");
}

}  // namespace

Status Outbox::setState(const std::string& key, const std::string& value) {
  return inventory_.withDatabase(
      [&](Database& db) -> Status { return setStateIn(db, key, value); });
}

Status Outbox::recordEnrolment(const std::vector<std::pair<std::string, std::string>>& state) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    for (const auto& [key, value] : state) CKS_TRY(setStateIn(db, key, value));
    CKS_TRY(renumber(db));
    return tx->commit();
  });
}

Status Outbox::queueSnapshot(TimePoint at) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    sync::Snapshot snapshot;
    {
      auto stmt = db.prepare(
          "SELECT serial, manufacturer, label, model, pin_state, present, first_seen, last_seen "
          "FROM tokens ORDER BY id");
      if (!stmt) return tl::unexpected(stmt.error());
      for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        sync::SnapshotToken token;
        token.token =
            changeToken(stmt->text(0), stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4));
        token.present = stmt->integer(5) != 0;
        token.first_seen = timeOf(stmt->text(6));
        token.last_seen = timeOf(stmt->text(7));
        snapshot.tokens.push_back(std::move(token));
      }
    }
    {
      // Every (token, certificate) link, so the hub can rebuild exactly what the agent knows.
      auto stmt = db.prepare(
          "SELECT c.fingerprint, c.der, t.serial, t.manufacturer, tc.on_token, tc.first_seen, "
          "tc.last_seen FROM token_certificates tc JOIN tokens t ON t.id = tc.token_id "
          "JOIN certificates c ON c.fingerprint = tc.fingerprint ORDER BY t.id, c.fingerprint");
      if (!stmt) return tl::unexpected(stmt.error());
      for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        sync::SnapshotCertificate cert;
        cert.certificate.fingerprint = stmt->text(0);
        cert.certificate.der = stmt->blob(1);
        cert.token_serial = stmt->text(2);
        cert.token_manufacturer = stmt->text(3);
        cert.present = stmt->integer(4) != 0;
        cert.first_seen = timeOf(stmt->text(5));
        cert.last_seen = timeOf(stmt->text(6));
        snapshot.certificates.push_back(std::move(cert));
      }
    }
    if (auto status = appendOutbox(db, "normal", "snapshot", at, sync::encodeBody(snapshot));
        !status) {
      return status;
    }
    return tx->commit();
  });
}

Status Outbox::restartSequences() {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    CKS_TRY(renumber(db));
    return tx->commit();
  });
}

}  // namespace cks::store
