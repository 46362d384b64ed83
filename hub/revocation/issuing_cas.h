// The CA certificates the hub trusts to sign revocation lists: those of [revocation] ca_files
// (the government's root and issuing CAs, PEM bundles or DER). A list is believed only when
// its issuer is one of them and that CA's key verifies its signature. Immutable once loaded;
// thread-safe.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/openssl_ptr.h"
#include "core/result.h"

namespace cks::hub {

class IssuingCas {
 public:
  using X509Ptr = OpenSslPtr<X509, X509_free>;

  IssuingCas() = default;

  // Reads every certificate of each file (PEM, one or more; else one DER). A file that cannot
  // be read or holds no certificate is an error naming it.
  [[nodiscard]] static Result<IssuingCas> fromFiles(const std::vector<std::string>& paths);
  // The CAs of these DER certificates; one that does not parse is an error.
  [[nodiscard]] static Result<IssuingCas> fromDer(
      const std::vector<std::vector<std::uint8_t>>& certificates);

  // The CAs whose subject is `name` (more than one across a key rollover).
  [[nodiscard]] std::vector<X509*> named(const X509_NAME* name) const;
  // The CAs' subjects as certificates' issuers read (RFC 4514), for messages.
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] bool empty() const { return cas_.empty(); }

 private:
  std::vector<X509Ptr> cas_;
};

}  // namespace cks::hub
