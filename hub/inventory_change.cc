#include "hub/inventory_change.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace cks::hub {

Result<InventoryChange> readInventoryChange(const sync::OutboxEntry& entry,
                                            const std::string& where,
                                            const SubscriberKindRules& rules,
                                            std::optional<std::string_view> body_text) {
  InventoryChange change;
  change.seq = entry.seq;
  change.uuid = entry.uuid;
  change.kind = entry.kind;
  change.at = entry.at;
  const Poco::JSON::Object::Ptr body =
      entry.body ? entry.body : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  if (body_text) {
    change.body_json = *body_text;
  } else {
    std::ostringstream text;
    body->stringify(text);
    change.body_json = text.str();
  }
  const std::string& kind = entry.kind;
  const std::string path = where + ".body";
  if (sync::isAlertEntryKind(kind)) {
    auto alert = readAlertChange(body, path);
    if (!alert) return tl::unexpected(alert.error());
    change.alert = std::move(*alert);
  } else if (kind == "request_filed") {
    auto filed = readRequestFiled(body, path);
    if (!filed) return tl::unexpected(filed.error());
    change.request_filed = std::move(*filed);
  } else if (kind == "request_cancelled") {
    auto cancelled = readRequestCancelled(body, path);
    if (!cancelled) return tl::unexpected(cancelled.error());
    change.request_cancelled = std::move(*cancelled);
  } else if (kind == "report_submitted") {
    auto submitted = readReportSubmitted(body, path);
    if (!submitted) return tl::unexpected(submitted.error());
    change.report_submitted = std::move(*submitted);
  } else if (kind == "report_draft_saved") {
    auto saved = readReportDraftSaved(body, path);
    if (!saved) return tl::unexpected(saved.error());
    change.report_draft_saved = *saved;
  } else if (kind == "province_report_submitted") {
    auto submitted = readProvinceReportSubmitted(body, path);
    if (!submitted) return tl::unexpected(submitted.error());
    change.province_report_submitted = std::move(*submitted);
  } else if (kind == "snapshot") {
    auto snapshot = sync::readSnapshot(body, path, rules);
    if (!snapshot) return tl::unexpected(snapshot.error());
    change.snapshot_tokens = std::move(snapshot->tokens);
    change.snapshot_certificates = std::move(snapshot->certificates);
  } else if (kind.rfind("certificate_", 0) == 0) {
    auto certificate = sync::readCertificateChange(kind, body, path, rules);
    if (!certificate) return tl::unexpected(certificate.error());
    change.token = std::move(certificate->token);
    change.certificate = std::move(certificate->certificate);
    change.previous_fingerprint = std::move(certificate->previous_fingerprint);
  } else {
    auto token = sync::readTokenChange(body, path);
    if (!token) return tl::unexpected(token.error());
    change.token = std::move(token->token);
  }
  return change;
}

}  // namespace cks::hub
