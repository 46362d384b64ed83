// A province hub's link to the national hub it reports to (docs/report.md, "Upward to the
// nation"). At the national hub the province is an agent of its own code (e.g. H55): it enrols
// once with a code the national hub gives, then pushes its yearly aggregate with the same
// protocol and mutual TLS as any agent. Everything the link keeps is in [upstream] dir, mode
// 0700: the key and certificates of the enrolment (sync/client/enrollment.h) and upstream.db, a
// store file of the agent's schema whose outbox holds what is not yet acknowledged, so that an
// aggregate queued while the national hub is away goes out with the next `upstream sync`.
// Used by the admin commands, one at a time.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "hub/hub_config.h"
#include "store/inventory.h"
#include "sync/client/enrollment.h"
#include "sync/client/sync_session.h"

namespace cks::hub {

// Who the province is at the national hub, once enrolled.
struct UpstreamLink {
  std::string url;
  std::string agent_id;
  std::string province_code;  // the agency code the national hub enrolled it under
  std::string province_name;
};

class Upstream {
 public:
  // Opens (and creates) the link's folder and store file.
  [[nodiscard]] static Result<std::unique_ptr<Upstream>> open(const UpstreamSettings& settings);

  // The enrolment, or nullopt before `enroll`.
  [[nodiscard]] Result<std::optional<UpstreamLink>> link();

  // Enrols with the national hub at `url` with its one-time `code`, checking its server against
  // the PEM file `hub_ca_file`. `force` replaces an earlier enrolment (kept if this one fails).
  [[nodiscard]] tl::expected<UpstreamLink, sync::EnrollmentError> enroll(
      const std::string& url, const std::string& code, const std::string& hub_ca_file,
      const std::string& host, bool force, const Clock& clock);

  // Queues the next version of the province's aggregate of `year` (`report_json`, as
  // `report province --json` prints it) as a province_report_submitted entry; the version and
  // the entry commit together. Returns the version (1 for the first of the year).
  [[nodiscard]] Result<int> queueProvinceReport(int year, const std::string& report_json,
                                                TimePoint now);

  // Pushes what is queued to the national hub (one sync session: feed, push, digest).
  [[nodiscard]] sync::SyncReport sync(const Clock& clock);

 private:
  Upstream(UpstreamSettings settings, std::unique_ptr<store::Inventory> store)
      : settings_(std::move(settings)), store_(std::move(store)) {}
  UpstreamSettings settings_;
  std::unique_ptr<store::Inventory> store_;
};

}  // namespace cks::hub
