#include "hub/store/province_views.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "core/time_format.h"
#include "hub/store/internal/agency_choice.h"
#include "hub/store/internal/keyset.h"
#include "hub/store/internal/sql.h"
#include "sync/protocol/json_text.h"

namespace cks::hub {
namespace {

using sql::SortColumn;
using sql::timeOf;

// Appends the conditions of `scope` on the rows of `table` (an alias whose rows have an
// agency_code and an agent_id, joined to `agents a`): one agency, one agent, and in a view
// that is not one agent's, the agents not revoked.
void restrictTo(sql::Statement& statement, const ViewScope& scope, const std::string& table) {
  if (!scope.agency_code.empty()) {
    statement += "AND " + table + ".agency_code = " + statement.bind(scope.agency_code) + " ";
  }
  if (scope.agent_id.empty()) {
    statement += "AND a.revoked = 0 ";
  } else {
    statement += "AND " + table + ".agent_id = " + statement.bind(scope.agent_id) + " ";
  }
}

// The columns of each certificate order, named as hub_agency_certificates and the sighting query
// (agency_choice.h) name them, `prefix` the alias. The agency and the fingerprint end each one: a
// certificate is once per agency in an agency's view, and once per agent (of one agency) in an
// agent's.
std::vector<SortColumn> certificateOrder(CertificateSort sort, const std::string& prefix) {
  const auto column = [&](const char* name) { return SortColumn{prefix + name, false}; };
  switch (sort) {
    case CertificateSort::CommonName:
      return {column("common_name"), column("agency_code"), column("fingerprint")};
    case CertificateSort::Agency:
      return {column("agency_code"), column("not_after"), column("common_name"),
              column("fingerprint")};
    case CertificateSort::NotAfter:
      break;
  }
  return {column("not_after"), column("agency_code"), column("common_name"), column("fingerprint")};
}

std::string cursorList(CertificateSort sort) {
  switch (sort) {
    case CertificateSort::CommonName:
      return "certificates/common_name";
    case CertificateSort::Agency:
      return "certificates/agency";
    case CertificateSort::NotAfter:
      break;
  }
  return "certificates/not_after";
}

// The instant the window of "at most `days` days left" ends at: the start (Vietnam time, as
// Certificate::daysLeft counts) of the day `days` + 1 after the day of `now`.
TimePoint expiryBound(TimePoint now, int days) {
  const TimeZone zone = vietnamTimeZone();
  const auto today = std::chrono::floor<std::chrono::days>(now + zone.offset);
  return TimePoint(today + std::chrono::days(days + 1)) - zone.offset;
}

// The conditions on the columns of `prefix` of a certificate in `status` at `now`, as
// Certificate::statusAt judges it: "expiring" when fewer than `expiring_days` calendar days are
// left (at most `expiring_days` - 1: before expiryBound of that).
std::string statusCondition(sql::Statement& statement, const std::string& prefix,
                            CertificateStatus status, TimePoint now, int expiring_days) {
  if (status == CertificateStatus::Unparseable) return "AND " + prefix + "parse_error <> '' ";
  const std::string at = statement.bind(formatIsoUtc(now));
  std::string out = "AND " + prefix + "parse_error = '' AND " + prefix + "not_before ";
  if (status == CertificateStatus::NotYetValid) return out + "> " + at + " ";
  out += "<= " + at + " AND " + prefix + "not_after ";
  if (status == CertificateStatus::Expired) return out + "<= " + at + " ";
  const std::string bound = statement.bind(formatIsoUtc(expiryBound(now, expiring_days - 1)));
  out += "> " + at + " AND " + prefix + "not_after ";
  return out + (status == CertificateStatus::Expiring ? "< " : ">= ") + bound + " ";
}

// Appends the conditions of `query` on the expiry of the rows of `prefix`: the window of
// `expiring_within_days` and the state asked for.
void appendExpiry(sql::Statement& statement, const CertificateQuery& query,
                  const std::string& prefix) {
  if (query.expiring_within_days) {
    // Within N days is "expiring" with an expiry setting of N + 1 days.
    statement += statusCondition(statement, prefix, CertificateStatus::Expiring, query.now,
                                 std::max(0, *query.expiring_within_days) + 1);
  }
  if (query.status) {
    statement += statusCondition(statement, prefix, *query.status, query.now, query.expiring_days);
  }
}

// `text` (lowered already) with LIKE's wildcards escaped with '!'.
std::string likePattern(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '!') out.push_back('!');
    out.push_back(c);
  }
  return out;
}

// The characters of a search the text index is asked for: enough to find few rows, few enough
// that it merges few trigrams' lists.
constexpr size_t kSearchedCharacters = 12;

// The first kSearchedCharacters of `text` as one FTS5 phrase: rows holding it anywhere in a
// column (the trigram tokenizer).
std::string ftsPhrase(const std::string& text) {
  std::string out = "\"";
  size_t characters = 0;
  for (const char c : text) {
    const bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts && ++characters > kSearchedCharacters) break;
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// A word of a search is counted in the text index up to this many rows (rarestPart).
constexpr std::int64_t kWordProbe = 1000;

// The part of `text` the text index is asked for (as ftsPhrase). The index walks the row lists
// of all of a phrase's trigrams, so a phrase holding one that every name has ("người 4242":
// "ngư") walks every row. Of its words of 3 characters or more, the one with the fewest rows is
// asked for instead (each counted up to kWordProbe: a common word stops the count early); the
// rows the whole text means are kept after it, as before. The whole text when every word is
// common (then the fewest rows come back through it) or none is 3 characters long.
Result<std::string> rarestPart(StoreConnection& c, const std::string& text) {
  std::string best = text;
  std::int64_t best_rows = kWordProbe;
  size_t from = 0;
  while (from < text.size()) {
    size_t to = text.find(' ', from);
    if (to == std::string::npos) to = text.size();
    const std::string word = text.substr(from, to - from);
    from = to + 1;
    if (word == text || characterCount(word) < kLeastSearchCharacters) continue;
    std::int64_t rows = 0;
    CKS_TRY(
        c.run("SELECT count(*) FROM (SELECT rowid FROM hub_certificate_search WHERE "
              "hub_certificate_search MATCH ?1 LIMIT ?2) p",
              {ftsPhrase(word), kWordProbe}, [&](const SqlRow& row) { rows = row.integer(0); }));
    if (rows < best_rows) {
      best = word;
      best_rows = rows;
    }
  }
  return best;
}

std::string asciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return text;
}

// The agency's view: each certificate's sighting chosen at ingest (agency_choice.h), in the
// columns certificateOf reads. The filters, the cursor, the order and the limit go on `k` alone,
// inside (its indexes cover them: a page is an index range); only the page's rows are joined to
// their sighting. (Joined before the cut, SQLite may plan the sightings as the outer loop and
// look each one's choice up by a scan: minutes a page.)
// `indexed_by`: "" or SQLite's "INDEXED BY name " (wideWindowIndex).
std::string chosenCertificates(const std::string& indexed_by) {
  return "SELECT c.agent_id, c.fingerprint, c.parse_error, c.subject, c.issuer, c.common_name, "
         "c.organization, c.organizational_units, c.locality, c.state, c.country, c.email, "
         "c.serial, c.not_before, c.not_after, c.key_usage, c.kind, k.earliest, c.last_seen, "
         "k.token_serial, k.token_label, k.plugged, k.agency_code "
         "FROM (SELECT * FROM hub_agency_certificates k " +
         indexed_by + "WHERE 1 = 1 ";
}

// A window of the certificates expiring this many or more is wide (wideWindowIndex).
constexpr int kWideWindow = 5000;

// SQLite's planner takes an expiry window (days=…, a state) from its range of the count index
// and sorts all of it before it cuts a page, even in another order (by name: ≈ 60,000 rows for
// 90 days at 1,000,000 certificates). In a wide window, walking the order's own index and
// keeping the rows inside it reads ≈ 51 × (certificates / window) rows, at most ≈ 51 ×
// certificates / kWideWindow; a narrow one is quicker sorted. Which one it is, counting at most
// kWideWindow of its rows, decides: the index to walk ("INDEXED BY …"), or "" to leave the plan
// to SQLite.
Result<std::string> wideWindowIndex(ConnectionPool& pool, const CertificateQuery& query) {
  if (pool.dialect() != SqlDialect::Sqlite || (!query.expiring_within_days && !query.status) ||
      query.sort == CertificateSort::NotAfter || !query.scope.agency_code.empty() ||
      !query.search.empty() || query.kind) {
    return std::string();
  }
  sql::Statement probe(
      "SELECT count(*) FROM (SELECT 1 FROM hub_agency_certificates k WHERE 1 = 1 ");
  appendExpiry(probe, query, "k.");
  probe += "LIMIT " + probe.bind(std::int64_t{kWideWindow}) + ") w";
  std::int64_t rows = 0;
  CKS_TRY(sql::read(pool, [&](StoreConnection& c) {
    return c.run(probe.text(), probe.params(), [&](const SqlRow& row) { rows = row.integer(0); });
  }));
  if (rows < kWideWindow) return std::string();
  return std::string(query.sort == CertificateSort::CommonName
                         ? "INDEXED BY hub_agency_certificates_name "
                         : "INDEXED BY hub_agency_certificates_agency ");
}

HubCertificate certificateOf(const SqlRow& row) {
  HubCertificate hc;
  hc.agent_id = row.text(0);
  InventoryCertificate& ic = hc.certificate;
  Certificate& cert = ic.certificate;
  cert.fingerprint_sha256 = row.text(1);
  cert.parse_error = row.text(2);
  cert.subject = row.text(3);
  cert.issuer = row.text(4);
  cert.common_name = row.text(5);
  cert.organization = row.text(6);
  cert.organizational_units = split(row.text(7), '\n');
  cert.locality = row.text(8);
  cert.state = row.text(9);
  cert.country = row.text(10);
  cert.email = row.text(11);
  cert.serial = row.text(12);
  cert.not_before = timeOf(row.text(13));
  cert.not_after = timeOf(row.text(14));
  cert.key_usage = split(row.text(15), ',');
  (void)parseSubscriberKind(row.text(16), cert.kind);  // written by this hub
  ic.first_seen = timeOf(row.text(17));
  ic.last_seen = timeOf(row.text(18));
  ic.token_serial = row.text(19);
  ic.token_label = row.text(20);
  ic.present = row.integer(21) != 0;
  hc.agency_code = row.text(22);
  return hc;
}

// Fills each certificate's token_serials: every token that holds it (a copy on several tokens,
// seen by any PC of the agency), the agent's token_serials, the same on both sides. Asked for
// kHoldersAsked fingerprints at a time (SQLite binds at most 32,766 parameters).
constexpr size_t kHoldersAsked = 500;

Status addHolders(StoreConnection& c, const ViewScope& scope, std::vector<HubCertificate>& page) {
  const auto holder_key = [&](const std::string& agent, const std::string& agency,
                              const std::string& fingerprint) {
    return (scope.agent_id.empty() ? agency : agent) + '\n' + fingerprint;
  };
  std::vector<std::string> fingerprints;
  {
    std::set<std::string> distinct;
    for (const auto& hc : page) distinct.insert(hc.certificate.certificate.fingerprint_sha256);
    fingerprints.assign(distinct.begin(), distinct.end());
  }
  std::map<std::string, std::set<std::string>> holders;  // agent or agency, fingerprint
  for (size_t first = 0; first < fingerprints.size(); first += kHoldersAsked) {
    sql::Statement statement(
        "SELECT c.agent_id, c.agency_code, c.fingerprint, t.serial "
        "FROM hub_token_certificates tc JOIN hub_certificates c ON c.id = tc.certificate_id "
        "JOIN hub_tokens t ON t.id = tc.token_id JOIN agents a ON a.agent_id = c.agent_id "
        "WHERE tc.on_token = 1 ");
    restrictTo(statement, scope, "c");
    std::string asked;
    for (size_t i = first; i < std::min(fingerprints.size(), first + kHoldersAsked); ++i) {
      if (!asked.empty()) asked += ", ";
      asked += statement.bind(fingerprints[i]);
    }
    statement += "AND c.fingerprint IN (" + asked + ")";
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      holders[holder_key(row.text(0), row.text(1), row.text(2))].insert(row.text(3));
    }));
  }
  for (auto& hc : page) {
    auto& ic = hc.certificate;
    const auto found =
        holders.find(holder_key(hc.agent_id, hc.agency_code, ic.certificate.fingerprint_sha256));
    if (found != holders.end()) {
      ic.token_serials.assign(found->second.begin(), found->second.end());
    }
  }
  return ok();
}

// The sort values of `hc` in `sort`'s order (certificateOrder).
std::vector<std::string> certificateKey(const HubCertificate& hc, CertificateSort sort,
                                        const std::string& not_after) {
  const auto& cert = hc.certificate.certificate;
  switch (sort) {
    case CertificateSort::CommonName:
      return {cert.common_name, hc.agency_code, cert.fingerprint_sha256};
    case CertificateSort::Agency:
      return {hc.agency_code, not_after, cert.common_name, cert.fingerprint_sha256};
    case CertificateSort::NotAfter:
      break;
  }
  return {not_after, hc.agency_code, cert.common_name, cert.fingerprint_sha256};
}

// The alerts' order; the severity as text ('0' critical … '2' info) so that every column of
// the cursor is text.
const std::vector<SortColumn>& alertOrder() {
  static const std::vector<SortColumn> order{
      {"CASE a.severity WHEN 'critical' THEN '0' WHEN 'warning' THEN '1' ELSE '2' END", false},
      {"a.raised_at", true},
      {"a.agency_code", false},
      {"a.uuid", false}};
  return order;
}

constexpr std::string_view kAlertsList = "alerts";

// The tokens' order: present first, then label, serial, manufacturer and agency (unique in a
// view), `prefix` the alias. Text throughout, as every keyset column is; the first column as
// hub_agency_tokens_order writes it (schema 11).
std::vector<SortColumn> tokenOrder(const std::string& prefix) {
  return {{"CASE WHEN " + prefix + "present = 1 THEN '0' ELSE '1' END", false},
          {prefix + "label", false},
          {prefix + "serial", false},
          {prefix + "manufacturer", false},
          {prefix + "agency_code", false}};
}

constexpr std::string_view kTokensList = "tokens";

// A page size no list reaches: one page holds every row.
constexpr std::int64_t kEveryRow = std::int64_t{1} << 60;

}  // namespace

Result<Page<HubToken>> ProvinceViews::tokens(const TokenQuery& query) {
  return tokenPage(query, sql::pageRows(query.page));
}

Result<std::vector<HubToken>> ProvinceViews::allTokens(const ViewScope& scope) {
  auto all = tokenPage({scope, {}}, kEveryRow);
  if (!all) return tl::unexpected(all.error());
  return std::move(all->items);
}

Result<Page<HubToken>> ProvinceViews::tokenPage(const TokenQuery& query, std::int64_t rows) {
  auto last = sql::decodeCursor(kTokensList, query.page.cursor, tokenOrder("").size());
  if (!last) return tl::unexpected(last.error());
  // The agency's view reads the choice made at ingest (hub_agency_tokens, `k`: its order index
  // gives the page; only the page's rows are joined to their agent's host); one agent's view is
  // small and chooses in the statement (kTokenSightings). The choice orders sightings by
  // presence and label, which the list sorts by, so the cursor applies after it.
  const bool chosen = query.scope.agent_id.empty();
  sql::Statement statement(
      chosen ? "SELECT k.agent_id, k.serial, k.manufacturer, k.label, k.model, k.pin_state, "
               "k.present, k.earliest, k.last_seen, k.cert_count, a.host, k.agency_code "
               "FROM (SELECT * FROM hub_agency_tokens k WHERE 1 = 1 "
             : sql::kTokenSightings);
  if (chosen) {
    if (!query.scope.agency_code.empty()) {
      statement += "AND k.agency_code = " + statement.bind(query.scope.agency_code) + " ";
    }
  } else {
    restrictTo(statement, query.scope, "t");
    statement +=
        ") SELECT agent_id, serial, manufacturer, label, model, pin_state, present, earliest, "
        "last_seen, cert_count, host, agency_code FROM sighting WHERE pick = 1 ";
  }
  // The filters on the chosen sighting's columns (on the page's `k`, or the sightings picked).
  const std::string column = chosen ? "k." : "";
  if (query.pin_state) {
    statement += "AND " + column +
                 "pin_state = " + statement.bind(std::string(toString(*query.pin_state))) + " ";
  }
  if (query.present) statement += "AND " + column + "present = " + (*query.present ? "1 " : "0 ");
  const auto order = tokenOrder(column);
  statement.after(order, std::move(*last));
  statement += "ORDER BY " + sql::orderBy(order) + " LIMIT " + statement.bind(rows + 1);
  if (chosen) {
    statement += ") k JOIN agents a ON a.agent_id = k.agent_id ORDER BY " + sql::orderBy(order);
  }
  return sql::read(pool_, [&](StoreConnection& c) -> Result<Page<HubToken>> {
    Page<HubToken> page;
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      if (std::int64_t(page.items.size()) == rows) {
        const auto& shown = page.items.back();
        const auto& t = shown.token;
        page.next_cursor =
            sql::encodeCursor(kTokensList, {t.present ? "0" : "1", t.token.label, t.token.serial,
                                            t.token.manufacturer, shown.agency_code});
        return;
      }
      HubToken ht;
      ht.agent_id = row.text(0);
      InventoryToken& t = ht.token;
      t.token = {row.text(1), row.text(2), row.text(3), row.text(4), PinState::Unknown};
      (void)parsePinState(row.text(5), t.token.pin_state);  // written by this hub
      t.present = row.integer(6) != 0;
      t.first_seen = timeOf(row.text(7));
      t.last_seen = timeOf(row.text(8));
      t.cert_count = int(row.integer(9));
      t.last_host = row.text(10);
      ht.agency_code = row.text(11);
      page.items.push_back(std::move(ht));
    }));
    return page;
  });
}

Result<Page<HubCertificate>> ProvinceViews::certificates(const CertificateQuery& query) {
  return certificatePage(query, sql::pageRows(query.page));
}

Result<Page<HubCertificate>> ProvinceViews::certificatePage(const CertificateQuery& query,
                                                            std::int64_t rows) {
  const std::string list = cursorList(query.sort);
  // The agency's view reads the choice made at ingest (hub_agency_certificates, `k`); one
  // agent's view is small and chooses in the statement (kSightings, `c`).
  const bool chosen = query.scope.agent_id.empty();
  const std::string prefix = chosen ? "k." : "c.";
  const auto inner = certificateOrder(query.sort, prefix);
  auto last = sql::decodeCursor(list, query.page.cursor, inner.size());
  if (!last) return tl::unexpected(last.error());
  std::string indexed_by;
  if (chosen) {
    auto wide = wideWindowIndex(pool_, query);
    if (!wide) return tl::unexpected(wide.error());
    indexed_by = std::move(*wide);
  }
  sql::Statement statement(chosen ? chosenCertificates(indexed_by) : std::string(sql::kSightings));
  if (chosen) {
    if (!query.scope.agency_code.empty()) {
      statement += "AND k.agency_code = " + statement.bind(query.scope.agency_code) + " ";
    }
  } else {
    restrictTo(statement, query.scope, "c");
  }
  const std::string search = asciiLower(query.search);
  if (!search.empty()) {
    const std::string contains = statement.bind("%" + likePattern(search) + "%");
    const std::string starts = statement.bind(likePattern(search) + "%");
    statement += "AND (lower(" + prefix + "common_name) LIKE " + contains +
                 " ESCAPE '!' OR lower(" + prefix + "serial) LIKE " + starts +
                 " ESCAPE '!' OR lower(" + prefix + "fingerprint) LIKE " + starts + " ESCAPE '!') ";
    // On PostgreSQL those conditions are the text index's (pg_trgm on the lowered columns); on
    // SQLite the index is its own table (FTS5), whose rows containing the text's rarest word's
    // first characters (its case folded wider than ASCII: a superset) are looked up first
    // across the province. One agency's rows are few: read as they are.
    if (chosen && query.scope.agency_code.empty() && pool_.dialect() == SqlDialect::Sqlite &&
        characterCount(query.search) >= kLeastSearchCharacters) {
      auto part = sql::read(pool_, [&](StoreConnection& c) { return rarestPart(c, query.search); });
      if (!part) return tl::unexpected(part.error());
      statement +=
          "AND k.rowid IN (SELECT rowid FROM hub_certificate_search WHERE "
          "hub_certificate_search MATCH " +
          statement.bind(ftsPhrase(*part)) + ") ";
    }
  }
  appendExpiry(statement, query, prefix);
  if (query.kind) {
    statement +=
        "AND " + prefix + "kind = " + statement.bind(std::string(toString(*query.kind))) + " ";
  }
  statement.after(inner, std::move(*last));
  if (chosen) {
    const std::string order = sql::orderBy(inner);
    statement += "ORDER BY " + order + " LIMIT " + statement.bind(rows + 1) +
                 ") k JOIN hub_certificates c ON c.id = k.certificate_id ORDER BY " + order;
  } else {
    statement +=
        ") SELECT agent_id, fingerprint, parse_error, subject, issuer, common_name, "
        "organization, organizational_units, locality, state, country, email, serial, "
        "not_before, not_after, key_usage, kind, earliest, last_seen, token_serial, "
        "token_label, plugged, agency_code FROM sighting WHERE pick = 1 ORDER BY " +
        sql::orderBy(certificateOrder(query.sort, "")) + " LIMIT " + statement.bind(rows + 1);
  }
  return sql::read(pool_, [&](StoreConnection& c) -> Result<Page<HubCertificate>> {
    Page<HubCertificate> page;
    std::string last_not_after;
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      if (std::int64_t(page.items.size()) == rows) {
        const auto& shown = page.items.back();
        page.next_cursor =
            sql::encodeCursor(list, certificateKey(shown, query.sort, last_not_after));
        return;
      }
      last_not_after = row.text(14);
      page.items.push_back(certificateOf(row));
    }));
    CKS_TRY(addHolders(c, query.scope, page.items));
    return page;
  });
}

Result<std::vector<HubCertificate>> ProvinceViews::allCertificates(const ViewScope& scope) {
  // One statement, not page after page: each page would choose the sightings of the rest again.
  CertificateQuery query;
  query.scope = scope;
  auto all = certificatePage(query, kEveryRow);
  if (!all) return tl::unexpected(all.error());
  return std::move(all->items);
}

Result<std::string> ProvinceViews::certificateName(const std::string& agency_code,
                                                   const std::string& fingerprint) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::string> {
    std::string name;
    CKS_TRY(c.run(
        "SELECT common_name FROM hub_agency_certificates WHERE agency_code = ?1 AND "
        "fingerprint = ?2",
        {agency_code, asciiLower(fingerprint)}, [&](const SqlRow& row) { name = row.text(0); }));
    return name;
  });
}

Result<InventoryCounts> ProvinceViews::inventoryCounts(TimePoint now) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<InventoryCounts> {
    InventoryCounts counts;
    const std::string at = formatIsoUtc(now);
    // The certificate list's expiry window (certificatePage), on the choice's index.
    const auto expiring = [&](int days, std::int64_t& count) {
      return c.run(
          "SELECT count(*) FROM hub_agency_certificates WHERE not_after > ?1 AND not_after < ?2 "
          "AND not_before <= ?1 AND parse_error = ''",
          {at, formatIsoUtc(expiryBound(now, days))},
          [&](const SqlRow& row) { count = row.integer(0); });
    };
    CKS_TRY(expiring(30, counts.expiring_30));
    CKS_TRY(expiring(90, counts.expiring_90));
    CKS_TRY(
        c.run("SELECT count(*) FROM hub_agency_certificates WHERE not_after <= ?1 AND "
              "parse_error = '' AND on_token = 1",
              {at}, [&](const SqlRow& row) { counts.expired_on_token = row.integer(0); }));
    // Once per physical token of an agency, as the token list chose its sighting (the PC it is
    // plugged into, else the latest): the figure is the length of the list it links to.
    CKS_TRY(c.run("SELECT count(*) FROM hub_agency_tokens WHERE pin_state = 'locked'", {},
                  [&](const SqlRow& row) { counts.locked_tokens = row.integer(0); }));
    return counts;
  });
}

Status ProvinceViews::chooseFromBefore() {
  return sql::transaction(
      pool_, [this](StoreConnection& c) { return sql::chooseFromBefore(c, pool_.dialect()); });
}

Result<Page<HubAlert>> ProvinceViews::alerts(const AlertFilter& filter) {
  auto last = sql::decodeCursor(kAlertsList, filter.page.cursor, alertOrder().size());
  if (!last) return tl::unexpected(last.error());
  const int rows = sql::pageRows(filter.page);
  sql::Statement statement(
      "SELECT a.agency_code, g.name, a.agent_id, a.uuid, a.kind, a.severity, a.state, "
      "a.fingerprint, a.token_serial, a.module, a.threshold_days, a.raised_at, a.changed_at, "
      "a.snoozed_until, a.resolution, a.params "
      "FROM hub_alerts a JOIN agencies g ON g.code = a.agency_code "
      "JOIN agents ag ON ag.agent_id = a.agent_id WHERE ag.revoked = 0 ");
  if (!filter.agency_code.empty()) {
    statement += "AND a.agency_code = " + statement.bind(filter.agency_code) + " ";
  }
  if (!filter.include_resolved) statement += "AND a.state <> 'resolved' ";
  if (filter.severity) {
    // As a range of the order's first column (hub_alerts_order), where that severity's alerts
    // are, rather than a walk past every worse one: its CASE of the value asked for. The same
    // rows: the hub stores only the severities it knows (sync/protocol/alert_entry.cc). Not as
    // `a.severity = ?` too: SQLite would put the value into the CASE and lose the index.
    const std::string& rank = alertOrder().front().expression;
    std::string asked = rank;
    asked.replace(asked.find("a.severity"), std::string_view("a.severity").size(),
                  statement.bind(std::string(toString(*filter.severity))));
    statement += "AND " + rank + " >= " + asked + " AND " + rank + " <= " + asked + " ";
  }
  statement.after(alertOrder(), std::move(*last));
  statement +=
      "ORDER BY " + sql::orderBy(alertOrder()) + " LIMIT " + statement.bind(std::int64_t{rows} + 1);
  return sql::read(pool_, [&](StoreConnection& c) -> Result<Page<HubAlert>> {
    Page<HubAlert> page;
    std::vector<HubAlert>& out = page.items;
    std::string last_raised;
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      if (out.size() == size_t(rows)) {
        const auto& shown = out.back();
        const std::string rank = shown.alert.severity == Severity::Critical  ? "0"
                                 : shown.alert.severity == Severity::Warning ? "1"
                                                                             : "2";
        page.next_cursor = sql::encodeCursor(
            kAlertsList, {rank, last_raised, shown.agency_code, shown.alert.uuid});
        return;
      }
      last_raised = row.text(11);
      HubAlert h;
      h.agency_code = row.text(0);
      h.agency_name = row.text(1);
      h.agent_id = row.text(2);
      AlertChange& a = h.alert;
      a.uuid = row.text(3);
      // Written by this hub from wire names it knows.
      (void)parseAlertKind(row.text(4), a.kind);
      (void)parseSeverity(row.text(5), a.severity);
      (void)parseAlertState(row.text(6), a.state);
      auto optionalText = [&](int column) -> std::optional<std::string> {
        if (row.isNull(column)) return std::nullopt;
        return row.text(column);
      };
      a.fingerprint = optionalText(7);
      a.token_serial = optionalText(8);
      a.module = optionalText(9);
      if (!row.isNull(10)) a.threshold_days = int(row.integer(10));
      a.raised_at = timeOf(row.text(11));
      a.changed_at = timeOf(row.text(12));
      if (!row.isNull(13)) a.snoozed_until = timeOf(row.text(13));
      a.resolution = optionalText(14);
      a.params = sync::stringMapOf(row.text(15));
      out.push_back(std::move(h));
    }));
    return page;
  });
}

}  // namespace cks::hub
