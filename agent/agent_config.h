// cks-agent's configuration, read from an INI file (config/agent.ini documents every key) and
// validated in full at start-up: an unknown key, a bad value or a missing module file is one
// clear line naming the file, line, key and problem, and the agent does not start.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/log_settings.h"
#include "core/agency_identity.h"
#include "core/alert.h"
#include "core/messages.h"
#include "core/request_rules.h"
#include "core/result.h"
#include "core/subscriber_kind.h"
#include "core/time_format.h"
#include "platform/locations.h"

namespace cks::agent {

// [email]: daily digests of the alerts by SMTP (docs/alerts.md, "E-mail"). Off while `server`
// is empty. A recipient gets the union of what their rules select: `to` (every alert),
// `at_least` (alerts of at least a severity: to_info / to_warning / to_critical) and `kinds`
// (to.KIND). Addresses are kept as written; the password stays in `password_file`.
struct EmailSettings {
  enum class Security { StartTls, Tls, None };

  std::string server;  // empty: no e-mail
  int port = 587;
  Security security = Security::StartTls;
  std::string user;           // empty: no AUTH
  std::string password_file;  // mode 0600, read at each sending
  std::string from;
  std::vector<std::string> to;
  std::map<Severity, std::vector<std::string>> at_least;
  std::map<AlertKind, std::vector<std::string>> kinds;
  std::chrono::minutes digest_time{7 * 60 + 30};  // local time after midnight
  std::string ca_file;                            // extra CA to trust; empty: the system's
  Language language = Language::Vietnamese;       // default: [agent] language
  std::chrono::seconds timeout{30};

  [[nodiscard]] bool enabled() const { return !server.empty(); }
};

// [report]: when the yearly report is due (docs/report.md, "Agent side"). The province may push
// other dates for one year through the pull feed (item report_deadline); those win for that year.
struct ReportSchedule {
  std::chrono::month_day remind_from{std::chrono::December / 1};  // the report_due alert opens
  std::chrono::month_day deadline{std::chrono::December / 31};    // the date the alert names
  bool reminder = true;  // false: no report_due alert (an agency that does not report through cks)
};

struct AgentConfig {
  std::string source;  // the file it was read from

  // [agent]
  std::string host_name;  // this PC's name in sightings; default: the machine's host name
  Language language = Language::Vietnamese;

  // [display] time_zone: the zone cksctl's text shows times in (JSON stays UTC).
  TimeZone display_zone = vietnamTimeZone();

  // [pkcs11]
  std::vector<std::string> modules;
  bool use_p11kit = false;
  std::chrono::milliseconds probe_timeout{10000};
  std::string probe_path;  // cks-p11probe; default: next to the running program

  // [scan]
  std::chrono::seconds scan_interval{300};
  bool slot_events = true;

  // [expiry]
  int expiring_days = 90;

  // [alerts]
  AlertPolicy alerts;

  // [email]
  EmailSettings email;

  // [requests]: the province's rules for lifecycle requests and its delegations to the Sở
  // (docs/requests.md). The hub routes again on receipt; the agent's routing is what the
  // officer sees until then.
  RequestPolicy requests;
  // [agency]: the agency's identity on its documents, over what the province gave at enrolment
  // (core/agency_identity.h; agencyOverrides() adds the deprecated [forms] keys under it).
  AgencyIdentity agency;
  std::string signer_title;  // over the head's signature; empty: the catalogue's
  std::string signer;        // the head of the agency's name, printed when set
  // [forms] (deprecated, read as aliases of [agency]): parent_body, place, province_office
  // (= department), signer. Empty unless the file sets them.
  std::string form_parent_body;
  std::string form_place;
  std::string form_province_office;
  std::string form_signer;
  std::vector<Delegation> delegations = defaultDelegations();

  // [report]
  ReportSchedule report;

  // [classification]
  SubscriberKindRules classification;

  // [store]
  std::string store_path = platform::stateFolder("cks") + "/agent.db";

  // [api]
  int api_port = 8737;
  std::string api_secret_file = platform::stateFolder("cks") + "/api.secret";
  // The group that may read the secret (mode 0640) when it exists; else the file is 0600.
  std::string api_secret_group = "cks";

  // [hub] (the hub's address and trust come from enrolment: `cksctl enroll`)
  std::string hub_dir =
      platform::stateFolder("cks") + "/hub";  // the agent's key, certificates and hub CA (0600)
  std::chrono::seconds sync_interval{300};
  std::string hub_proxy = "env";  // "", "env" (https_proxy) or http://host:port
  std::chrono::seconds hub_timeout{30};
  int sync_batch = 500;
  // The agent asks the hub for a new certificate once its own has less than this left (the
  // hub issues them for two years): at every sync until it succeeds.
  std::chrono::seconds renew_before{std::chrono::hours(24 * 90)};

  // [log]
  common::LogSettings log;
};

// The identity fields agent.ini sets: [agency], with the deprecated [forms] keys where [agency]
// leaves a field empty.
[[nodiscard]] AgencyIdentity agencyOverrides(const AgentConfig& config);

enum class FileChecks { Check, Skip };

// Reads and validates `path`. Relative paths in it resolve against the file's directory.
// With FileChecks::Skip (cksctl) module files are not required to exist. Errors are in the
// file's [agent] language when it sets one, else in `language` (the message catalogue's).
[[nodiscard]] Result<AgentConfig> loadAgentConfig(const std::string& path,
                                                  FileChecks checks = FileChecks::Check,
                                                  Language language = Language::Vietnamese);

// Succeeds when `path` is a regular file that only its owner may read or write (mode 0600 or
// stricter), as a file holding a password must be; the error names the file and the fix.
[[nodiscard]] Status checkOwnerOnly(const std::string& path, Language language);

// Parses "MM-DD", a day that exists every year (02-29 does not); false for anything else.
[[nodiscard]] bool parseMonthDay(std::string_view text, std::chrono::month_day& out);

// Parses "500ms", "10s", "5m", "2h", "1d" or a bare number of seconds.
[[nodiscard]] bool parseDuration(std::string_view text, std::chrono::milliseconds& out);

}  // namespace cks::agent
