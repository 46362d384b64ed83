// The once-per-agency choice, made when the data changes rather than when a list is read: each
// certificate an agency's agents saw is one row of hub_agency_certificates, with the sighting
// chosen (where it is plugged in, else the latest, else the greatest agent id), its first
// sighting of all and the token it is on, so that a page of the province's certificates is an
// index range (province_views.cc). The rule itself is one statement (kSightings), shared with
// the one-agent view. Internal to hub/store.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub::sql {

// Each certificate sighting with the token it is on now, else the one it was last seen on (the
// agent's rule, store/inventory.cc; equal sightings: the smaller serial), and the
// once-per-agency choice: `pick` 1 for the sighting where it is plugged in, else the latest
// (else the greatest agent id), `earliest` the first sighting of all, `on_token` whether it
// is still on the token shown. Ends in "WHERE 1 = 1 ":
// the caller appends its conditions on `c` (hub_certificates) and `a` (agents).
extern const std::string_view kSightings;

// Makes the choice again for the certificates `fingerprints` of `agency_code`, inside the
// caller's transaction (a push that changed them, or the tokens they are on).
[[nodiscard]] Status chooseCertificates(StoreConnection& c, const std::string& agency_code,
                                        const std::set<std::string>& fingerprints);
// Makes it again for every certificate of `agency_code` (an agent revoked).
[[nodiscard]] Status chooseAgencyCertificates(StoreConnection& c, const std::string& agency_code);
// Makes it once for a store whose choice was never made (schema 9 added it): nothing when it
// was.
[[nodiscard]] Status chooseFromBefore(StoreConnection& c);

}  // namespace cks::hub::sql
