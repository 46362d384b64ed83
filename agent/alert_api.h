// The local API's alert endpoints (docs/alerts.md): the list, acknowledging and snoozing one,
// the event stream the tray long-polls, and the counts of GET /v1/status. Answers are JSON
// bodies with their HTTP status; state lives in the store, so any thread may call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "agent/local_api_context.h"
#include "agent/request_api.h"
#include "core/messages.h"

namespace cks::agent {

// The alert object of docs/alerts.md; `message` in `language`, counted from `now`.
[[nodiscard]] Poco::JSON::Object::Ptr alertJson(const store::AlertRecord& alert, Language language,
                                                TimePoint now);

class AlertApi {
 public:
  explicit AlertApi(const LocalApiContext& context) : context_(context) {}

  // GET /v1/alerts: open ones; `unresolved` adds acknowledged and snoozed ones, `all` resolved
  // ones too.
  [[nodiscard]] ApiReply list(bool all, bool unresolved, Language language);
  // POST /v1/alerts/ID/ack: 200 with the alert; 404; 409 "resolved"; 503 for a busy store.
  [[nodiscard]] ApiReply acknowledge(std::int64_t id, Language language);
  // POST /v1/alerts/ID/snooze with {"days": 1..365}: as acknowledge, 400 for another body.
  [[nodiscard]] ApiReply snooze(std::int64_t id, const std::string& body, Language language);
  // GET /v1/events?after=SEQ&wait=S: the events after the cursor, waiting up to S seconds
  // (at most 60) for one; without `after` only the cursor.
  [[nodiscard]] ApiReply events(std::optional<std::int64_t> after, int wait_seconds,
                                Language language);
  // Open alerts by severity, the worst of them, and when the rules last ran.
  [[nodiscard]] Poco::JSON::Object::Ptr counts();

 private:
  // Acknowledge (no `until`) or snooze until `until`.
  [[nodiscard]] ApiReply change(std::int64_t id, std::optional<TimePoint> until, Language language);

  const LocalApiContext& context_;
};

}  // namespace cks::agent
