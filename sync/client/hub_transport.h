// The one door from the agent to the hub: POST a JSON body to a /v1/… path over mutual TLS and
// get the status and body back. The sync session and enrolment talk only through HubTransport,
// so tests hand in fakes and cpprestsdk stays in one file (cpprest_transport.cc). One transport
// serves one thread at a time; make a transport per thread that needs one.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "core/result.h"

namespace cks::sync {

struct TransportSettings {
  std::string hub_url;           // https://host:port
  std::string hub_ca_file;       // PEM; the hub's certificate must chain to it, and only to it
  std::string client_cert_file;  // PEM: the agent's certificate (self-signed while enrolling)
  std::string client_key_file;   // PEM: its private key
  // "" = connect directly; "env" = https_proxy / HTTPS_PROXY unless no_proxy / NO_PROXY names
  // the hub's host; otherwise an explicit http://[user:password@]host:port.
  std::string proxy;
  std::chrono::seconds timeout{30};  // per request phase (connect, handshake, each read)
  bool gzip = true;                  // gzip larger request bodies; ask for gzip answers
};

// What the hub answered, whatever the status. `body` is decompressed; the byte counts are the
// HTTP payloads as they crossed the wire (after compression), for the idle-sync byte budget.
struct HubAnswer {
  int status = 0;
  std::string body;
  std::size_t bytes_sent = 0;
  std::size_t bytes_received = 0;
};

// The request got no HTTP answer.
struct TransportError {
  enum class Kind {
    Unreachable,  // name not resolved, connection refused, no route, proxy refused the tunnel
    Tls,          // handshake failed: certificate not from hub_ca_file, wrong host name, ...
    Timeout,      // no progress within TransportSettings::timeout
    Other,        // anything else (bad settings, unreadable key file, broken answer)
  };
  Kind kind = Kind::Other;
  std::string message;

  // The kind callers decide on: Unavailable when the hub could not be reached or did not
  // answer in time (try later), FailedPrecondition when TLS refused it (the trusted CA or the
  // URL must change first), else Internal. `kind` keeps the detail that messages name.
  [[nodiscard]] ErrorCode code() const;
};

class HubTransport {
 public:
  virtual ~HubTransport() = default;
  // Posts `json` to `path` (e.g. "/v1/push"). Any HTTP status is an answer; only a request that
  // got no answer is a TransportError.
  virtual tl::expected<HubAnswer, TransportError> post(const std::string& path,
                                                       const std::string& json) = 0;
};

// The real transport (cpprestsdk). Settings are checked on the first post(); call
// checkTransportSettings() at start-up to fail early with a clear message.
[[nodiscard]] std::unique_ptr<HubTransport> makeHubTransport(const TransportSettings& settings);

using TransportFactory = std::function<std::unique_ptr<HubTransport>(const TransportSettings&)>;

// Checks what can be checked without the network: an https:// URL with a host, readable
// certificate and key files, and a usable proxy setting.
[[nodiscard]] Status checkTransportSettings(const TransportSettings& settings);

// "unreachable", "tls", "timeout" or "other", for messages and logs.
[[nodiscard]] const char* kindName(TransportError::Kind kind);

}  // namespace cks::sync
