// The once-per-agency choice, made when the data changes rather than when a list is read: each
// certificate an agency's agents saw is one row of hub_agency_certificates (and each token one
// row of hub_agency_tokens), with the sighting
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

// Each sighting of a token (one agent's row of hub_tokens) with its agent's host and how many
// certificates are on it, and the once-per-agency choice of each physical token (serial,
// manufacturer): `pick` 1 for the sighting where it is plugged in, else the latest (else the
// greatest agent id), `earliest` the first sighting of all. Ends in "WHERE 1 = 1 ": the caller
// appends its conditions on `t` (hub_tokens) and `a` (agents).
extern const std::string_view kTokenSightings;

// Makes the choice of every token of `agency_code` again (hub_agency_tokens, schema 11), inside
// the caller's transaction: a push that changed its tokens or what is on them, an agent revoked.
[[nodiscard]] Status chooseAgencyTokens(StoreConnection& c, const std::string& agency_code);

// Makes each choice (certificates, schema 9; tokens, schema 11) once for a store whose choice
// was never made: nothing for one that was.
[[nodiscard]] Status chooseFromBefore(StoreConnection& c, SqlDialect dialect);

}  // namespace cks::hub::sql
