#include "store/outbox.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "core/time_format.h"
#include "store/inventory.h"
#include "store/uuid.h"

namespace cks::store {
namespace {

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  encoder.close();
  return out.str();
}

Poco::JSON::Object::Ptr tokenObject(const std::string& serial, const std::string& manufacturer,
                                    const std::string& label, const std::string& model,
                                    const std::string& pin_state) {
  Poco::JSON::Object::Ptr token = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  token->set("serial", serial);
  token->set("manufacturer", manufacturer);
  token->set("label", label);
  token->set("model", model);
  token->set("pin_state", pin_state);
  return token;
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
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("token", tokenObject(serial, manufacturer, label, model, pin_state));
  return stringify(body);
}

std::string certificateEventBody(const std::string& token_body_json, const std::string& fingerprint,
                                 const std::vector<std::uint8_t>& der,
                                 const std::string& previous_fingerprint) {
  Poco::JSON::Parser parser;
  auto body = parser.parse(token_body_json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr certificate = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  certificate->set("fingerprint_sha256", fingerprint);
  certificate->set("der", base64(der));
  body->set("certificate", certificate);
  if (!previous_fingerprint.empty()) body->set("previous_fingerprint", previous_fingerprint);
  return stringify(*body);
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

Status Outbox::setState(const std::string& key, const std::string& value) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto stmt = db.prepare(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = ?2");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, key).bind(2, value).run();
  });
}

Status Outbox::queueSnapshot(TimePoint at) {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    Poco::JSON::Array tokens;
    {
      auto stmt = db.prepare(
          "SELECT serial, manufacturer, label, model, pin_state, present, first_seen, last_seen "
          "FROM tokens ORDER BY id");
      if (!stmt) return tl::unexpected(stmt.error());
      for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        auto token =
            tokenObject(stmt->text(0), stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4));
        token->set("present", stmt->integer(5) != 0);
        token->set("first_seen", stmt->text(6));
        token->set("last_seen", stmt->text(7));
        tokens.add(token);
      }
    }
    Poco::JSON::Array certificates;
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
        Poco::JSON::Object::Ptr cert = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        cert->set("fingerprint_sha256", stmt->text(0));
        cert->set("der", base64(stmt->blob(1)));
        cert->set("token_serial", stmt->text(2));
        cert->set("token_manufacturer", stmt->text(3));
        cert->set("present", stmt->integer(4) != 0);
        cert->set("first_seen", stmt->text(5));
        cert->set("last_seen", stmt->text(6));
        certificates.add(cert);
      }
    }
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("tokens", tokens);
    body.set("certificates", certificates);
    if (auto status = appendOutbox(db, "normal", "snapshot", at, stringify(body)); !status) {
      return status;
    }
    return tx->commit();
  });
}

Status Outbox::restartSequences() {
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    // Negative first, so the renumbering never collides with a (lane, seq) still in place.
    auto status = db.exec(
        "UPDATE outbox SET seq = -(SELECT count(*) FROM outbox o WHERE o.lane = outbox.lane "
        "AND o.seq <= outbox.seq);"
        "UPDATE outbox SET seq = -seq;"
        "DELETE FROM lane_sequences;"
        "INSERT INTO lane_sequences (lane, last_seq) SELECT lane, max(seq) FROM outbox GROUP BY "
        "lane;");
    if (!status) return status;
    return tx->commit();
  });
}

}  // namespace cks::store
