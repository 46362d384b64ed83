#include "hub/revocation/revocation_index.h"

namespace cks::hub {

RevocationIndex::RevocationIndex(const RevocationList& list) : list_(list) {
  by_serial_.reserve(list.entries.size());
  for (const RevokedEntry& entry : list.entries) by_serial_.emplace(entry.serial, &entry);
}

const RevokedEntry* RevocationIndex::find(std::string_view serial) const {
  const auto found = by_serial_.find(serial);
  return found == by_serial_.end() ? nullptr : found->second;
}

HeldListing RevocationIndex::listing(std::string_view serial) const {
  HeldListing listing{list_.this_update, list_.next_update, false, {}, std::nullopt};
  if (const RevokedEntry* entry = find(serial)) {
    listing.listed = true;
    listing.revoked_at = entry->revoked_at;
    listing.reason = entry->reason;
  }
  return listing;
}

}  // namespace cks::hub
