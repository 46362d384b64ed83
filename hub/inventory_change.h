// One pushed outbox entry as the hub applies it: the kind-specific body (docs/sync-protocol.md,
// "Entry kinds") decoded by the protocol's message of its kind (sync/protocol/*_entr*.h) before
// anything is stored, so a bad entry is refused with the field named and nothing half-applied;
// and each body's text as it arrived, found in the request (pushEntryBodies). Plain data and
// pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/subscriber_kind.h"
#include "hub/alert_change.h"
#include "hub/report_change.h"
#include "hub/request_change.h"
#include "sync/protocol/inventory_entries.h"
#include "sync/protocol/messages.h"

namespace cks::hub {

using sync::ChangeCertificate;
using sync::ChangeToken;
using sync::SnapshotCertificate;
using sync::SnapshotToken;

struct InventoryChange {
  std::int64_t seq = 0;
  std::string uuid;
  std::string kind;
  TimePoint at{};
  std::string body_json;  // the body as received, kept in the entries table

  ChangeToken token;                             // token_* and certificate_* kinds
  std::optional<ChangeCertificate> certificate;  // certificate_* kinds
  std::string previous_fingerprint;              // certificate_replaced
  std::vector<SnapshotToken> snapshot_tokens;    // snapshot
  std::vector<SnapshotCertificate> snapshot_certificates;
  std::optional<AlertChange> alert;  // alert_raised, alert_changed
  std::optional<RequestFiled> request_filed;
  std::optional<RequestCancelled> request_cancelled;
  std::optional<ReportSubmitted> report_submitted;
  std::optional<ReportDraftSaved> report_draft_saved;
  std::optional<ProvinceReportSubmitted> province_report_submitted;
  // Kept in the entries table and acknowledged, but not applied (a report of an absurd year).
  bool ignored = false;
};

// Checks `entry`'s body for its kind and parses its certificates with `rules`. `where` names
// the entry in messages ("entries[3]"): "entries[3].body.token.serial: missing".
// `body_text` is the body's JSON text as it arrived, kept as body_json; without it the parsed
// body is written out again (slower: Poco escapes strings one character at a time).
[[nodiscard]] Result<InventoryChange> readInventoryChange(
    const sync::OutboxEntry& entry, const std::string& where, const SubscriberKindRules& rules,
    std::optional<std::string_view> body_text = std::nullopt);

// The JSON text of each entries[i].body of a push request that sync::decodePushRequest
// accepted, in order (nullopt: no object body), so that bodies are stored as they arrived.
// Empty when the text cannot be matched to the parsed request entry by entry.
[[nodiscard]] std::vector<std::optional<std::string_view>> pushEntryBodies(
    std::string_view push_json);

}  // namespace cks::hub
