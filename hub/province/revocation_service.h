// The province's revocation lists (issue 16, docs/revocation.md): fetching each source's list
// (the URLs of [revocation] crl_urls and the CRL distribution points of the certificates agents
// reported), checking it against the configured CAs (hub/revocation/crl.h), keeping the newest
// per issuer in the store (RevocationLists), and when each source is fetched again: every
// refresh_hours after a current list, sooner when its nextUpdate comes first, and after a
// failure with a backoff that doubles from 15 minutes up to refresh_hours. A refused list
// leaves the one held in place; every fetch's outcome is recorded and logged. Thread-safe as
// its store; fetches run one at a time (the hub's refresh thread, or `admin revocation fetch`).
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/revocation.h"
#include "hub/hub_config.h"
#include "hub/revocation/crl_fetcher.h"
#include "hub/revocation/issuing_cas.h"
#include "hub/store/revocation_lists.h"

namespace cks::hub {

// One source as `admin revocation` shows it: the source, the list held for its issuer (when
// one is), and how many certificates agents reported that list revokes.
struct RevocationSourceView {
  CrlSourceRecord source;
  std::optional<HeldCrlRecord> held;
  std::int64_t revoked_certificates = 0;
};

struct RevocationView {
  std::vector<RevocationSourceView> sources;
  TimePoint at{};
};

// The first retry after a failed fetch; each further failure doubles it, up to the refresh.
inline constexpr std::chrono::minutes kFirstRetry{15};

class RevocationService {
 public:
  // `cas`: the CAs whose lists are believed; `fetch`: how lists are fetched.
  RevocationService(RevocationLists& lists, RevocationSettings settings, IssuingCas cas,
                    FetchSettings fetch, const Clock& clock, Poco::Logger& log);

  // The service of a hub's configuration: its CAs read from [revocation] ca_files, its proxy
  // [revocation] proxy (unset: [upstream] proxy). Fails naming the file that holds no
  // certificate.
  [[nodiscard]] static Result<RevocationService> open(RevocationLists& lists,
                                                      const HubConfig& config, const Clock& clock,
                                                      Poco::Logger& log);

  // Fetches every source now; each source after its fetch. Each round then queues to the
  // agencies the statuses of their certificates that changed (RevocationLists).
  [[nodiscard]] Result<std::vector<CrlSourceRecord>> fetchAll();
  // Fetches the sources whose next fetch has come (or that were never fetched).
  [[nodiscard]] Result<std::vector<CrlSourceRecord>> fetchDue();
  // The earliest next fetch of any source; nullopt when there is no source.
  [[nodiscard]] Result<std::optional<TimePoint>> nextDue();

  // Every source with the list held for its issuer.
  [[nodiscard]] Result<RevocationView> view();
  // The revocation status now of the certificate `serial` of `issuer` (Certificate's fields).
  [[nodiscard]] Result<RevocationStatus> statusOf(const std::string& issuer,
                                                  const std::string& serial);

 private:
  // The sources to fetch: hub.ini's, and the distribution points of certificates seen.
  [[nodiscard]] Result<std::vector<CrlSourceRecord>> refreshSources();
  // Every source, or only those due.
  [[nodiscard]] Result<std::vector<CrlSourceRecord>> fetch(bool only_due);
  [[nodiscard]] Result<CrlSourceRecord> fetchOne(CrlSourceRecord source);
  // What to record of a refused fetch, and its log line.
  CrlSourceRecord refused(CrlSourceRecord source, CrlOutcome outcome, const std::string& detail,
                          TimePoint now);
  // What to record of a fetch that gave a current list (accepted or unchanged).
  [[nodiscard]] CrlSourceRecord current(CrlSourceRecord source, CrlOutcome outcome,
                                        const std::optional<TimePoint>& next_update,
                                        TimePoint now) const;

  RevocationLists& lists_;
  RevocationSettings settings_;
  IssuingCas cas_;
  FetchSettings fetch_;
  const Clock& clock_;
  Poco::Logger& log_;
};

}  // namespace cks::hub
