// The messages of sync protocol v1 (docs/sync-protocol.md), shared by the agent's sync client
// and the hub. Plain data; codecs in codec.h turn them into JSON and back with errors that name
// the offending field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "core/clock.h"

namespace cks::sync {

inline constexpr int kMaxEntriesPerPush = 1000;
inline constexpr int kMaxFeedItemsPerPull = 500;

// Who called: taken from the client certificate, never from the body.
struct Caller {
  std::string agent_id;
  std::string agency_code;
};

struct EnrollRequest {
  std::string code;
  std::string csr_pem;
  std::string host;
  std::string agent_version;
};

struct EnrollResponse {
  std::string agent_id;
  std::string agency_code;
  std::string agency_name;
  std::string certificate_pem;
  std::string agent_ca_pem;
  TimePoint hub_time{};
  // The rest of the agency's identity on documents (core/agency_identity.h), from the hub's
  // [province]; empty when the hub does not know it (an older hub sends none of them).
  std::string parent_body;
  std::string province;
  std::string place;
  std::string department;
};

// An enrolled agent's new certificate for a new key, asked over its current one before it
// expires (docs/sync-protocol.md, "Certificate renewal").
struct RenewRequest {
  std::string csr_pem;
};

struct RenewResponse {
  std::string certificate_pem;
  std::string agent_ca_pem;
  TimePoint hub_time{};
};

// One outbox entry. `body` is kind-specific JSON (the table in docs/sync-protocol.md).
struct OutboxEntry {
  std::int64_t seq = 0;
  std::string uuid;
  std::string kind;
  TimePoint at{};
  Poco::JSON::Object::Ptr body;
};

struct PushRequest {
  std::string lane = "normal";  // "urgent" | "normal"
  std::vector<OutboxEntry> entries;
  std::int64_t backlog = 0;
  std::string agent_version;
  TimePoint agent_time{};
};

struct PushResponse {
  std::int64_t acked = 0;
  TimePoint hub_time{};
};

struct FeedItem {
  std::int64_t seq = 0;
  std::string kind;  // "agency" | "settings" | "request_status" | "revocation_status" | …
  Poco::JSON::Object::Ptr body;
};

struct PullRequest {
  std::int64_t cursor = 0;
};

struct PullResponse {
  std::vector<FeedItem> items;
  std::int64_t cursor = 0;
  TimePoint hub_time{};
};

struct DigestRequest {
  std::string digest;
  std::int64_t tokens = 0;
  std::int64_t certificates = 0;
};

struct DigestResponse {
  bool match = false;
  TimePoint hub_time{};
};

// The body of every refusal.
struct ErrorBody {
  std::string error;  // bad_request | forbidden | enroll_code_invalid | not_found |
                      // sequence_gap | sequence_conflict | too_large | volume_exceeded |
                      // internal
  std::string message;
  std::optional<std::int64_t> acked;  // with sequence_gap
  TimePoint hub_time{};
};

// The entry kinds a v1 hub accepts.
[[nodiscard]] bool isKnownEntryKind(const std::string& kind);
// alert_raised and alert_changed: the alert's whole current state (docs/alerts.md, "Sync").
[[nodiscard]] bool isAlertEntryKind(const std::string& kind);
// request_filed and request_cancelled: an agency's requests (docs/requests.md, "Sync of
// requests").
[[nodiscard]] bool isRequestEntryKind(const std::string& kind);
[[nodiscard]] bool isKnownLane(const std::string& lane);

}  // namespace cks::sync
