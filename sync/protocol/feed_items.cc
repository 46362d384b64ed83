#include "sync/protocol/feed_items.h"

#include <sstream>

#include "core/time_format.h"
#include "sync/protocol/json_text.h"

namespace cks::sync {
namespace {

using Poco::JSON::Object;

Poco::Dynamic::Var orNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

// The member `key` as text; empty when absent, null or not convertible.
std::string text(const Object& body, const std::string& key) {
  if (!body.has(key) || body.isNull(key)) return {};
  try {
    return body.getValue<std::string>(key);
  } catch (const Poco::Exception&) {
    return {};
  }
}

Poco::Dynamic::Var timeOrNull(const std::optional<TimePoint>& at) {
  return at ? Poco::Dynamic::Var(formatIsoUtc(*at)) : Poco::Dynamic::Var();
}

// The member `key` as a time: nullopt when absent or null, an error when not ISO 8601 UTC.
Result<std::optional<TimePoint>> optionalTime(const Object& body, const std::string& key) {
  const std::string value = text(body, key);
  if (value.empty()) return std::optional<TimePoint>();
  const auto at = parseIsoUtc(value);
  if (!at) return fail(key, ": expected an ISO 8601 UTC time, got \"", value, "\"");
  return std::optional<TimePoint>(*at);
}

}  // namespace

std::optional<std::string>& AgencyItem::field(std::string_view field) {
  if (field == "code") return code;
  if (field == "name") return name;
  if (field == "parent_body") return parent_body;
  if (field == "province") return province;
  if (field == "place") return place;
  return department;
}

const std::optional<std::string>& AgencyItem::field(std::string_view field) const {
  return const_cast<AgencyItem&>(*this).field(field);
}

std::string encodeItem(const AgencyItem& item) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* key : {"code", "name", "parent_body", "province", "place", "department"}) {
    if (const auto& value = item.field(key)) body.set(key, *value);
  }
  return stringify(body);
}

std::string encodeItem(const RequestStatusItem& item) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("request_id", item.request_id);
  body.set("state", std::string(toString(item.state)));
  body.set("at", formatIsoUtc(item.at));
  body.set("by", item.by);
  body.set("reason", orNull(item.reason));
  body.set("reference", orNull(item.reference));
  body.set("due_date", orNull(item.due_date ? formatDate(*item.due_date) : std::string()));
  body.set("handled_by", item.handled_by
                             ? Poco::Dynamic::Var(std::string(toString(*item.handled_by)))
                             : Poco::Dynamic::Var());
  return stringify(body);
}

std::string encodeItem(const ReportDeadlineItem& item) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("year", item.year);
  body.set("deadline", formatDate(item.deadline));
  body.set("remind_from", formatDate(item.remind_from));
  return stringify(body);
}

std::string encodeItem(const SettingsItem& item) {
  Object body;
  for (const auto& [key, value] : item.values) body.set(key, value);
  return stringify(body);
}

std::string encodeItem(const RevocationStatusItem& item) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("fingerprint", item.fingerprint);
  body.set("status", std::string(toString(item.status.state)));
  body.set("as_of", timeOrNull(item.status.as_of));
  body.set("next_update", timeOrNull(item.next_update));
  body.set("revoked_at", timeOrNull(item.status.revoked_at));
  body.set("reason", item.status.reason
                         ? Poco::Dynamic::Var(std::string(toString(*item.status.reason)))
                         : Poco::Dynamic::Var());
  return stringify(body);
}

AgencyItem readAgencyItem(const Object& body) {
  AgencyItem item;
  for (const char* key : {"code", "name", "parent_body", "province", "place", "department"}) {
    if (!body.has(key) || body.isNull(key)) continue;
    item.field(key) = text(body, key);
  }
  return item;
}

Result<RequestStatusItem> readRequestStatusItem(const Object& body) {
  RequestStatusItem item;
  item.request_id = text(body, "request_id");
  if (item.request_id.empty()) return fail("request_id: missing");
  const std::string state = text(body, "state");
  if (!parseRequestState(state, item.state)) {
    return fail("state: unknown request state \"", state, "\"");
  }
  item.at = parseIsoUtc(text(body, "at")).value_or(TimePoint{});
  item.by = text(body, "by");
  item.reason = text(body, "reason");
  item.reference = text(body, "reference");
  item.due_date = parseDate(text(body, "due_date"));
  if (HandledBy handled_by{}; parseHandledBy(text(body, "handled_by"), handled_by)) {
    item.handled_by = handled_by;
  }
  return item;
}

Result<ReportDeadlineItem> readReportDeadlineItem(const Object& body) {
  ReportDeadlineItem item;
  try {
    item.year = body.optValue<int>("year", 0);
  } catch (const Poco::Exception&) {
    return fail("year: expected a number");
  }
  const auto deadline = parseDate(text(body, "deadline"));
  if (!deadline) return fail("deadline: expected YYYY-MM-DD");
  const auto remind_from = parseDate(text(body, "remind_from"));
  if (!remind_from) return fail("remind_from: expected YYYY-MM-DD");
  item.deadline = *deadline;
  item.remind_from = *remind_from;
  return item;
}

SettingsItem readSettingsItem(const Object& body) {
  SettingsItem item;
  for (const auto& [key, value] : body) {
    // A null member sets nothing (Poco cannot make text of it: the exception ended every sync
    // before the cursor moved, and the feed stopped for good).
    if (value.isEmpty()) continue;
    try {
      item.values[key] = value.toString();
    } catch (const Poco::Exception&) {
      continue;  // a member with no text form is skipped, never the feed
    }
  }
  return item;
}

Result<RevocationStatusItem> readRevocationStatusItem(const Object& body) {
  RevocationStatusItem item;
  item.fingerprint = text(body, "fingerprint");
  if (item.fingerprint.empty()) return fail("fingerprint: missing");
  const std::string status = text(body, "status");
  if (!parseRevocationState(status, item.status.state)) {
    return fail("status: unknown revocation status \"", status, "\"");
  }
  auto as_of = optionalTime(body, "as_of");
  if (!as_of) return tl::unexpected(as_of.error());
  auto next_update = optionalTime(body, "next_update");
  if (!next_update) return tl::unexpected(next_update.error());
  auto revoked_at = optionalTime(body, "revoked_at");
  if (!revoked_at) return tl::unexpected(revoked_at.error());
  item.status.as_of = *as_of;
  item.next_update = *next_update;
  item.status.revoked_at = *revoked_at;
  if (CrlReason reason{}; parseCrlReason(text(body, "reason"), reason)) {
    item.status.reason = reason;
  }
  return item;
}

}  // namespace cks::sync
