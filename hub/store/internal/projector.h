// Applies one agent's pushed entries to the province's view (hub_tokens, hub_certificates and
// their links, alerts, requests, reports) inside the push's transaction. Internal to hub/store.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "core/result.h"
#include "hub/inventory_change.h"
#include "hub/store/connection.h"

namespace cks::hub::sql {

// Applies one agent's entries to the projection (hub_tokens, hub_certificates and their links),
// with the agent store's rules (store/inventory.cc), inside the caller's transaction.
class Projector {
 public:
  Projector(StoreConnection& c, std::string agent_id, std::string agency_code, std::string lane,
            std::string received_at)
      : c_(c),
        agent_id_(std::move(agent_id)),
        agency_code_(std::move(agency_code)),
        lane_(std::move(lane)),
        received_at_(std::move(received_at)) {}

  Status apply(const InventoryChange& change);
  // Makes the once-per-agency choice again (agency_choice.h) for every certificate the applied
  // entries changed, or whose token they changed, and for the agency's tokens when they changed
  // any; once, after the last entry of a push.
  Status settle();

 private:
  enum class TokenEffect { Insert, Remove, Touch };

  Result<std::int64_t> token(const ChangeToken& t, const std::string& at, TokenEffect effect);
  Result<std::int64_t> certificateId(const std::string& fingerprint);
  Result<std::int64_t> certificate(const ChangeCertificate& cert, const std::string& first_seen,
                                   const std::string& last_seen, bool seen);
  Status link(std::int64_t token_id, std::int64_t cert_id, bool on, const std::string& first_seen,
              const std::string& last_seen);
  Status alert(std::int64_t seq, const AlertChange& a);
  Status requestFiled(const RequestFiled& filed);
  Status requestCancelled(const RequestCancelled& cancel);
  Status reportSubmitted(const ReportSubmitted& submitted);
  Status reportDraftSaved(const ReportDraftSaved& saved);
  Status provinceReportSubmitted(const ProvinceReportSubmitted& submitted);
  Status replaceWith(const InventoryChange& change);

  StoreConnection& c_;
  const std::string agent_id_;
  const std::string agency_code_;
  const std::string lane_;
  const std::string received_at_;
  // What the applied entries changed, for settle().
  std::set<std::string> fingerprints_;
  std::set<std::int64_t> token_ids_;
  bool tokens_changed_ = false;  // also a snapshot that left the agent no token
};

}  // namespace cks::hub::sql
