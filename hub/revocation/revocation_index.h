// A list's entries by serial, for matching many certificates of its issuer at once (each
// lookup a hash probe). Borrows the list: it must outlive the index. Immutable; thread-safe.
#pragma once

#include <string_view>
#include <unordered_map>

#include "hub/revocation/crl.h"

namespace cks::hub {

class RevocationIndex {
 public:
  explicit RevocationIndex(const RevocationList& list);

  // The entry of the certificate with `serial` (Certificate::serial) if the list revokes it.
  [[nodiscard]] const RevokedEntry* find(std::string_view serial) const;

  // What the list says of the certificate with `serial`, as core's rule reads it.
  [[nodiscard]] HeldListing listing(std::string_view serial) const;

 private:
  const RevocationList& list_;
  std::unordered_map<std::string_view, const RevokedEntry*> by_serial_;
};

}  // namespace cks::hub
