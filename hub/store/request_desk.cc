#include "hub/store/request_desk.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/time_format.h"
#include "hub/store/internal/keyset.h"
#include "hub/store/internal/sql.h"
#include "sync/protocol/json_text.h"

namespace cks::hub {
namespace {

using sql::journal;
using sql::listOf;
using sql::queueFeedItem;
using sql::requestStatusBody;
using sql::textOrNull;
using sql::timeOf;

// The soonest due first, those without a due date last; all text (keyset.h). A request not
// received yet (cancelled before it arrived) has no receipt: it sorts as "" in both databases.
const std::vector<sql::SortColumn>& requestOrder() {
  static const std::vector<sql::SortColumn> order{
      {"CASE WHEN r.due_date IS NULL THEN '1' ELSE '0' END", false},
      {"coalesce(r.due_date, '')", false},
      {"coalesce(r.received_at, '')", false},
      {"r.created_at", false},
      {"r.id", false}};
  return order;
}

constexpr std::string_view kRequestsList = "requests";

// One page of the requests `filter` names, with their journals, on `c`.
Result<Page<HubRequest>> loadRequests(StoreConnection& c, const RequestFilter& filter) {
  auto last = sql::decodeCursor(kRequestsList, filter.page.cursor, requestOrder().size());
  if (!last) return tl::unexpected(last.error());
  const int rows = sql::pageRows(filter.page);
  sql::Statement statement(
      "SELECT r.id, r.agency_code, g.name, r.agent_id, r.kind, r.state, r.form, r.subscriber, "
      "r.fingerprint, r.token_serial, r.change_case, r.revocation_reason, r.fields, "
      "r.filed_handled_by, r.handled_by, r.supersedes, r.created_at, r.received_at, "
      "r.due_date, r.reason, r.reference "
      "FROM hub_requests r JOIN agencies g ON g.code = r.agency_code WHERE 1 = 1 ");
  if (!filter.agency_code.empty()) {
    statement += "AND r.agency_code = " + statement.bind(filter.agency_code) + " ";
  }
  if (filter.state) {
    statement += "AND r.state = " + statement.bind(std::string(toString(*filter.state))) + " ";
  }
  if (!filter.id.empty()) statement += "AND r.id = " + statement.bind(filter.id) + " ";
  statement.after(requestOrder(), std::move(*last));
  statement += "ORDER BY " + sql::orderBy(requestOrder()) + " LIMIT " +
               statement.bind(std::int64_t{rows} + 1);
  Page<HubRequest> page;
  std::vector<HubRequest>& out = page.items;
  std::vector<std::string> last_key;
  CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
    if (out.size() == size_t(rows)) {
      page.next_cursor = sql::encodeCursor(kRequestsList, last_key);
      return;
    }
    last_key = {row.isNull(18) ? "1" : "0", row.text(18), row.text(17), row.text(16), row.text(0)};
    HubRequest h;
    Request& r = h.request;
    // Written by this hub from wire names it knows.
    r.id = row.text(0);
    h.agency_code = row.text(1);
    h.agency_name = row.text(2);
    h.agent_id = row.text(3);
    (void)parseRequestKind(row.text(4), r.kind);
    (void)parseRequestState(row.text(5), r.state);
    (void)parseForm(row.text(6), h.form);
    (void)parseSubscriberKind(row.text(7), r.subscriber);
    r.fingerprint_sha256 = row.text(8);
    r.token_serial = row.text(9);
    if (ChangeCase value{}; !row.isNull(10) && parseChangeCase(row.text(10), value)) {
      r.change_case = value;
    }
    if (RevocationReason value{}; !row.isNull(11) && parseRevocationReason(row.text(11), value)) {
      r.revocation_reason = value;
    }
    r.fields = sync::stringMapOf(row.text(12));
    (void)parseHandledBy(row.text(13), h.filed_handled_by);
    (void)parseHandledBy(row.text(14), r.handled_by);
    h.supersedes = listOf(row.text(15));
    r.created_at = timeOf(row.text(16));
    if (!row.isNull(17)) r.received_at = timeOf(row.text(17));
    if (!row.isNull(18)) h.due_date = parseDate(row.text(18));
    r.reason = row.text(19);
    h.reference = row.text(20);
    out.push_back(std::move(h));
  }));
  if (out.empty()) return page;
  std::map<std::pair<std::string, std::string>, HubRequest*> by_id;  // agency, id
  std::vector<SqlValue> ids;
  std::string asked;
  for (auto& h : out) {
    by_id[{h.agency_code, h.request.id}] = &h;
    if (!asked.empty()) asked += ", ";
    asked += "?" + std::to_string(ids.size() + 1);
    ids.emplace_back(h.request.id);
  }
  CKS_TRY(
      c.run("SELECT e.agency_code, e.request_id, e.event, e.at, e.actor, e.reason, "
            "e.reference FROM hub_request_events e WHERE e.request_id IN (" +
                asked + ") ORDER BY e.id",
            ids, [&](const SqlRow& row) {
              const auto found = by_id.find({row.text(0), row.text(1)});
              if (found == by_id.end()) return;
              found->second->history.push_back(
                  {row.text(2), timeOf(row.text(3)), row.text(4), row.text(5), row.text(6)});
            }));
  return page;
}

}  // namespace

Result<Page<HubRequest>> RequestDesk::requests(const RequestFilter& filter) {
  return sql::read(pool_, [&](StoreConnection& c) { return loadRequests(c, filter); });
}

Result<std::vector<OpenRequestCount>> RequestDesk::openRequests() {
  sql::Statement statement(
      "SELECT state, coalesce(due_date, ''), count(*) FROM hub_requests WHERE state NOT IN (");
  std::string terminal;
  for (const RequestState state : allRequestStates()) {
    if (!isTerminal(state)) continue;
    if (!terminal.empty()) terminal += ", ";
    terminal += statement.bind(std::string(toString(state)));
  }
  // Grouped as hub_requests_open holds them (no due date is a group of its own: NULL).
  statement += terminal + ") GROUP BY state, due_date";
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<OpenRequestCount>> {
    std::vector<OpenRequestCount> out;
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      OpenRequestCount line;
      if (!parseRequestState(row.text(0), line.state)) return;  // written by this hub
      line.due_date = row.text(1);
      line.count = row.integer(2);
      out.push_back(std::move(line));
    }));
    return out;
  });
}

Result<TransitionOutcome> RequestDesk::transitionRequest(const RequestTransition& step) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<TransitionOutcome> {
    auto found = loadRequests(c, {"", std::nullopt, step.id, {}});
    if (!found) return tl::unexpected(found.error());
    TransitionOutcome outcome;
    if (found->items.empty()) {
      outcome.kind = TransitionOutcome::Kind::Unknown;
      return outcome;
    }
    const HubRequest& before = found->items.front();
    if (auto refusal = checkTransition(before.request.state, step.to)) {
      outcome.kind = TransitionOutcome::Kind::Refused;
      outcome.refusal = std::move(*refusal);
      return outcome;
    }
    const std::string at = formatIsoUtc(step.at);
    // The request keeps why it was rejected; a note on another step stays in the journal.
    const std::string reason =
        step.to == RequestState::Rejected ? step.reason : before.request.reason;
    const std::string reference = step.reference.empty() ? before.reference : step.reference;
    // Only from the state just read: on PostgreSQL another admin may have moved it meanwhile.
    auto changed = c.run(
        "UPDATE hub_requests SET state = ?2, reason = ?3, reference = ?4, updated_at = ?5 "
        "WHERE id = ?1 AND state = ?6",
        {step.id, std::string(toString(step.to)), textOrNull(reason), textOrNull(reference), at,
         std::string(toString(before.request.state))});
    if (!changed) return tl::unexpected(changed.error());
    if (*changed != 1) {
      return fail("store: ", c.where(), ": request ", step.id,
                  " was changed by someone else just now; look at it again");
    }
    CKS_TRY(journal(c, before.agency_code, step.id, std::string(toString(step.to)), at, step.by,
                    step.reason, step.reference));
    CKS_TRY(queueFeedItem(c, before.agent_id, "request_status",
                          requestStatusBody(step.id, step.to, at, step.by, step.reason, reference,
                                            before.due_date ? formatDate(*before.due_date) : "",
                                            before.request.handled_by),
                          at));
    auto after = loadRequests(c, {"", std::nullopt, step.id, {}});
    if (!after) return tl::unexpected(after.error());
    CKS_CHECK(after->items.size() == 1);
    outcome.request = std::move(after->items.front());
    return outcome;
  });
}

}  // namespace cks::hub
