// The agent's side of two of the numbers, with the agent's own code against a running
// cks-hub: a backlog of 10,000 outbox entries (an agency offline for weeks: scans that plug and
// unplug tokens and renew certificates, recorded by store::Inventory) drained by one
// HubSync::syncNow(), and then a sync with nothing to send, whose HTTP payload bytes both ways
// come from the SyncReport of the real SyncSession over the real transport.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/hub_ingest/event_mix.h"

namespace cks::bench {

struct BacklogOptions {
  std::string hub_url;
  std::string hub_ca_file;  // the hub's server CA (`cks-hub admin server-ca`)
  std::string code;         // an enrolment code for this agent
  std::string dir;          // a new folder: the agent's store and enrolment files
  std::int64_t entries = 10000;
  int idle_syncs = 3;
};

struct IdleSync {
  std::string outcome;
  int requests = 0;
  std::size_t bytes_sent = 0;
  std::size_t bytes_received = 0;
  bool snapshot_queued = false;
};

struct BacklogResult {
  std::int64_t entries = 0;                   // in the outbox before the drain
  std::map<std::string, std::int64_t> kinds;  // of those, by kind
  double drain_seconds = 0;
  std::string drain_outcome;  // HubSync's words: "ok", …
  std::string drain_message;
  std::int64_t pushed = 0;
  std::int64_t remaining = 0;
  std::vector<IdleSync> idle;
};

[[nodiscard]] Result<BacklogResult> runBacklog(const BacklogOptions& options,
                                               const CertificatePool& pool);

}  // namespace cks::bench
