#include "hub/inventory_change.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <array>
#include <sstream>

#include "core/time_format.h"
#include "core/token.h"
#include "hub/internal/body_reader.h"

namespace cks::hub {
namespace {

using Poco::JSON::Object;

using internal::BodyReader;

ChangeToken readToken(BodyReader& reader) {
  ChangeToken token;
  token.serial = reader.requiredString("serial");
  token.manufacturer = reader.requiredString("manufacturer");
  if (!reader.failed() && token.serial.empty()) reader.problem("serial", "must not be empty");
  token.label = reader.string("label", false);
  token.model = reader.string("model", false);
  token.pin_state = reader.string("pin_state", false);
  // A newer agent may know PIN states this hub does not: keep the entry, record "unknown".
  if (PinState state; token.pin_state && !parsePinState(*token.pin_state, state)) {
    token.pin_state = "unknown";
  }
  return token;
}

// Standard base64 (RFC 4648 §4) with padding; whitespace is skipped, as Poco's decoder did.
// A table lookup instead of Poco::Base64Decoder: the stream decoder cost more per certificate
// than the rest of the entry's checks.
bool decodeBase64(const std::string& text, std::vector<std::uint8_t>& out) {
  static constexpr std::array<std::int8_t, 256> kValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) values[static_cast<unsigned char>(alphabet[i])] = std::int8_t(i);
    return values;
  }();
  out.clear();
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int filled = 0;   // sextets in `group`
  int padding = 0;  // '=' seen; only at the end of the last group
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      if (filled < 2 || filled + padding >= 4) return false;
      ++padding;
      continue;
    }
    const std::int8_t value = kValues[static_cast<unsigned char>(c)];
    if (value < 0 || padding > 0) return false;
    group = (group << 6) | std::uint32_t(value);
    if (++filled == 4) {
      out.push_back(std::uint8_t(group >> 16));
      out.push_back(std::uint8_t(group >> 8));
      out.push_back(std::uint8_t(group));
      group = 0;
      filled = 0;
    }
  }
  if (padding == 0) return filled == 0;
  if (filled + padding != 4) return false;
  group <<= 6 * padding;
  out.push_back(std::uint8_t(group >> 16));
  if (filled == 3) out.push_back(std::uint8_t(group >> 8));
  return true;
}

// {"fingerprint_sha256", "der"}: the hub fingerprints and parses the DER itself.
ChangeCertificate readCertificate(BodyReader& reader, bool der_required,
                                  const SubscriberKindRules& rules) {
  ChangeCertificate cert;
  cert.fingerprint = reader.requiredString("fingerprint_sha256");
  const auto der = reader.string("der", der_required);
  if (reader.failed()) return cert;
  if (der) {
    if (!decodeBase64(*der, cert.der) || cert.der.empty()) {
      reader.problem("der", "expected base64 DER");
      return cert;
    }
    cert.parsed = parseCertificateDer(cert.der, rules);
    if (cert.parsed->fingerprint_sha256 != cert.fingerprint) {
      reader.problem("fingerprint_sha256", "does not match the SHA-256 of der");
    }
  } else if (cert.fingerprint.size() != 64 ||
             cert.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos) {
    reader.problem("fingerprint_sha256", "expected 64 lowercase hex digits");
  }
  return cert;
}

}  // namespace

Result<InventoryChange> readInventoryChange(const sync::OutboxEntry& entry,
                                            const std::string& where,
                                            const SubscriberKindRules& rules,
                                            std::optional<std::string_view> body_text) {
  InventoryChange change;
  change.seq = entry.seq;
  change.uuid = entry.uuid;
  change.kind = entry.kind;
  change.at = entry.at;
  const Object::Ptr body = entry.body ? entry.body : Object::Ptr(new Object);
  if (body_text) {
    change.body_json = *body_text;
  } else {
    std::ostringstream text;
    body->stringify(text);
    change.body_json = text.str();
  }
  std::string error;
  BodyReader reader(body, where + ".body", error);
  const std::string& kind = entry.kind;
  if (sync::isAlertEntryKind(kind)) {
    auto alert = readAlertChange(body, where + ".body");
    if (!alert) return tl::unexpected(alert.error());
    change.alert = std::move(*alert);
  } else if (kind == "request_filed") {
    auto filed = readRequestFiled(body, where + ".body");
    if (!filed) return tl::unexpected(filed.error());
    change.request_filed = std::move(*filed);
  } else if (kind == "request_cancelled") {
    auto cancelled = readRequestCancelled(body, where + ".body");
    if (!cancelled) return tl::unexpected(cancelled.error());
    change.request_cancelled = std::move(*cancelled);
  } else if (kind == "report_submitted") {
    auto submitted = readReportSubmitted(body, where + ".body");
    if (!submitted) return tl::unexpected(submitted.error());
    change.report_submitted = std::move(*submitted);
  } else if (kind == "report_draft_saved") {
    auto saved = readReportDraftSaved(body, where + ".body");
    if (!saved) return tl::unexpected(saved.error());
    change.report_draft_saved = *saved;
  } else if (kind == "province_report_submitted") {
    auto submitted = readProvinceReportSubmitted(body, where + ".body");
    if (!submitted) return tl::unexpected(submitted.error());
    change.province_report_submitted = std::move(*submitted);
  } else if (kind == "snapshot") {
    for (auto& t : reader.objects("tokens")) {
      SnapshotToken token;
      token.token = readToken(t);
      token.present = t.boolean("present");
      token.first_seen = t.time("first_seen");
      token.last_seen = t.time("last_seen");
      change.snapshot_tokens.push_back(std::move(token));
    }
    for (auto& c : reader.objects("certificates")) {
      SnapshotCertificate cert;
      cert.certificate = readCertificate(c, true, rules);
      cert.token_serial = c.string("token_serial", false).value_or("");
      cert.token_manufacturer = c.string("token_manufacturer", false).value_or("");
      cert.present = c.boolean("present");
      cert.first_seen = c.time("first_seen");
      cert.last_seen = c.time("last_seen");
      if (!c.failed() && !cert.token_serial.empty()) {
        bool known = false;
        for (const auto& token : change.snapshot_tokens) {
          known = known || (token.token.serial == cert.token_serial &&
                            token.token.manufacturer == cert.token_manufacturer);
        }
        if (!known) c.problem("token_serial", "names no token of this snapshot");
      }
      change.snapshot_certificates.push_back(std::move(cert));
    }
  } else {
    if (auto token = reader.object("token")) change.token = readToken(*token);
    if (kind.rfind("certificate_", 0) == 0) {
      if (auto cert = reader.object("certificate")) {
        change.certificate = readCertificate(*cert, kind != "certificate_disappeared", rules);
      }
      if (kind == "certificate_replaced") {
        change.previous_fingerprint = reader.requiredString("previous_fingerprint");
      }
    }
  }
  if (!error.empty()) return fail(error);
  return change;
}

}  // namespace cks::hub
