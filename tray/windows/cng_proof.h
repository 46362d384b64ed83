// The proof's HMAC and nonce on Windows, from CNG (bcrypt.dll; tray/core/proving_connection.h).
#pragma once

#include "tray/core/proving_connection.h"

namespace cks::tray {

[[nodiscard]] ProofCrypto cngProofCrypto();

}  // namespace cks::tray
