// The OpenSSL calls more than one module makes: the text of the last OpenSSL error, a new
// EC P-256 key (the agent's enrolment key, the hub's CAs and server key), random bytes and
// random (version 4) UUIDs (journal and outbox entries, agent ids).
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/openssl_ptr.h"
#include "core/result.h"

namespace cks {

using KeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;

// The oldest error on this thread's OpenSSL error queue, which it then clears; `none` when the
// queue is empty.
[[nodiscard]] std::string openSslError(std::string_view none = "unknown OpenSSL error");

// A fresh EC key on the P-256 curve; the error is "generate an EC P-256 key: <OpenSSL's text>".
[[nodiscard]] Result<KeyPtr> makeEcKey();

// Fills `out` from OpenSSL's generator; a generator that fails is a broken installation
// (CKS_CHECK), not something a caller can handle.
void randomBytes(std::span<std::uint8_t> out);

// A random (version 4, RFC 4122) UUID in lowercase: "3f2b…-…".
[[nodiscard]] std::string newUuidV4();

}  // namespace cks
