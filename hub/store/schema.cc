#include "hub/store/schema.h"

namespace cks::hub {

const std::vector<std::string_view>& sqliteMigrations() {
  static const std::vector<std::string_view> migrations = {
      R"sql(
CREATE TABLE agencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE enroll_codes (
  code_hash TEXT PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  name TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT
);
CREATE TABLE agents (
  agent_id TEXT PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  host TEXT NOT NULL,
  agent_version TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  last_contact TEXT,
  clock_offset_seconds INTEGER,
  backlog INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agents_agency ON agents (agency_code);
CREATE TABLE entries (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  lane TEXT NOT NULL,
  seq INTEGER NOT NULL,
  uuid TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (agent_id, lane, seq)
);
CREATE TABLE lane_state (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  lane TEXT NOT NULL,
  acked INTEGER NOT NULL,
  PRIMARY KEY (agent_id, lane)
);
CREATE TABLE feed (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, seq)
);
CREATE TABLE hub_tokens (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT NOT NULL,
  serial TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  label TEXT NOT NULL,
  model TEXT NOT NULL,
  pin_state TEXT NOT NULL,
  present INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (agent_id, serial, manufacturer)
);
CREATE INDEX hub_tokens_agency ON hub_tokens (agency_code);
CREATE TABLE hub_certificates (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  der BLOB NOT NULL,
  parse_error TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  common_name TEXT NOT NULL,
  organization TEXT NOT NULL,
  organizational_units TEXT NOT NULL,
  locality TEXT NOT NULL,
  state TEXT NOT NULL,
  country TEXT NOT NULL,
  email TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  key_usage TEXT NOT NULL,
  kind TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (agent_id, fingerprint)
);
CREATE INDEX hub_certificates_agency ON hub_certificates (agency_code, not_after);
CREATE TABLE hub_token_certificates (
  token_id INTEGER NOT NULL REFERENCES hub_tokens (id) ON DELETE CASCADE,
  certificate_id INTEGER NOT NULL REFERENCES hub_certificates (id) ON DELETE CASCADE,
  on_token INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (token_id, certificate_id)
);
CREATE INDEX hub_token_certificates_certificate ON hub_token_certificates (certificate_id);
)sql",
      // 2: every agency's alerts, their latest state (docs/alerts.md, "Sync").
      R"sql(
CREATE TABLE hub_alerts (
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  uuid TEXT NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  lane TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  fingerprint TEXT,
  token_serial TEXT,
  module TEXT,
  threshold_days INTEGER,
  raised_at TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  snoozed_until TEXT,
  resolution TEXT,
  params TEXT NOT NULL,
  PRIMARY KEY (agency_code, uuid)
);
CREATE INDEX hub_alerts_state ON hub_alerts (state, agency_code);
)sql",
      // 3: every agency's requests and their journal (docs/requests.md, docs/hub.md).
      R"sql(
CREATE TABLE hub_requests (
  id TEXT PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  form TEXT NOT NULL,
  subscriber TEXT NOT NULL,
  fingerprint TEXT,
  token_serial TEXT,
  change_case TEXT,
  revocation_reason TEXT,
  fields TEXT NOT NULL,
  filed_handled_by TEXT NOT NULL,
  handled_by TEXT NOT NULL,
  supersedes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  received_at TEXT,
  due_date TEXT,
  reason TEXT,
  reference TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX hub_requests_agency ON hub_requests (agency_code, state);
CREATE TABLE hub_request_events (
  id INTEGER PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  request_id TEXT NOT NULL,
  event TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  reference TEXT
);
CREATE INDEX hub_request_events_request ON hub_request_events (request_id, id);
)sql",
      // 4: every version of every agency's yearly report, and of every province's aggregate
      // at a national hub (docs/report.md, "Province side", "Upward to the nation").
      R"sql(
CREATE TABLE hub_reports (
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  submitted_at TEXT NOT NULL,
  as_of TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (agency_code, year, version)
);
CREATE INDEX hub_reports_year ON hub_reports (year, agency_code, version);
CREATE TABLE hub_province_reports (
  province_code TEXT NOT NULL REFERENCES agencies (code),
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  submitted_at TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (province_code, year, version)
);
)sql",
      // 5: the agencies whose officer is working on the year's report (report_draft_saved):
      // the latest save of each agency and year; the draft itself stays on the agent.
      R"sql(
CREATE TABLE hub_report_drafts (
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  year INTEGER NOT NULL,
  saved_at TEXT NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents (agent_id),
  received_at TEXT NOT NULL,
  PRIMARY KEY (agency_code, year)
);
)sql",
      // 6: the agency directory (type and parent, from enroll-code --type or agencies import;
      // agencies from before get the type their name suggested, set once when the store opens:
      // hub/store/registry.cc typeAgenciesFromBefore) and enrolment codes the province withdrew.
      R"sql(
ALTER TABLE agencies ADD COLUMN type TEXT;
ALTER TABLE agencies ADD COLUMN parent TEXT;
ALTER TABLE enroll_codes ADD COLUMN revoked_at TEXT;
)sql",
      // 7: the indexes of the paged lists (hub/store/province_views.cc, request_desk.cc): the
      // province's certificates by expiry and by name, a certificate's sightings by fingerprint
      // (which tokens hold it), alerts by when they were raised, requests by due date.
      R"sql(
CREATE INDEX hub_certificates_not_after ON hub_certificates (not_after, agency_code);
CREATE INDEX hub_certificates_name ON hub_certificates (common_name, agency_code);
CREATE INDEX hub_certificates_fingerprint ON hub_certificates (fingerprint, agency_code);
CREATE INDEX hub_alerts_raised ON hub_alerts (raised_at);
CREATE INDEX hub_requests_due ON hub_requests (due_date, received_at);
)sql",
      // 8: the staff accounts of the province's console and the audit trail of what they (and
      // the admin CLI) changed (hub/store/staff_roster.cc, audit_trail.cc). audit_head's one
      // row numbers the lines: appends take turns on it, so the chain never forks.
      R"sql(
CREATE TABLE staff_accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  last_login TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_agency ON audit_log (agency_code, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO audit_head (id, seq) VALUES (1, 0);
)sql",
      // 9: the once-per-agency choice of each certificate, made when a push changes it
      // (hub/store/internal/agency_choice.h) so that a page of the province's certificates is an
      // index range; its sort columns copied from the chosen sighting. hub_choices: made once for
      // the data of before when the store opens (0 until then). The dashboard counts locked
      // tokens by hub_tokens_pin_state (hub/province/dashboard_service.h).
      R"sql(
CREATE TABLE hub_agency_certificates (
  agency_code TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  certificate_id INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  common_name TEXT NOT NULL,
  serial TEXT NOT NULL,
  parse_error TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  earliest TEXT NOT NULL,
  token_serial TEXT NOT NULL,
  token_label TEXT NOT NULL,
  plugged INTEGER NOT NULL,
  on_token INTEGER NOT NULL,
  PRIMARY KEY (agency_code, fingerprint)
);
CREATE INDEX hub_agency_certificates_not_after
  ON hub_agency_certificates (not_after, agency_code, common_name, fingerprint);
CREATE INDEX hub_agency_certificates_name
  ON hub_agency_certificates (common_name, agency_code, fingerprint);
CREATE INDEX hub_agency_certificates_agency
  ON hub_agency_certificates (agency_code, not_after, common_name, fingerprint);
CREATE INDEX hub_tokens_pin_state ON hub_tokens (pin_state);
CREATE TABLE hub_choices (
  name TEXT PRIMARY KEY,
  made INTEGER NOT NULL
);
INSERT INTO hub_choices (name, made) VALUES ('agency_certificates', 0);
)sql",
      // 10: a staff account's own certificate for the console's certificate login; one account
      // per certificate (NULLs, the accounts without one, never collide).
      R"sql(
ALTER TABLE staff_accounts ADD COLUMN certificate_fingerprint TEXT;
ALTER TABLE staff_accounts ADD COLUMN certificate_subject TEXT;
CREATE UNIQUE INDEX staff_accounts_certificate ON staff_accounts (certificate_fingerprint);
)sql",
      // 11: the console's lists at national scale (bench/README.md, "The console's lists and the
      // dashboard"). The once-per-agency choice of each token, made at ingest as the
      // certificates' is (agency_choice.h), ordered as the token list shows it; made for the data
      // of before when the store opens. The certificate search's text index: the chosen
      // certificates' name, serial and fingerprint in trigrams (FTS5), kept in step with the
      // choice by triggers; the store reads it for a search of 3 characters or more. The
      // requests' and alerts' orders as indexes (request_desk.cc, province_views.cc), and the
      // dashboard's certificate counts as ranges of one index that covers them.
      R"sql(
CREATE TABLE hub_agency_tokens (
  agency_code TEXT NOT NULL,
  serial TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  token_id INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  label TEXT NOT NULL,
  model TEXT NOT NULL,
  pin_state TEXT NOT NULL,
  present INTEGER NOT NULL,
  earliest TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  cert_count INTEGER NOT NULL,
  PRIMARY KEY (agency_code, serial, manufacturer)
);
CREATE INDEX hub_agency_tokens_order ON hub_agency_tokens
  ((CASE WHEN present = 1 THEN '0' ELSE '1' END), label, serial, manufacturer, agency_code);
INSERT INTO hub_choices (name, made) VALUES ('agency_tokens', 0);
CREATE VIRTUAL TABLE hub_certificate_search USING fts5 (
  common_name, serial, fingerprint,
  content = 'hub_agency_certificates', tokenize = 'trigram'
);
CREATE TRIGGER hub_certificate_search_insert AFTER INSERT ON hub_agency_certificates BEGIN
  INSERT INTO hub_certificate_search (rowid, common_name, serial, fingerprint)
    VALUES (new.rowid, new.common_name, new.serial, new.fingerprint);
END;
CREATE TRIGGER hub_certificate_search_delete AFTER DELETE ON hub_agency_certificates BEGIN
  INSERT INTO hub_certificate_search (hub_certificate_search, rowid, common_name, serial,
    fingerprint) VALUES ('delete', old.rowid, old.common_name, old.serial, old.fingerprint);
END;
CREATE TRIGGER hub_certificate_search_update AFTER UPDATE ON hub_agency_certificates BEGIN
  INSERT INTO hub_certificate_search (hub_certificate_search, rowid, common_name, serial,
    fingerprint) VALUES ('delete', old.rowid, old.common_name, old.serial, old.fingerprint);
  INSERT INTO hub_certificate_search (rowid, common_name, serial, fingerprint)
    VALUES (new.rowid, new.common_name, new.serial, new.fingerprint);
END;
INSERT INTO hub_certificate_search (hub_certificate_search) VALUES ('rebuild');
CREATE INDEX hub_agency_certificates_counted
  ON hub_agency_certificates (parse_error, not_after, not_before, on_token);
CREATE INDEX hub_requests_order ON hub_requests
  ((CASE WHEN due_date IS NULL THEN '1' ELSE '0' END), (coalesce(due_date, '')),
   (coalesce(received_at, '')), created_at, id);
CREATE INDEX hub_requests_state_order ON hub_requests
  (state, (CASE WHEN due_date IS NULL THEN '1' ELSE '0' END), (coalesce(due_date, '')),
   (coalesce(received_at, '')), created_at, id);
CREATE INDEX hub_alerts_order ON hub_alerts
  ((CASE severity WHEN 'critical' THEN '0' WHEN 'warning' THEN '1' ELSE '2' END),
   raised_at DESC, agency_code, uuid);
)sql",
      // 12: the figures of each stored report that the province's aggregate takes (core's
      // ReportFigures: the headline totals, the renewals due by month of the next year, the
      // officer's expected new certificates and remarks), written with the report at ingest so
      // that the aggregate parses no report (hub/store/report_archive.h). hub_choices: filled once
      // from the stored bodies of before when the store opens (0 until then).
      R"sql(
CREATE TABLE hub_report_figures (
  agency_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  agency_name TEXT NOT NULL,
  difficulties TEXT NOT NULL,
  proposals TEXT NOT NULL,
  certificates_valid INTEGER NOT NULL, certificates_expiring INTEGER NOT NULL,
  certificates_expired INTEGER NOT NULL, certificates_revoked INTEGER NOT NULL,
  tokens INTEGER NOT NULL, tokens_locked INTEGER NOT NULL, tokens_not_seen INTEGER NOT NULL,
  tokens_lost_or_damaged INTEGER NOT NULL, requests_filed INTEGER NOT NULL,
  requests_completed INTEGER NOT NULL, requests_pending INTEGER NOT NULL,
  renewals_due_next_year INTEGER NOT NULL, revocation_candidates INTEGER NOT NULL,
  expected_new_certificates INTEGER NOT NULL, expected_revocations INTEGER NOT NULL,
  tokens_to_replace INTEGER NOT NULL, expected_new_individual INTEGER NOT NULL,
  expected_new_organization INTEGER NOT NULL, expected_new_device INTEGER NOT NULL,
  renewals_01_individual INTEGER NOT NULL, renewals_01_organization INTEGER NOT NULL,
  renewals_01_device INTEGER NOT NULL, renewals_01_unknown INTEGER NOT NULL,
  renewals_02_individual INTEGER NOT NULL, renewals_02_organization INTEGER NOT NULL,
  renewals_02_device INTEGER NOT NULL, renewals_02_unknown INTEGER NOT NULL,
  renewals_03_individual INTEGER NOT NULL, renewals_03_organization INTEGER NOT NULL,
  renewals_03_device INTEGER NOT NULL, renewals_03_unknown INTEGER NOT NULL,
  renewals_04_individual INTEGER NOT NULL, renewals_04_organization INTEGER NOT NULL,
  renewals_04_device INTEGER NOT NULL, renewals_04_unknown INTEGER NOT NULL,
  renewals_05_individual INTEGER NOT NULL, renewals_05_organization INTEGER NOT NULL,
  renewals_05_device INTEGER NOT NULL, renewals_05_unknown INTEGER NOT NULL,
  renewals_06_individual INTEGER NOT NULL, renewals_06_organization INTEGER NOT NULL,
  renewals_06_device INTEGER NOT NULL, renewals_06_unknown INTEGER NOT NULL,
  renewals_07_individual INTEGER NOT NULL, renewals_07_organization INTEGER NOT NULL,
  renewals_07_device INTEGER NOT NULL, renewals_07_unknown INTEGER NOT NULL,
  renewals_08_individual INTEGER NOT NULL, renewals_08_organization INTEGER NOT NULL,
  renewals_08_device INTEGER NOT NULL, renewals_08_unknown INTEGER NOT NULL,
  renewals_09_individual INTEGER NOT NULL, renewals_09_organization INTEGER NOT NULL,
  renewals_09_device INTEGER NOT NULL, renewals_09_unknown INTEGER NOT NULL,
  renewals_10_individual INTEGER NOT NULL, renewals_10_organization INTEGER NOT NULL,
  renewals_10_device INTEGER NOT NULL, renewals_10_unknown INTEGER NOT NULL,
  renewals_11_individual INTEGER NOT NULL, renewals_11_organization INTEGER NOT NULL,
  renewals_11_device INTEGER NOT NULL, renewals_11_unknown INTEGER NOT NULL,
  renewals_12_individual INTEGER NOT NULL, renewals_12_organization INTEGER NOT NULL,
  renewals_12_device INTEGER NOT NULL, renewals_12_unknown INTEGER NOT NULL,
  PRIMARY KEY (agency_code, year, version),
  FOREIGN KEY (agency_code, year, version) REFERENCES hub_reports (agency_code, year, version)
);
INSERT INTO hub_choices (name, made) VALUES ('report_figures', 0);
)sql",
      // 13: the revocation lists of the government's CAs (docs/revocation.md): each source
      // (a URL of [revocation] crl_urls or of a certificate's CRL distribution points) with its
      // last fetch; the list held for each issuer (the newest accepted, with its DER and the
      // DER's SHA-256, so that the same bytes fetched again are known without parsing them);
      // and the held lists' entries, matched to hub_certificates by (issuer, serial) when read.
      R"sql(
CREATE TABLE hub_crl_sources (
  url TEXT PRIMARY KEY,
  configured INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  last_fetch TEXT,
  outcome TEXT,
  detail TEXT NOT NULL,
  failures INTEGER NOT NULL,
  next_fetch TEXT
);
CREATE TABLE hub_crls (
  issuer TEXT PRIMARY KEY,
  source_url TEXT NOT NULL,
  this_update TEXT NOT NULL,
  next_update TEXT,
  crl_number TEXT NOT NULL,
  entries INTEGER NOT NULL,
  der BLOB NOT NULL,
  der_sha256 TEXT NOT NULL,
  accepted_at TEXT NOT NULL
);
CREATE TABLE hub_crl_entries (
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  revoked_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (issuer, serial)
);
CREATE INDEX hub_certificates_issuer_serial ON hub_certificates (issuer, serial);
)sql",
      // 14: the mergers the province published, their merged units in the order given, who
      // published each and when (hub/store/merger_register.cc), and the merger whose batch a
      // request was filed in (request_filed's merger_id), to show each unit's batch arriving.
      R"sql(
CREATE TABLE hub_mergers (
  id TEXT PRIMARY KEY,
  into_code TEXT NOT NULL,
  into_name TEXT NOT NULL,
  keep TEXT NOT NULL,
  decision TEXT NOT NULL,
  published_by TEXT NOT NULL,
  published_at TEXT NOT NULL,
  agents INTEGER NOT NULL
);
CREATE INDEX hub_mergers_published ON hub_mergers (published_at);
CREATE TABLE hub_merger_units (
  merger_id TEXT NOT NULL REFERENCES hub_mergers (id),
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (merger_id, position)
);
ALTER TABLE hub_requests ADD COLUMN merger_id TEXT;
CREATE INDEX hub_requests_merger ON hub_requests (merger_id, agency_code);
)sql",
      // 15: the console's rarer filters and the dashboard on indexes (bench/README.md, "The
      // console's lists and the dashboard"): each chosen certificate's kind (the kind filter
      // was a lookup per row, a scan for a kind few have), the open requests counted by state
      // and due date, the agents' latest contact per agency. The text index's update trigger
      // narrowed to the columns it indexes, so that filling the kind leaves it alone.
      R"sql(
ALTER TABLE hub_agency_certificates ADD COLUMN kind TEXT NOT NULL DEFAULT '';
DROP TRIGGER hub_certificate_search_update;
UPDATE hub_agency_certificates SET kind = coalesce(
  (SELECT c.kind FROM hub_certificates c WHERE c.id = hub_agency_certificates.certificate_id), '');
CREATE TRIGGER hub_certificate_search_update
  AFTER UPDATE OF common_name, serial, fingerprint ON hub_agency_certificates BEGIN
  INSERT INTO hub_certificate_search (hub_certificate_search, rowid, common_name, serial,
    fingerprint) VALUES ('delete', old.rowid, old.common_name, old.serial, old.fingerprint);
  INSERT INTO hub_certificate_search (rowid, common_name, serial, fingerprint)
    VALUES (new.rowid, new.common_name, new.serial, new.fingerprint);
END;
CREATE INDEX hub_agency_certificates_kind
  ON hub_agency_certificates (kind, not_after, agency_code, common_name, fingerprint);
CREATE INDEX hub_requests_open ON hub_requests (state, due_date);
CREATE INDEX agents_contact ON agents (agency_code, revoked, last_contact);
)sql",
      // 16: the dashboard's locked tokens (and the token list's PIN filter) on an index, not a
      // scan of every token.
      R"sql(
CREATE INDEX hub_agency_tokens_pin_state ON hub_agency_tokens (pin_state);
)sql",
      // 17: entries by uuid: the uuid is an entry's identity across its agency's enrolments, an
      // entry resent under a new agent_id is acknowledged and not applied again
      // (hub/store/ingest.cc, docs/sync-protocol.md "Exactly once").
      R"sql(
CREATE INDEX entries_uuid ON entries (uuid);
)sql",
      // 18: the revocation status each agency was last told of each of its certificates
      // (docs/revocation.md, "The feed"): only a status that differs from it is queued, so an
      // idle sync carries nothing. No row: told nothing, which the agent reads as unknown.
      R"sql(
CREATE TABLE hub_agency_revocations (
  agency_code TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  as_of TEXT,
  next_update TEXT,
  revoked_at TEXT,
  reason TEXT,
  PRIMARY KEY (agency_code, fingerprint)
);
)sql",
  };
  return migrations;
}

const std::vector<std::string_view>& postgresMigrations() {
  static const std::vector<std::string_view> migrations = {
      R"sql(
CREATE TABLE agencies (
  code TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE enroll_codes (
  code_hash TEXT COLLATE "C" PRIMARY KEY,
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  name TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  used_at TEXT COLLATE "C",
  used_by TEXT COLLATE "C"
);
CREATE TABLE agents (
  agent_id TEXT COLLATE "C" PRIMARY KEY,
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  host TEXT COLLATE "C" NOT NULL,
  agent_version TEXT COLLATE "C" NOT NULL,
  enrolled_at TEXT COLLATE "C" NOT NULL,
  last_contact TEXT COLLATE "C",
  clock_offset_seconds BIGINT,
  backlog BIGINT NOT NULL DEFAULT 0,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX agents_agency ON agents (agency_code);
CREATE TABLE entries (
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  lane TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  uuid TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  at TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL,
  UNIQUE (agent_id, lane, seq)
);
CREATE TABLE lane_state (
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  lane TEXT COLLATE "C" NOT NULL,
  acked BIGINT NOT NULL,
  PRIMARY KEY (agent_id, lane)
);
CREATE TABLE feed (
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  seq BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agent_id, seq)
);
CREATE TABLE hub_tokens (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT COLLATE "C" NOT NULL,
  serial TEXT COLLATE "C" NOT NULL,
  manufacturer TEXT COLLATE "C" NOT NULL,
  label TEXT COLLATE "C" NOT NULL,
  model TEXT COLLATE "C" NOT NULL,
  pin_state TEXT COLLATE "C" NOT NULL,
  present BIGINT NOT NULL,
  first_seen TEXT COLLATE "C" NOT NULL,
  last_seen TEXT COLLATE "C" NOT NULL,
  UNIQUE (agent_id, serial, manufacturer)
);
CREATE INDEX hub_tokens_agency ON hub_tokens (agency_code);
CREATE TABLE hub_certificates (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  agency_code TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C" NOT NULL,
  der BYTEA NOT NULL,
  parse_error TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  issuer TEXT COLLATE "C" NOT NULL,
  common_name TEXT COLLATE "C" NOT NULL,
  organization TEXT COLLATE "C" NOT NULL,
  organizational_units TEXT COLLATE "C" NOT NULL,
  locality TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  country TEXT COLLATE "C" NOT NULL,
  email TEXT COLLATE "C" NOT NULL,
  serial TEXT COLLATE "C" NOT NULL,
  not_before TEXT COLLATE "C" NOT NULL,
  not_after TEXT COLLATE "C" NOT NULL,
  key_usage TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  first_seen TEXT COLLATE "C" NOT NULL,
  last_seen TEXT COLLATE "C" NOT NULL,
  UNIQUE (agent_id, fingerprint)
);
CREATE INDEX hub_certificates_agency ON hub_certificates (agency_code, not_after);
CREATE TABLE hub_token_certificates (
  token_id BIGINT NOT NULL REFERENCES hub_tokens (id) ON DELETE CASCADE,
  certificate_id BIGINT NOT NULL REFERENCES hub_certificates (id) ON DELETE CASCADE,
  on_token BIGINT NOT NULL,
  first_seen TEXT COLLATE "C" NOT NULL,
  last_seen TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (token_id, certificate_id)
);
CREATE INDEX hub_token_certificates_certificate ON hub_token_certificates (certificate_id);
)sql",
      // 2: every agency's alerts, their latest state (docs/alerts.md, "Sync").
      R"sql(
CREATE TABLE hub_alerts (
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  uuid TEXT COLLATE "C" NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  lane TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  severity TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C",
  token_serial TEXT COLLATE "C",
  module TEXT COLLATE "C",
  threshold_days BIGINT,
  raised_at TEXT COLLATE "C" NOT NULL,
  changed_at TEXT COLLATE "C" NOT NULL,
  snoozed_until TEXT COLLATE "C",
  resolution TEXT COLLATE "C",
  params TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agency_code, uuid)
);
CREATE INDEX hub_alerts_state ON hub_alerts (state, agency_code);
)sql",
      // 3: every agency's requests and their journal (docs/requests.md, docs/hub.md).
      R"sql(
CREATE TABLE hub_requests (
  id TEXT COLLATE "C" PRIMARY KEY,
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  kind TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  form TEXT COLLATE "C" NOT NULL,
  subscriber TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C",
  token_serial TEXT COLLATE "C",
  change_case TEXT COLLATE "C",
  revocation_reason TEXT COLLATE "C",
  fields TEXT COLLATE "C" NOT NULL,
  filed_handled_by TEXT COLLATE "C" NOT NULL,
  handled_by TEXT COLLATE "C" NOT NULL,
  supersedes TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C",
  due_date TEXT COLLATE "C",
  reason TEXT COLLATE "C",
  reference TEXT COLLATE "C",
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX hub_requests_agency ON hub_requests (agency_code, state);
CREATE TABLE hub_request_events (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  request_id TEXT COLLATE "C" NOT NULL,
  event TEXT COLLATE "C" NOT NULL,
  at TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C",
  reference TEXT COLLATE "C"
);
CREATE INDEX hub_request_events_request ON hub_request_events (request_id, id);
)sql",
      // 4: every version of every agency's yearly report, and of every province's aggregate
      // at a national hub (docs/report.md, "Province side", "Upward to the nation").
      R"sql(
CREATE TABLE hub_reports (
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  year BIGINT NOT NULL,
  version BIGINT NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  submitted_at TEXT COLLATE "C" NOT NULL,
  as_of TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agency_code, year, version)
);
CREATE INDEX hub_reports_year ON hub_reports (year, agency_code, version);
CREATE TABLE hub_province_reports (
  province_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  year BIGINT NOT NULL,
  version BIGINT NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  submitted_at TEXT COLLATE "C" NOT NULL,
  generated_at TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (province_code, year, version)
);
)sql",
      // 5: the agencies whose officer is working on the year's report (report_draft_saved):
      // the latest save of each agency and year; the draft itself stays on the agent.
      R"sql(
CREATE TABLE hub_report_drafts (
  agency_code TEXT COLLATE "C" NOT NULL REFERENCES agencies (code),
  year BIGINT NOT NULL,
  saved_at TEXT COLLATE "C" NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (agent_id),
  received_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agency_code, year)
);
)sql",
      // 6: the agency directory and withdrawn enrolment codes (as SQLite's 6).
      R"sql(
ALTER TABLE agencies ADD COLUMN type TEXT COLLATE "C";
ALTER TABLE agencies ADD COLUMN parent TEXT COLLATE "C";
ALTER TABLE enroll_codes ADD COLUMN revoked_at TEXT COLLATE "C";
)sql",
      // 7: the indexes of the paged lists (as SQLite's 7).
      R"sql(
CREATE INDEX hub_certificates_not_after ON hub_certificates (not_after, agency_code);
CREATE INDEX hub_certificates_name ON hub_certificates (common_name, agency_code);
CREATE INDEX hub_certificates_fingerprint ON hub_certificates (fingerprint, agency_code);
CREATE INDEX hub_alerts_raised ON hub_alerts (raised_at);
CREATE INDEX hub_requests_due ON hub_requests (due_date, received_at);
)sql",
      // 8: staff accounts and the audit trail (as SQLite's 8).
      R"sql(
CREATE TABLE staff_accounts (
  name TEXT COLLATE "C" PRIMARY KEY,
  role TEXT COLLATE "C" NOT NULL,
  password_hash TEXT COLLATE "C" NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0,
  must_change_password BIGINT NOT NULL DEFAULT 1,
  created_at TEXT COLLATE "C" NOT NULL,
  last_login TEXT COLLATE "C",
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until TEXT COLLATE "C"
);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  agency_code TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_agency ON audit_log (agency_code, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL
);
INSERT INTO audit_head (id, seq) VALUES (1, 0);
)sql",
      // 9: the once-per-agency choice of each certificate (as SQLite's 9).
      R"sql(
CREATE TABLE hub_agency_certificates (
  agency_code TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C" NOT NULL,
  certificate_id BIGINT NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL,
  common_name TEXT COLLATE "C" NOT NULL,
  serial TEXT COLLATE "C" NOT NULL,
  parse_error TEXT COLLATE "C" NOT NULL,
  not_before TEXT COLLATE "C" NOT NULL,
  not_after TEXT COLLATE "C" NOT NULL,
  earliest TEXT COLLATE "C" NOT NULL,
  token_serial TEXT COLLATE "C" NOT NULL,
  token_label TEXT COLLATE "C" NOT NULL,
  plugged BIGINT NOT NULL,
  on_token BIGINT NOT NULL,
  PRIMARY KEY (agency_code, fingerprint)
);
CREATE INDEX hub_agency_certificates_not_after
  ON hub_agency_certificates (not_after, agency_code, common_name, fingerprint);
CREATE INDEX hub_agency_certificates_name
  ON hub_agency_certificates (common_name, agency_code, fingerprint);
CREATE INDEX hub_agency_certificates_agency
  ON hub_agency_certificates (agency_code, not_after, common_name, fingerprint);
CREATE INDEX hub_tokens_pin_state ON hub_tokens (pin_state);
CREATE TABLE hub_choices (
  name TEXT COLLATE "C" PRIMARY KEY,
  made BIGINT NOT NULL
);
INSERT INTO hub_choices (name, made) VALUES ('agency_certificates', 0);
)sql",
      // 10: a staff account's own certificate (as SQLite's 10).
      R"sql(
ALTER TABLE staff_accounts ADD COLUMN certificate_fingerprint TEXT COLLATE "C";
ALTER TABLE staff_accounts ADD COLUMN certificate_subject TEXT COLLATE "C";
CREATE UNIQUE INDEX staff_accounts_certificate ON staff_accounts (certificate_fingerprint);
)sql",
      // 11: as SQLite's 11, the search's text index being pg_trgm's GIN indexes on the chosen
      // certificates' lowered name, serial and fingerprint (pg_trgm is trusted: the database's
      // owner creates it).
      R"sql(
CREATE TABLE hub_agency_tokens (
  agency_code TEXT COLLATE "C" NOT NULL,
  serial TEXT COLLATE "C" NOT NULL,
  manufacturer TEXT COLLATE "C" NOT NULL,
  token_id BIGINT NOT NULL,
  agent_id TEXT COLLATE "C" NOT NULL,
  label TEXT COLLATE "C" NOT NULL,
  model TEXT COLLATE "C" NOT NULL,
  pin_state TEXT COLLATE "C" NOT NULL,
  present BIGINT NOT NULL,
  earliest TEXT COLLATE "C" NOT NULL,
  last_seen TEXT COLLATE "C" NOT NULL,
  cert_count BIGINT NOT NULL,
  PRIMARY KEY (agency_code, serial, manufacturer)
);
CREATE INDEX hub_agency_tokens_order ON hub_agency_tokens
  ((CASE WHEN present = 1 THEN '0' ELSE '1' END), label, serial, manufacturer, agency_code);
INSERT INTO hub_choices (name, made) VALUES ('agency_tokens', 0);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX hub_agency_certificates_search_name
  ON hub_agency_certificates USING gin (lower(common_name) gin_trgm_ops);
CREATE INDEX hub_agency_certificates_search_serial
  ON hub_agency_certificates USING gin (lower(serial) gin_trgm_ops);
CREATE INDEX hub_agency_certificates_search_fingerprint
  ON hub_agency_certificates USING gin (lower(fingerprint) gin_trgm_ops);
CREATE INDEX hub_agency_certificates_counted
  ON hub_agency_certificates (parse_error, not_after, not_before, on_token);
CREATE INDEX hub_requests_order ON hub_requests
  ((CASE WHEN due_date IS NULL THEN '1' ELSE '0' END), (coalesce(due_date, '')),
   (coalesce(received_at, '')), created_at, id);
CREATE INDEX hub_requests_state_order ON hub_requests
  (state, (CASE WHEN due_date IS NULL THEN '1' ELSE '0' END), (coalesce(due_date, '')),
   (coalesce(received_at, '')), created_at, id);
CREATE INDEX hub_alerts_order ON hub_alerts
  ((CASE severity WHEN 'critical' THEN '0' WHEN 'warning' THEN '1' ELSE '2' END),
   raised_at DESC, agency_code, uuid);
)sql",
      // 12: each stored report's figures for the aggregate (as SQLite's 12).
      R"sql(
CREATE TABLE hub_report_figures (
  agency_code TEXT COLLATE "C" NOT NULL,
  year BIGINT NOT NULL,
  version BIGINT NOT NULL,
  agency_name TEXT COLLATE "C" NOT NULL,
  difficulties TEXT COLLATE "C" NOT NULL,
  proposals TEXT COLLATE "C" NOT NULL,
  certificates_valid BIGINT NOT NULL, certificates_expiring BIGINT NOT NULL,
  certificates_expired BIGINT NOT NULL, certificates_revoked BIGINT NOT NULL,
  tokens BIGINT NOT NULL, tokens_locked BIGINT NOT NULL, tokens_not_seen BIGINT NOT NULL,
  tokens_lost_or_damaged BIGINT NOT NULL, requests_filed BIGINT NOT NULL,
  requests_completed BIGINT NOT NULL, requests_pending BIGINT NOT NULL,
  renewals_due_next_year BIGINT NOT NULL, revocation_candidates BIGINT NOT NULL,
  expected_new_certificates BIGINT NOT NULL, expected_revocations BIGINT NOT NULL,
  tokens_to_replace BIGINT NOT NULL, expected_new_individual BIGINT NOT NULL,
  expected_new_organization BIGINT NOT NULL, expected_new_device BIGINT NOT NULL,
  renewals_01_individual BIGINT NOT NULL, renewals_01_organization BIGINT NOT NULL,
  renewals_01_device BIGINT NOT NULL, renewals_01_unknown BIGINT NOT NULL,
  renewals_02_individual BIGINT NOT NULL, renewals_02_organization BIGINT NOT NULL,
  renewals_02_device BIGINT NOT NULL, renewals_02_unknown BIGINT NOT NULL,
  renewals_03_individual BIGINT NOT NULL, renewals_03_organization BIGINT NOT NULL,
  renewals_03_device BIGINT NOT NULL, renewals_03_unknown BIGINT NOT NULL,
  renewals_04_individual BIGINT NOT NULL, renewals_04_organization BIGINT NOT NULL,
  renewals_04_device BIGINT NOT NULL, renewals_04_unknown BIGINT NOT NULL,
  renewals_05_individual BIGINT NOT NULL, renewals_05_organization BIGINT NOT NULL,
  renewals_05_device BIGINT NOT NULL, renewals_05_unknown BIGINT NOT NULL,
  renewals_06_individual BIGINT NOT NULL, renewals_06_organization BIGINT NOT NULL,
  renewals_06_device BIGINT NOT NULL, renewals_06_unknown BIGINT NOT NULL,
  renewals_07_individual BIGINT NOT NULL, renewals_07_organization BIGINT NOT NULL,
  renewals_07_device BIGINT NOT NULL, renewals_07_unknown BIGINT NOT NULL,
  renewals_08_individual BIGINT NOT NULL, renewals_08_organization BIGINT NOT NULL,
  renewals_08_device BIGINT NOT NULL, renewals_08_unknown BIGINT NOT NULL,
  renewals_09_individual BIGINT NOT NULL, renewals_09_organization BIGINT NOT NULL,
  renewals_09_device BIGINT NOT NULL, renewals_09_unknown BIGINT NOT NULL,
  renewals_10_individual BIGINT NOT NULL, renewals_10_organization BIGINT NOT NULL,
  renewals_10_device BIGINT NOT NULL, renewals_10_unknown BIGINT NOT NULL,
  renewals_11_individual BIGINT NOT NULL, renewals_11_organization BIGINT NOT NULL,
  renewals_11_device BIGINT NOT NULL, renewals_11_unknown BIGINT NOT NULL,
  renewals_12_individual BIGINT NOT NULL, renewals_12_organization BIGINT NOT NULL,
  renewals_12_device BIGINT NOT NULL, renewals_12_unknown BIGINT NOT NULL,
  PRIMARY KEY (agency_code, year, version),
  FOREIGN KEY (agency_code, year, version) REFERENCES hub_reports (agency_code, year, version)
);
INSERT INTO hub_choices (name, made) VALUES ('report_figures', 0);
)sql",
      // 13: the revocation lists (as SQLite's 13).
      R"sql(
CREATE TABLE hub_crl_sources (
  url TEXT COLLATE "C" PRIMARY KEY,
  configured BIGINT NOT NULL,
  issuer TEXT COLLATE "C" NOT NULL,
  last_fetch TEXT COLLATE "C",
  outcome TEXT COLLATE "C",
  detail TEXT COLLATE "C" NOT NULL,
  failures BIGINT NOT NULL,
  next_fetch TEXT COLLATE "C"
);
CREATE TABLE hub_crls (
  issuer TEXT COLLATE "C" PRIMARY KEY,
  source_url TEXT COLLATE "C" NOT NULL,
  this_update TEXT COLLATE "C" NOT NULL,
  next_update TEXT COLLATE "C",
  crl_number TEXT COLLATE "C" NOT NULL,
  entries BIGINT NOT NULL,
  der BYTEA NOT NULL,
  der_sha256 TEXT COLLATE "C" NOT NULL,
  accepted_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE hub_crl_entries (
  issuer TEXT COLLATE "C" NOT NULL,
  serial TEXT COLLATE "C" NOT NULL,
  revoked_at TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (issuer, serial)
);
CREATE INDEX hub_certificates_issuer_serial ON hub_certificates (issuer, serial);
)sql",
      // 14: the mergers the province published and each request's merger (as SQLite's 14).
      R"sql(
CREATE TABLE hub_mergers (
  id TEXT COLLATE "C" PRIMARY KEY,
  into_code TEXT COLLATE "C" NOT NULL,
  into_name TEXT COLLATE "C" NOT NULL,
  keep TEXT COLLATE "C" NOT NULL,
  decision TEXT COLLATE "C" NOT NULL,
  published_by TEXT COLLATE "C" NOT NULL,
  published_at TEXT COLLATE "C" NOT NULL,
  agents BIGINT NOT NULL
);
CREATE INDEX hub_mergers_published ON hub_mergers (published_at);
CREATE TABLE hub_merger_units (
  merger_id TEXT COLLATE "C" NOT NULL REFERENCES hub_mergers (id),
  position BIGINT NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (merger_id, position)
);
ALTER TABLE hub_requests ADD COLUMN merger_id TEXT COLLATE "C";
CREATE INDEX hub_requests_merger ON hub_requests (merger_id, agency_code);
)sql",
      // 15: each chosen certificate's kind, the open requests' and the agents' indexes (as
      // SQLite's 15).
      R"sql(
ALTER TABLE hub_agency_certificates ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE hub_agency_certificates k SET kind = c.kind FROM hub_certificates c
  WHERE c.id = k.certificate_id;
CREATE INDEX hub_agency_certificates_kind
  ON hub_agency_certificates (kind, not_after, agency_code, common_name, fingerprint);
CREATE INDEX hub_requests_open ON hub_requests (state, due_date);
CREATE INDEX agents_contact ON agents (agency_code, revoked, last_contact);
)sql",
      // 16: SQLite's 16, and the dashboard's expired certificates still on a token counted on
      // an index of those rows only: PostgreSQL counted them on the window's index, 2× slower
      // at the national size (SQLite's count on that index is fast already).
      R"sql(
CREATE INDEX hub_agency_tokens_pin_state ON hub_agency_tokens (pin_state);
CREATE INDEX hub_agency_certificates_expired ON hub_agency_certificates (not_after)
  WHERE on_token = 1 AND parse_error = '';
)sql",
      // 17: entries by uuid (as SQLite's 17).
      R"sql(
CREATE INDEX entries_uuid ON entries (uuid);
)sql",
      // 18: what each agency was last told of its certificates' revocation (as SQLite's 18).
      R"sql(
CREATE TABLE hub_agency_revocations (
  agency_code TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  as_of TEXT COLLATE "C",
  next_update TEXT COLLATE "C",
  revoked_at TEXT COLLATE "C",
  reason TEXT COLLATE "C",
  PRIMARY KEY (agency_code, fingerprint)
);
)sql",
  };
  return migrations;
}

}  // namespace cks::hub
