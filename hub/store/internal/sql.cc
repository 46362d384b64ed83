#include "hub/store/internal/sql.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <sstream>

#include "core/time_format.h"
#include "core/working_days.h"
#include "sync/protocol/feed_items.h"

namespace cks::hub::sql {

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

SqlValue textOrNull(const std::string& text) { return text.empty() ? SqlValue() : SqlValue(text); }

std::optional<TimePoint> optionalTime(const SqlRow& row, int column) {
  if (row.isNull(column)) return std::nullopt;
  return timeOf(row.text(column));
}

SqlValue timeOrNull(const std::optional<TimePoint>& at) {
  return at ? SqlValue(formatIsoUtc(*at)) : SqlValue(std::nullopt);
}

std::string listJson(const std::vector<std::string>& items) {
  Poco::JSON::Array array;
  for (const auto& item : items) array.add(item);
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::vector<std::string> listOf(const std::string& json) {
  std::vector<std::string> items;
  try {
    Poco::JSON::Parser parser;
    const auto array = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < array->size(); ++i) {
      if (array->get(i).isString()) items.push_back(array->get(i).extract<std::string>());
    }
  } catch (const Poco::Exception&) {
    items.clear();
  }
  return items;
}

Result<std::int64_t> returnedId(StoreConnection& c, std::string_view sql,
                                const std::vector<SqlValue>& params) {
  std::optional<std::int64_t> id;
  CKS_TRY(c.run(sql, params, [&](const SqlRow& row) { id = row.integer(0); }));
  CKS_CHECK(id.has_value());
  return *id;
}

Status queueFeedItem(StoreConnection& c, const std::string& agent_id, const std::string& kind,
                     const std::string& body, const std::string& at) {
  return c
      .run(
          "INSERT INTO feed (agent_id, seq, kind, body, created_at) VALUES "
          "(?1, (SELECT coalesce(max(seq), 0) + 1 FROM feed WHERE agent_id = ?1), ?2, ?3, ?4)",
          {agent_id, kind, body, at})
      .map([](auto) {});
}

Result<int> tellAgencies(StoreConnection& c, const std::vector<std::string>& agency_codes,
                         const std::string& kind, const std::string& body, const std::string& at) {
  int told = 0;
  for (const auto& code : agency_codes) {
    std::vector<std::string> ids;
    CKS_TRY(c.run("SELECT agent_id FROM agents WHERE agency_code = ?1 ORDER BY agent_id", {code},
                  [&](const SqlRow& row) { ids.push_back(row.text(0)); }));
    for (const auto& id : ids) {
      CKS_TRY(queueFeedItem(c, id, kind, body, at));
      ++told;
    }
  }
  return told;
}

std::string agencyBody(const std::string& code, const std::string& name) {
  sync::AgencyItem item;
  item.code = code;
  item.name = name;
  return sync::encodeItem(item);
}

std::string requestStatusBody(const std::string& id, RequestState state, const std::string& at,
                              const std::string& by, const std::string& reason,
                              const std::string& reference, const std::string& due_date,
                              HandledBy handled_by) {
  return sync::encodeItem(sync::RequestStatusItem{id, state, timeOf(at), by, reason, reference,
                                                  parseDate(due_date), handled_by});
}

Status journal(StoreConnection& c, const std::string& agency_code, const std::string& id,
               const std::string& event, const std::string& at, const std::string& by,
               const std::string& reason, const std::string& reference) {
  return c
      .run(
          "INSERT INTO hub_request_events (agency_code, request_id, event, at, actor, reason, "
          "reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          {agency_code, id, event, at, by, textOrNull(reason), textOrNull(reference)})
      .map([](auto) {});
}

}  // namespace cks::hub::sql
