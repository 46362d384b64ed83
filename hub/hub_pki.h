// The hub's own PKI, kept in the [tls] dir: an *agent CA* that signs each enrolled agent's
// certificate, and a *server CA* with the *server certificate* of the HTTPS listener (agents
// trust exactly the server CA). Made at first use, loaded afterwards; private keys are written
// with mode 0600. Immutable once open: every method is safe to call from many threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace cks::hub {

// What the TLS client certificate of a connection says about its holder.
struct ClientIdentity {
  enum class Kind {
    Agent,       // issued by the agent CA: agent_id and agency_code are set
    SelfSigned,  // an agent that is enrolling (may call /v1/enroll only)
    Unknown,     // anything else (cannot pass the TLS handshake; refused if it ever does)
  };
  Kind kind = Kind::Unknown;
  std::string agent_id;                   // CN
  std::string agency_code;                // O
  std::vector<unsigned char> public_key;  // SubjectPublicKeyInfo DER
};

class HubPki {
 public:
  // Loads the PKI from `dir`, creating the folder (0700), the CAs and keys that are missing.
  // The server certificate is (re)issued when missing, when it does not name every one of
  // localhost, 127.0.0.1, ::1 and `server_names`, or when it has less than 30 days left.
  // `organization` is the O= of the CAs made now.
  [[nodiscard]] static Result<std::unique_ptr<HubPki>> open(
      const std::string& dir, const std::vector<std::string>& server_names,
      const std::string& organization, const Clock& clock);
  ~HubPki();
  HubPki(const HubPki&) = delete;
  HubPki& operator=(const HubPki&) = delete;

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string agentCaPem() const;
  [[nodiscard]] std::string serverCaPem() const;
  // SHA-256 (hex) of the server CA's DER: what a commune checks the CA file it was handed
  // against before `cksctl enroll --hub-ca`.
  [[nodiscard]] std::string serverCaFingerprint() const;
  // Files for the TLS listener.
  [[nodiscard]] std::string agentCaFile() const;
  [[nodiscard]] std::string serverCertificateFile() const;
  [[nodiscard]] std::string serverKeyFile() const;

  // Issues the certificate of an enrolled agent for the key in `csr_pem` (whose own signature
  // must verify): CN=agent_id, O=agency_code, OU=cks-agent, clientAuth, valid two years.
  [[nodiscard]] Result<std::string> signAgentCsr(const std::string& csr_pem,
                                                 const std::string& agent_id,
                                                 const std::string& agency_code) const;

  // The SubjectPublicKeyInfo DER of the key in `csr_pem`; an error if it is not a CSR whose
  // signature verifies.
  [[nodiscard]] Result<std::vector<unsigned char>> csrPublicKey(const std::string& csr_pem) const;

  // Classifies a client certificate that passed the TLS handshake.
  [[nodiscard]] ClientIdentity identify(const X509* certificate) const;

 private:
  struct Impl;
  explicit HubPki(std::unique_ptr<Impl> impl, std::string dir);
  std::unique_ptr<Impl> impl_;
  std::string dir_;
};

}  // namespace cks::hub
