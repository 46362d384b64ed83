// cks-hub's configuration, read from an INI file (config/hub.ini documents every key) and
// validated in full before anything starts: an unknown key or a bad value is one line naming the
// file, line, section, key and problem ("hub.ini:7: [server] port: bad value …"), and cks-hub
// exits with code 2. Plain data once loaded.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log_settings.h"
#include "core/agency_identity.h"
#include "core/messages.h"
#include "core/result.h"
#include "core/time_format.h"
#include "hub/request_change.h"
#include "platform/locations.h"

namespace cks::hub {

// Where the hub keeps its data: a SQLite file (built in, nothing to install) or a PostgreSQL
// database (`postgresql://…`, for a replicated server).
struct StoreLocation {
  enum class Kind { Sqlite, Postgresql };
  Kind kind = Kind::Sqlite;
  // For messages and logs: the SQLite file (absolute), or the PostgreSQL URL without password.
  std::string path;
  // PostgreSQL: the URL as configured. It may hold a password: never print or log it.
  std::string url;
};

// [upstream]: the link to the national hub this province reports to (hub/upstream.h).
struct UpstreamSettings {
  std::string dir =
      platform::stateFolder("cks-hub") + "/upstream";  // enrolment files and the link's outbox
  std::string proxy;  // as sync::TransportSettings::proxy: "", "env" or http://host:port
  std::chrono::seconds timeout{30};
};

// [province]: the province this hub serves, as its documents and its agents' documents name it
// (core/agency_identity.h; docs/hub.md, "The province's identity"). Empty until set: documents
// then say the province is not known instead of guessing one.
struct ProvinceIdentity {
  std::string name;              // "Đà Nẵng"
  std::string kind = "tỉnh";     // "tỉnh" or "thành phố"
  std::string department;        // default "Sở Khoa học và Công nghệ " + kind + name
  std::string people_committee;  // default "UBND " + kind + name: above the Sở and the communes
  std::string place;             // default the name: "Đà Nẵng, ngày … tháng … năm …"
  std::string signer_title;      // over the signature of its reports; empty: "GIÁM ĐỐC"
  std::string signer;            // the director's name, printed when set

  // The identity an agency of `code` and `name` gets at enrolment: the province's fields with
  // the People's Committee as the body above it (communes report directly to the province
  // since the 2025 reform).
  [[nodiscard]] AgencyIdentity agency(const std::string& agency_code,
                                      const std::string& agency_name) const;
  // The Sở's own identity (name = the Sở, parent body = the People's Committee).
  [[nodiscard]] AgencyIdentity office() const;
};

// [console]: the province staff's web console (hub/console/), on its own HTTPS port, apart
// from the agents' mutual-TLS sync port. Off until a port is set.
struct ConsoleSettings {
  int port = 0;  // 0: no console
  std::string bind = "0.0.0.0";
  // The console's TLS certificate chain and key (PEM); empty: the hub's own server
  // certificate (issued by the hub's server CA, which staff PCs then trust).
  std::string certificate;
  std::string key;
  // The pages and their assets; empty: the folder installed with cks-hub.
  std::string www;
  // PEM bundle of the government CA roots and intermediates that issue staff members' own
  // certificates; set: the console asks for (never requires) a client certificate, verified
  // against this bundle alone, for POST /login/certificate. Empty: password logins only.
  std::string client_ca;
  std::chrono::seconds idle_timeout{std::chrono::minutes(30)};    // a session unused this long ends
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};  // and any session after this

  [[nodiscard]] bool enabled() const { return port != 0; }
};

// [revocation]: the revocation lists of the government's CAs, fetched and checked by the hub
// (hub/province/revocation_service.h, docs/revocation.md). Off until ca_files is set.
struct RevocationSettings {
  std::vector<std::string> ca_files;  // PEM bundles or DER: the CAs whose lists are believed
  std::vector<std::string> crl_urls;  // http:// URLs fetched beside the certificates' own points
  std::chrono::hours refresh{6};      // how often a list is fetched again
  std::optional<std::string> proxy;   // as [upstream] proxy; unset: [upstream] proxy
  std::chrono::seconds timeout{30};

  [[nodiscard]] bool enabled() const { return !ca_files.empty(); }
};

struct HubConfig {
  std::string source;  // the file it was read from

  // [server]
  int port = 8443;
  std::string bind = "0.0.0.0";
  std::size_t max_body = 4 * 1024 * 1024;
  int threads = 16;
  // The bounds that keep the port open for enrolled agents (docs/security.md, "Resource
  // bounds"): the time from a connection's start (or its previous answer) to a request's last
  // body byte, the connections one address may hold before its certificate is known, the
  // connections of certificates the hub did not issue (enrolment), and the bytes of pushes the
  // hub accepts from one agent in a day (UTC).
  std::chrono::seconds request_deadline{30};
  int connections_per_address = 32;
  int unenrolled_connections = 8;
  std::size_t agent_daily_volume = 64 * 1024 * 1024;

  // [tls]
  std::string tls_dir = platform::stateFolder("cks-hub") + "/tls";
  std::vector<std::string> server_names;  // beyond localhost, 127.0.0.1 and ::1
  std::string organization = "cks hub";   // O= of the hub's own CAs, set when they are made

  // [store]
  StoreLocation store{StoreLocation::Kind::Sqlite, platform::stateFolder("cks-hub") + "/hub.db",
                      ""};

  // [expiry]
  int expiring_days = 90;

  // [display] time_zone: the zone `admin` text shows times in (JSON stays UTC).
  TimeZone display_zone = vietnamTimeZone();

  // [requests]
  RequestSettings requests;

  // [upstream]
  UpstreamSettings upstream;

  // [province]
  ProvinceIdentity province;

  // [console]
  ConsoleSettings console;

  // [revocation]
  RevocationSettings revocation;

  // [log]
  common::LogSettings log;
};

// Reads and validates `path`. Relative paths in it resolve against the file's folder.
[[nodiscard]] Result<HubConfig> loadHubConfig(const std::string& path,
                                              Language language = Language::Vietnamese);

// Parses a byte size: "4194304", "512K", "4M", "1G" (also "4MiB", "4 MB"; units are powers of 2).
[[nodiscard]] bool parseByteSize(std::string_view text, std::size_t& out);

// Parses "30s", "15m", "72h", "7d" or a bare number of seconds.
[[nodiscard]] bool parseSeconds(std::string_view text, std::chrono::seconds& out);

}  // namespace cks::hub
