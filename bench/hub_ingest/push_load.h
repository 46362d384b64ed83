// The concurrent push load on a running cks-hub: one thread per enrolled agent, each with its
// own real transport (sync::makeHubTransport: cpprestsdk, mutual TLS, gzip), pushing batches of
// its agent's entries (event_mix.h) back to back with ascending seq for a warm-up and then a
// measured window that starts once every agent is connected. Counts only entries the hub
// acknowledged, in answers that arrived within the window.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/hub_ingest/event_mix.h"

namespace cks::bench {

struct LoadOptions {
  std::string hub_url;  // https://127.0.0.1:PORT
  std::vector<std::string>
      agent_dirs;   // each holds an enrolment (agent.key, agent.crt, hub-ca.crt)
  int batch = 100;  // entries per push
  Mix mix = Mix::Office;
  std::shared_ptr<const EntryTemplates> office;  // the office journal (officeJournal)
  std::chrono::seconds warmup{5};
  std::chrono::seconds duration{20};
  int hub_pid = 0;     // when set, the hub's CPU time over the window is measured too
  int store_uid = -1;  // when set, so is that of this user's processes (the database server)
};

struct LoadResult {
  std::int64_t events = 0;         // acknowledged within the window
  std::int64_t requests = 0;       // answered 200 within the window
  std::int64_t errors = 0;         // failed or refused pushes, whole run
  std::string first_error;         // the first of them
  std::int64_t warmup_events = 0;  // acknowledged before the window
  std::int64_t total_events = 0;   // acknowledged over the whole run (what the hub holds)
  double seconds = 0;              // the window's length as measured
  double connect_seconds = 0;      // until every agent's first push was answered
  int connected = 0;               // agents whose first push was answered
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  double bytes_sent_per_event = 0;   // HTTP payload, after gzip
  double generator_cpu_seconds = 0;  // this process over the window
  double hub_cpu_seconds = -1;       // the hub over the window (-1: not measured)
  double store_cpu_seconds = -1;     // the database server over the window (-1: not measured)
  double machine_busy_cores = 0;     // all processes over the window, in cores
};

// Runs the load. Every loop ends by the window's end plus the transport's timeout.
[[nodiscard]] LoadResult runPushLoad(const LoadOptions& options, const CertificatePool& pool);

}  // namespace cks::bench
