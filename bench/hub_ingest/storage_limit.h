// The storage limit for the ingest benchmark: the same entries in the same batches as the load
// generator sends, stored by one thread straight through the hub's own store code
// (HubStore::push: one transaction per batch, the hub's schema and SQLite settings), with no
// HTTP, TLS or JSON in the timed part. The other steps of the hub's request path are timed
// beside it, one thread, so the report can say where the CPU of a push goes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bench/hub_ingest/event_mix.h"

namespace cks::bench {

struct StorageOptions {
  std::string store;  // sqlite:PATH (a new file) or postgresql://… (an empty database)
  int agents = 200;
  int batch = 100;
  Mix mix = Mix::Office;
  std::shared_ptr<const EntryTemplates> office;  // the office journal (officeJournal)
  std::int64_t events = 100000;                  // in all, batches round-robin over the agents
  std::int64_t warmup_events = 10000;            // stored first, not timed
};

// Seconds per entry of each step of the hub's handling of a push, over the timed batches.
struct RequestPathCost {
  double inflate = 0;   // gunzip of the body (Poco::InflatingInputStream, as the hub does)
  double decode = 0;    // sync::decodePushRequest
  double validate = 0;  // pushEntryBodies + readInventoryChange: bodies checked, DER parsed
  double lookup = 0;    // HubStore::agent (the caller's record, once per request)
  double store = 0;     // HubStore::push
  double encode = 0;    // the client's side: sync::encode(PushRequest), not the hub's
  double deflate = 0;   // the client's side: gzip of the body
};

struct StorageResult {
  std::int64_t events = 0;        // timed
  double store_seconds = 0;       // in HubStore::push only
  double p50_ms = 0, p99_ms = 0;  // per batch, HubStore::push
  RequestPathCost per_event;
};

[[nodiscard]] Result<StorageResult> runStorageLimit(const StorageOptions& options,
                                                    const CertificatePool& pool);

}  // namespace cks::bench
