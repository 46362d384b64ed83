// What the hub told this agency of its certificates' revocation (docs/revocation.md, "At the
// agent"): for each certificate, the status the last revocation_status feed item said, the
// nextUpdate of the list it came from and when it arrived. Evaluated at the agent's
// hub-corrected time (core/revocation.h, toldStatusAt): past that nextUpdate a good status shows
// as unknown since then. A certificate never told is unknown. Thread-safe through the
// Inventory's lock (the table lives in the same file).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "core/revocation.h"

namespace cks::store {

class Inventory;

struct ToldRevocation {
  RevocationStatus status;
  std::optional<TimePoint> next_update;
  TimePoint received_at{};

  // The status at `now` (toldStatusAt).
  [[nodiscard]] RevocationStatus at(TimePoint now) const {
    return toldStatusAt(status, next_update, now);
  }
};

// The schema (appended to the store's migrations).
[[nodiscard]] std::string_view revocationsMigration();

class Revocations {
 public:
  explicit Revocations(Inventory& inventory) : inventory_(inventory) {}

  // Keeps what the hub told of `fingerprint`, replacing what it told before.
  [[nodiscard]] Status record(const std::string& fingerprint, const RevocationStatus& status,
                              const std::optional<TimePoint>& next_update, TimePoint received_at);
  // Everything told, by fingerprint.
  [[nodiscard]] Result<std::map<std::string, ToldRevocation>> told();
  // The status at `now` of each certificate of `told`, unknown for the others.
  [[nodiscard]] static RevocationStatus statusOf(const std::map<std::string, ToldRevocation>& told,
                                                 const std::string& fingerprint, TimePoint now);

 private:
  Inventory& inventory_;
};

}  // namespace cks::store
