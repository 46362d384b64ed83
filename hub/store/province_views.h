// The store's province views: every agency's tokens, certificates and alerts as projected from
// the entries its agents pushed (ingest.h). The certificate list is filtered, sorted and paged
// in SQL (records.h: CertificateQuery), so that a console can page through a million of them.
// Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

class ProvinceViews {
 public:
  explicit ProvinceViews(ConnectionPool& pool) : pool_(pool) {}

  // The hub's view, as the agent's own store shows it: tokens (present first), and
  // certificates with the token they are on now, else the one they were last seen on.
  // Scoped to one agent: that agent's view, as it pushed it. Otherwise the agency's view: each
  // physical token (serial, manufacturer) and each certificate once per agency, whichever PCs
  // saw it (the sighting where it is plugged in, else the latest; first_seen the earliest), and
  // revoked agents no longer count (a re-enrolled PC is a new agent seeing the same tokens).
  // One page of them: present first, then by label, serial, manufacturer and agency; the
  // once-per-agency choice is made in SQL before the page is cut. A cursor that is not one of
  // this list: InvalidArgument.
  [[nodiscard]] Result<Page<HubToken>> tokens(const TokenQuery& query);
  // Every token of `scope`, in that order, in one statement (the sync API's view of one agent,
  // the admin commands).
  [[nodiscard]] Result<std::vector<HubToken>> allTokens(const ViewScope& scope);
  // One page of the certificates `query` asks for, in its order (records.h: CertificateSort);
  // the once-per-agency choice is made in SQL before the page is cut. A cursor that is not one
  // of this order: InvalidArgument.
  [[nodiscard]] Result<Page<HubCertificate>> certificates(const CertificateQuery& query);
  // Every certificate of `scope`, soonest expiry first, in one statement (the sync API's digest
  // of one agent, the admin commands).
  [[nodiscard]] Result<std::vector<HubCertificate>> allCertificates(const ViewScope& scope);

  // The common name of certificate `fingerprint` (whole) as agency `agency_code` holds it; ""
  // when it holds none (a request's holder, a key lookup per request of a page).
  [[nodiscard]] Result<std::string> certificateName(const std::string& agency_code,
                                                    const std::string& fingerprint);

  // The dashboard's counts of certificates (once per agency) and tokens at `now`.
  [[nodiscard]] Result<InventoryCounts> inventoryCounts(TimePoint now);

  // Makes the once-per-agency choice of every certificate (made at ingest since schema 9) for a
  // store whose data came before it; nothing when it was made. When the store opens.
  [[nodiscard]] Status chooseFromBefore();

  // One page of the alerts `filter` names, worst severity first, then the newest raised first
  // (then agency and uuid).
  [[nodiscard]] Result<Page<HubAlert>> alerts(const AlertFilter& filter);

 private:
  Result<Page<HubToken>> tokenPage(const TokenQuery& query, std::int64_t rows);
  Result<Page<HubCertificate>> certificatePage(const CertificateQuery& query, std::int64_t rows);

  ConnectionPool& pool_;
};

}  // namespace cks::hub
