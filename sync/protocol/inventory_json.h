// The JSON shapes of inventory views: the agent's local API (`cksctl certs|tokens --json`) and
// the hub's (`cks-hub admin inventory --json`) print the same fields. They are an interface
// contract (docs/local-api.md); extend, never rename.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "core/clock.h"
#include "core/inventory.h"
#include "core/revocation.h"
#include "sync/protocol/json_text.h"  // stringify, which inventory views are written with

namespace cks::sync {

// One element of `certs --json`; days_left and status are computed at `now`.
[[nodiscard]] Poco::JSON::Object::Ptr certificateJson(const InventoryCertificate& cert,
                                                      TimePoint now, int expiring_days);
[[nodiscard]] Poco::JSON::Object::Ptr tokenJson(const InventoryToken& token);
// The agent's `certs --json` adds, per certificate, `revocation` {status, as_of, revoked_at,
// reason} (null when unset) and `chain` {status} (docs/revocation.md).
void addStandingJson(Poco::JSON::Object& cert, const RevocationStatus& revocation,
                     ChainStatus chain);
// The `revocation` object back (cksctl's table); unknown when absent or unreadable.
[[nodiscard]] RevocationStatus readRevocationJson(const Poco::JSON::Object::Ptr& revocation);

}  // namespace cks::sync
