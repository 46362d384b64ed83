// Enrolment: the one-time exchange that turns an enrolment code from the province into this
// agent's client certificate. The key is generated here and never leaves the machine; the hub
// sees only a CSR and, during the handshake, a self-signed certificate made from the same key.
// Not thread-safe with itself: agent.key doubles as the lock against a second enrolment.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <tl/expected.hpp>

#include "core/agency_identity.h"
#include "core/clock.h"
#include "sync/client/hub_transport.h"

namespace cks::sync {

// The files an enrolment leaves in EnrollmentSettings::files_dir, all mode 0600.
inline constexpr const char* kAgentKeyFile = "agent.key";          // EC P-256, PKCS#8 PEM
inline constexpr const char* kAgentCertificateFile = "agent.crt";  // issued by the agent CA
inline constexpr const char* kAgentCaFile = "agent-ca.crt";        // the hub's agent CA
inline constexpr const char* kHubCaFile = "hub-ca.crt";            // the hub's server CA (trusted)

struct EnrollmentSettings {
  std::string hub_url;      // https://host:port
  std::string hub_ca_file;  // PEM of the hub's server CA (`cks-hub admin server-ca`)
  std::string code;         // the one-time enrolment code
  std::string files_dir;    // created with mode 0700 if missing
  std::string host;         // this machine's name, shown to the province
  std::string agent_version;
  std::string proxy;  // as TransportSettings::proxy
  std::chrono::seconds timeout{30};
  bool force = false;  // replace an existing enrolment (kept if the new one fails)
};

struct EnrollmentResult;
// Keeps what the caller must know of a new enrolment (its own store), called once every file
// is written: a failure undoes the files, puts a previous enrolment back and fails the
// enrolment, so the files and the caller's record never disagree.
using EnrollmentRecorder = std::function<Status(const EnrollmentResult&)>;

struct EnrollmentResult {
  std::string agent_id;
  std::string agency_code;
  std::string agency_name;
  // Everything the hub said of the agency (its code and name too), for its documents.
  AgencyIdentity identity;
  std::string key_file;
  std::string certificate_file;
  std::string agent_ca_file;
  std::string hub_ca_file;  // the copy in files_dir; the agent trusts this one from now on
  TimePoint hub_time{};
};

struct EnrollmentError {
  enum class Kind {
    AlreadyEnrolled,  // agent.key exists and force is off
    Unreachable,      // no answer from the hub (refused, unresolvable, timed out, proxy): exit 4
    Tls,              // the hub's certificate is not from hub_ca_file or not for its host name
    CodeInvalid,      // 403 enroll_code_invalid: unknown, already used or expired code
    Refused,          // any other refusal by the hub
    DiskFull,         // a file of this PC could not be written before the hub was asked (the
                      // code is still good once there is room)
    Failed,           // bad settings, local files, a malformed answer
  };
  Kind kind = Kind::Failed;
  std::string message;  // one line for the officer: what happened and what to do

  // The kind callers decide on: Conflict (already enrolled), Unavailable (unreachable, disk full),
  // FailedPrecondition (TLS: the hub CA or URL must change first), PermissionDenied (the hub
  // refused the code or the agent), else Internal. `kind` keeps the reason the local API sends
  // ("code_invalid", "tls", …), which is an interface.
  [[nodiscard]] ErrorCode code() const;
};

// Enrols with the hub. In order: writes a new key to files_dir/agent.key (O_EXCL, 0600), posts
// /v1/enroll through a transport from `make_transport` that presents a short-lived self-signed
// certificate of that key, then writes agent.crt, agent-ca.crt and hub-ca.crt. On any failure
// nothing new is left behind and a previous enrolment (force) is put back. `record`, if any,
// keeps the result before the files are kept (EnrollmentRecorder).
[[nodiscard]] tl::expected<EnrollmentResult, EnrollmentError> enroll(
    const EnrollmentSettings& settings, const Clock& clock,
    const TransportFactory& make_transport = makeHubTransport,
    const EnrollmentRecorder& record = {});

// The caller's record is an enrolment's commit point (EnrollmentRecorder). A kill after the new
// files were written and before the record left them beside a record of the previous
// enrolment, whose files wait as *.previous: when the certificate in `files_dir` names another
// agent than `recorded_agent_id` and agent.crt.previous names that one, the previous files are
// put back. True when it did so.
[[nodiscard]] Result<bool> undoUnrecordedEnrollment(const std::string& files_dir,
                                                    const std::string& recorded_agent_id);

// Certificate renewal (docs/sync-protocol.md, "POST /v1/renew").
//
// When the enrolled certificate in `files_dir` expires.
[[nodiscard]] Result<TimePoint> enrolledCertificateExpiry(const std::string& files_dir);
// Puts a renewal's agent.key.next and agent.crt.next in place, key first. Called again after a
// crash between the two renames, it finishes them; a key whose certificate was never written is
// dropped. Afterwards agent.key and agent.crt belong together.
[[nodiscard]] Status finishRenewal(const std::string& files_dir);
// Makes a new key here, asks the hub over `transport` (the current certificate's) for its
// certificate, and puts both in place. On any failure the current key and certificate stay in
// use; the error is Unavailable when the hub did not answer.
[[nodiscard]] Status renewCertificate(const std::string& files_dir, const std::string& host,
                                      HubTransport& transport);

// The transport settings of an enrolled client: the hub's CA, certificate and key that the
// enrolment left in `files_dir`, the hub's URL, and the client's proxy and timeout.
[[nodiscard]] TransportSettings enrolledTransport(const std::string& files_dir,
                                                  const std::string& hub_url,
                                                  const std::string& proxy,
                                                  std::chrono::seconds timeout);

}  // namespace cks::sync
