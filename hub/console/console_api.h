// The console's API (docs/console-api.md): the JSON the console's pages call, and an
// integration point for the province's other systems. Every call under /api/v1/ needs a
// session (401 without one), a change also the session's CSRF token in X-CSRF-Token (403
// without it), and the role its route names (403 otherwise). Logging in (POST /login, or POST
// /login/certificate with the connection's verified client certificate), out (POST /logout)
// and the console's texts (GET /messages) are outside /api/v1/. Every rule is
// a province service's (hub/province/): the API parses, calls and renders the views' JSON
// (province/view_json.h), as the admin CLI does. Errors are {"error": kind, "message"} with
// the kind's HTTP status (core/error_code.h). Transport-free, so the server (console_server.h)
// stays thin. Thread-safe as its store and session table are.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/clock.h"
#include "hub/console/session_table.h"
#include "hub/hub_config.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

struct ConsoleRequest {
  std::string method;
  std::string path;                          // without the query string
  std::map<std::string, std::string> query;  // decoded
  std::string body;
  std::string session_token;  // the session cookie's value; empty: none
  std::string csrf_token;     // the X-CSRF-Token header
  // The SHA-256 (hex) of the client certificate the TLS layer verified against [console]
  // client_ca on this connection; empty: none. Set by the server only, never from a header.
  std::string client_certificate;
};

struct ConsoleAnswer {
  int status = 200;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json; charset=utf-8";
  // Set: a file to save (a PDF, XLSX or CSV export), under this name.
  std::string download_name;
  // Set: the session cookie to send (a token), or to clear (empty).
  std::optional<std::string> session_cookie;
};

// Where a commune's PC enrols, told with each new enrolment code: the sync API's URL and the
// server CA the agent is handed (`cksctl enroll --hub URL --code CODE --hub-ca FILE`).
struct EnrolmentTarget {
  std::string hub_url;
  std::string ca_pem;
  std::string ca_fingerprint;  // SHA-256 (hex) of the CA's DER
};

class ConsoleApi {
 public:
  // Keeps references: all outlive the API. `expiring_days` is [expiry] days, the window a
  // certificate's "expiring" state uses.
  ConsoleApi(HubStore& store, const Clock& clock, SessionTable& sessions, int expiring_days)
      : store_(store), clock_(clock), sessions_(sessions), expiring_days_(expiring_days) {}
  // With the hub's settings: [province] names the agency forms' and the reports' issuers,
  // [upstream] is the link the yearly report goes up by.
  ConsoleApi(HubStore& store, const Clock& clock, SessionTable& sessions, const HubConfig& config)
      : store_(store),
        clock_(clock),
        sessions_(sessions),
        expiring_days_(config.expiring_days),
        config_(config) {}

  [[nodiscard]] ConsoleAnswer handle(const ConsoleRequest& request) const;

  // Set before the console serves (hub_main.cc); empty fields until then.
  void setEnrolmentTarget(EnrolmentTarget target) { enrolment_ = std::move(target); }

 private:
  // A session for `account` (opened by that certificate when set): its JSON and cookie.
  [[nodiscard]] ConsoleAnswer openSession(const StaffAccount& account,
                                          const std::string& certificate_fingerprint) const;

  HubStore& store_;
  const Clock& clock_;
  SessionTable& sessions_;
  const int expiring_days_;
  EnrolmentTarget enrolment_;
  const HubConfig config_;
};

}  // namespace cks::hub
