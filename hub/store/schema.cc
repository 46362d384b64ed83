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
      // 13: the mergers the province published, their merged units in the order given, who
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
      // 13: the mergers the province published and each request's merger (as SQLite's 13).
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
  };
  return migrations;
}

}  // namespace cks::hub
