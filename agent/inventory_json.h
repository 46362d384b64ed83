// The JSON shapes of the local API (and so of `cksctl … --json`): certificates, tokens and
// status. Field names are an interface contract (docs/local-api.md); extend, never rename.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "core/clock.h"
#include "store/inventory.h"

namespace cks::agent {

// One element of `certs --json`; days_left and status are computed at `now`.
[[nodiscard]] Poco::JSON::Object::Ptr certificateJson(const store::InventoryCertificate& cert,
                                                      TimePoint now, int expiring_days);
[[nodiscard]] Poco::JSON::Object::Ptr tokenJson(const store::InventoryToken& token);
[[nodiscard]] Poco::JSON::Object::Ptr moduleJson(const store::ModuleStatus& module);

[[nodiscard]] std::string stringify(const Poco::Dynamic::Var& value);

}  // namespace cks::agent
