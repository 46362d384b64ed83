// The revocation_status feed (docs/revocation.md, "The feed"): each agency is told the status of
// its own certificates, and only when it differs from what it was last told
// (hub_agency_revocations), so that a list that changed nothing, or an idle sync, queues nothing.
// Run after a round of list fetches (a list accepted, or one gone past its nextUpdate) and in the
// transaction of a push that brings a certificate (one the agency may report for the first
// time). Internal to hub/store.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "core/revocation.h"
#include "hub/store/connection.h"

namespace cks::hub::sql {

// What a held list says of a certificate, from four columns from `column` on: the list's
// this_update and next_update, the entry's revoked_at and reason (NULL: not listed).
[[nodiscard]] HeldListing listingOf(const SqlRow& row, int column);

// Queues, for every agent of each agency (only `agency_code`'s when given), a revocation_status
// item per certificate whose status at `now` (core/revocation.h: revocationStatusAt, from the
// list held for its issuer) differs from the one the agency was last told, and records it as
// told. A certificate whose issuer has no list held stays untold: the agent reads that as
// unknown. Then the open revocation requests of certificates told revoked are completed
// (journalled by `revocation-list`, told through request_status). How many statuses changed.
[[nodiscard]] Result<int> queueRevocationChanges(StoreConnection& c,
                                                 const std::optional<std::string>& agency_code,
                                                 TimePoint now);

}  // namespace cks::hub::sql
