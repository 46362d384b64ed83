// The agent's link to the province's hub: enrolment (once), and syncs on a period with jitter,
// soon after a local change, and on request (`cksctl sync`), with backoff after failures.
// Owns one background thread; syncNow() and the thread never run a sync at the same time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <Poco/Logger.h>

#include "agent/agent_config.h"
#include "agent/agent_sync_state.h"
#include "core/clock.h"
#include "store/inventory.h"

namespace cks::agent {

struct SyncResult {
  // "ok" (the hub acknowledged everything), "unreachable", "refused", "failed", "not_enrolled"
  std::string outcome;
  std::string message;
  std::int64_t pushed = 0;
  std::int64_t remaining = 0;
  std::optional<std::int64_t> clock_offset_seconds;
  std::string hub_error;  // the hub's error code when it refused ("forbidden": re-enrol)
  // Why an enrolment failed, for the officer's message: already_enrolled, unreachable, tls,
  // code_invalid, refused, disk_full or failed (`message` keeps the technical detail for the log).
  std::string reason;
  std::string enrolled_hub;  // already_enrolled: the hub this PC is enrolled with
  std::string folder;        // disk_full: the folder that could not be written
};

// The hub refuses this PC (403 forbidden: revoked or unknown to it) since `since` (this PC's
// clock, the first refusal in a row); kept in the store until a sync succeeds or the agent
// enrols again, so that `cksctl status` says it even after a restart.
struct HubRefusal {
  TimePoint since;
  std::string message;
};

struct Enrollment {
  std::string hub_url;
  std::string agent_id;
  std::string agency_code;
  std::string agency_name;
};

class HubSync {
 public:
  HubSync(const AgentConfig& config, store::Inventory& inventory, const Clock& clock,
          Poco::Logger& logger);
  ~HubSync();

  // Enrols this agent with the hub at `hub_url` using a one-time `code`; `hub_ca_pem` is the
  // hub's server CA to trust. The key is made here and never leaves this machine. `force`
  // replaces an existing enrolment (kept if the new one fails); without it an enrolled agent is
  // refused with outcome "already_enrolled". What waits in the outbox is kept and goes to the
  // hub under the new identity.
  [[nodiscard]] tl::expected<Enrollment, SyncResult> enroll(const std::string& hub_url,
                                                            const std::string& code,
                                                            const std::string& hub_ca_pem,
                                                            bool force = false);
  // Syncs now and returns the outcome.
  SyncResult syncNow();
  // A local change was recorded: sync soon.
  void changed();

  void start();
  void stop();

  [[nodiscard]] std::optional<Enrollment> enrollment();
  [[nodiscard]] std::optional<SyncResult> lastResult();
  [[nodiscard]] std::optional<std::int64_t> clockOffsetSeconds();
  // The last time (this PC's clock) a sync reached the hub, else when this agent enrolled.
  [[nodiscard]] std::optional<TimePoint> lastContact();
  // When this PC's certificate for the hub expires (renewed from [hub] renew_before on); none
  // before enrolment or when it cannot be read.
  [[nodiscard]] std::optional<TimePoint> certificateExpiry();
  // Whether the hub refuses this PC, and since when.
  [[nodiscard]] std::optional<HubRefusal> refusal();
  // Called after every sync, whatever its outcome (from the syncing thread).
  void onSynced(std::function<void()> callback) { on_synced_ = std::move(callback); }
  [[nodiscard]] Result<std::int64_t> backlog() { return state_.backlog(); }

 private:
  SyncResult runSync();
  void renewIfDue(const Enrollment& enrolled);
  void recordRefusal(const SyncResult& result);
  void loop();

  const AgentConfig& config_;
  const Clock& clock_;
  Poco::Logger& logger_;
  AgentSyncState state_;

  std::mutex syncing_;  // one sync at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  bool change_pending_ = false;
  std::optional<SyncResult> last_;
  std::function<void()> on_synced_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cks::agent
