// The proof's HMAC and nonce on Linux, from OpenSSL (tray/core/proving_connection.h).
#pragma once

#include "tray/core/proving_connection.h"

namespace cks::tray {

[[nodiscard]] ProofCrypto opensslProofCrypto();

}  // namespace cks::tray
