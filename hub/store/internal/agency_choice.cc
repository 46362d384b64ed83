#include "hub/store/internal/agency_choice.h"

#include <algorithm>
#include <vector>

#include "hub/store/internal/keyset.h"

namespace cks::hub::sql {
namespace {

// SQLite binds at most 32,766 parameters: fingerprints are chosen this many at a time.
constexpr size_t kChosenAtOnce = 500;

// The chosen sighting of each certificate the conditions appended to kSightings leave, as a
// row of hub_agency_certificates.
constexpr std::string_view kChosen =
    ") INSERT INTO hub_agency_certificates (agency_code, fingerprint, certificate_id, agent_id, "
    "common_name, serial, parse_error, not_before, not_after, earliest, token_serial, "
    "token_label, plugged, on_token, kind) SELECT agency_code, fingerprint, certificate_id, "
    "agent_id, common_name, serial, parse_error, not_before, not_after, earliest, token_serial, "
    "token_label, plugged, on_token, kind FROM sighting WHERE pick = 1";

// The chosen sighting of each token the conditions appended to kTokenSightings leave, as a row
// of hub_agency_tokens.
constexpr std::string_view kTokenChosen =
    ") INSERT INTO hub_agency_tokens (agency_code, serial, manufacturer, token_id, agent_id, "
    "label, model, pin_state, present, earliest, last_seen, cert_count) SELECT agency_code, "
    "serial, manufacturer, token_id, agent_id, label, model, pin_state, present, earliest, "
    "last_seen, cert_count FROM sighting WHERE pick = 1";

// Whether the choice `name` (a row of hub_choices) is still to be made for the data of before;
// marks it made.
Result<bool> unmade(StoreConnection& c, const std::string& name) {
  std::int64_t made = 1;
  CKS_TRY(c.run("SELECT made FROM hub_choices WHERE name = ?1", {name},
                [&](const SqlRow& row) { made = row.integer(0); }));
  if (made != 0) return false;
  CKS_TRY(c.run("UPDATE hub_choices SET made = 1 WHERE name = ?1", {name}));
  return true;
}

// Makes the choice in `table` again for every row of `agency_code`: `sightings` (its rows
// aliased `alias`) with `chosen` inserting them.
Status chooseAgency(StoreConnection& c, const std::string& agency_code, std::string_view table,
                    std::string_view sightings, std::string_view alias, std::string_view chosen) {
  CKS_TRY(c.run("DELETE FROM " + std::string(table) + " WHERE agency_code = ?1", {agency_code}));
  Statement choose(sightings);
  choose += "AND a.revoked = 0 AND " + std::string(alias) +
            ".agency_code = " + choose.bind(agency_code) + " ";
  choose += chosen;
  return c.run(choose.text(), choose.params()).map([](auto) {});
}

}  // namespace

const std::string_view kTokenSightings =
    "WITH sighting AS (SELECT t.agent_id, t.serial, t.manufacturer, t.label, t.model, "
    "t.pin_state, t.present, "
    "min(t.first_seen) OVER (PARTITION BY t.agency_code, t.serial, t.manufacturer) AS earliest, "
    "t.last_seen, (SELECT count(*) FROM hub_token_certificates tc WHERE tc.token_id = t.id "
    "AND tc.on_token = 1) AS cert_count, a.host, t.agency_code, t.id AS token_id, "
    "row_number() OVER (PARTITION BY t.agency_code, t.serial, t.manufacturer ORDER BY "
    "t.present DESC, t.last_seen DESC, t.agent_id DESC) AS pick "
    "FROM hub_tokens t JOIN agents a ON a.agent_id = t.agent_id WHERE 1 = 1 ";

// The filters go inside, before the choice: every sighting of a certificate in an agency has
// the same sort values. Only a condition a query uses is in its statement (keyset.h).
const std::string_view kSightings =
    "WITH sighting AS (SELECT c.agent_id, c.fingerprint, c.parse_error, c.subject, c.issuer, "
    "c.common_name, c.organization, c.organizational_units, c.locality, c.state, c.country, "
    "c.email, c.serial, c.not_before, c.not_after, c.key_usage, c.kind, "
    "min(c.first_seen) OVER (PARTITION BY c.agency_code, c.fingerprint) AS earliest, "
    "c.last_seen, coalesce(t.serial, '') AS token_serial, coalesce(t.label, '') AS token_label, "
    "CASE WHEN t.present = 1 AND tc.on_token = 1 THEN 1 ELSE 0 END AS plugged, c.agency_code, "
    "row_number() OVER (PARTITION BY c.agency_code, c.fingerprint ORDER BY "
    "CASE WHEN t.present = 1 AND tc.on_token = 1 THEN 1 ELSE 0 END DESC, c.last_seen DESC, "
    "c.agent_id DESC) AS pick, c.id AS certificate_id, coalesce(tc.on_token, 0) AS on_token "
    "FROM hub_certificates c "
    "LEFT JOIN hub_token_certificates tc ON tc.certificate_id = c.id AND tc.token_id = ("
    "  SELECT tc2.token_id FROM hub_token_certificates tc2 "
    "  JOIN hub_tokens t2 ON t2.id = tc2.token_id WHERE tc2.certificate_id = c.id"
    "  ORDER BY CASE WHEN t2.present = 1 AND tc2.on_token = 1 THEN 1 ELSE 0 END DESC, "
    "  tc2.last_seen DESC, t2.serial ASC LIMIT 1) "
    "LEFT JOIN hub_tokens t ON t.id = tc.token_id "
    "JOIN agents a ON a.agent_id = c.agent_id WHERE 1 = 1 ";

Status chooseCertificates(StoreConnection& c, const std::string& agency_code,
                          const std::set<std::string>& fingerprints) {
  const std::vector<std::string> all(fingerprints.begin(), fingerprints.end());
  for (size_t first = 0; first < all.size(); first += kChosenAtOnce) {
    const size_t end = std::min(all.size(), first + kChosenAtOnce);
    // Both statements bind the agency as ?1 and the fingerprints as ?2 … in the same order.
    Statement forget("DELETE FROM hub_agency_certificates WHERE agency_code = ");
    Statement choose(kSightings);
    forget += forget.bind(agency_code);
    choose += "AND a.revoked = 0 AND c.agency_code = " + choose.bind(agency_code);
    std::string asked;
    for (size_t i = first; i < end; ++i) {
      if (!asked.empty()) asked += ", ";
      asked += forget.bind(all[i]);
      (void)choose.bind(all[i]);
    }
    forget += " AND fingerprint IN (" + asked + ")";
    choose += " AND c.fingerprint IN (" + asked + ") ";
    choose += kChosen;
    CKS_TRY(c.run(forget.text(), forget.params()));
    CKS_TRY(c.run(choose.text(), choose.params()));
  }
  return ok();
}

Status chooseAgencyCertificates(StoreConnection& c, const std::string& agency_code) {
  return chooseAgency(c, agency_code, "hub_agency_certificates", kSightings, "c", kChosen);
}

Status chooseAgencyTokens(StoreConnection& c, const std::string& agency_code) {
  return chooseAgency(c, agency_code, "hub_agency_tokens", kTokenSightings, "t", kTokenChosen);
}

Status chooseFromBefore(StoreConnection& c, SqlDialect dialect) {
  auto certificates = unmade(c, "agency_certificates");
  if (!certificates) return tl::unexpected(certificates.error());
  auto tokens = unmade(c, "agency_tokens");
  if (!tokens) return tl::unexpected(tokens.error());
  // PostgreSQL plans a table it has no statistics of (one filled since its last analysis: a
  // store restored from a dump, the bench's) as a few rows, and then joins a million sightings
  // to their tokens by nested scans: hours. SQLite's planner without statistics trusts the
  // indexes, which is right for these statements.
  if ((*certificates || *tokens) && dialect == SqlDialect::Postgresql) {
    CKS_TRY(c.run("ANALYZE hub_certificates, hub_token_certificates, hub_tokens, agents"));
  }
  if (*certificates) {
    CKS_TRY(c.run("DELETE FROM hub_agency_certificates"));
    CKS_TRY(c.run(std::string(kSightings) + "AND a.revoked = 0 " + std::string(kChosen)));
  }
  if (*tokens) {
    CKS_TRY(c.run("DELETE FROM hub_agency_tokens"));
    CKS_TRY(c.run(std::string(kTokenSightings) + "AND a.revoked = 0 " + std::string(kTokenChosen)));
  }
  return ok();
}

}  // namespace cks::hub::sql
