// The store's merger register: the mergers of units the province published (docs/requests.md,
// "Merger batches"), who published each and when, and the batches of requests the agencies
// filed for them (request_filed entries carrying the merger's id) as they arrived. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/merger.h"
#include "core/request.h"
#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub {

// A merger as the hub keeps it.
struct KeptMerger {
  Merger merger;
  std::string published_by;  // the staff account, or "cli:<unix user>"
  TimePoint published_at{};
  int agents = 0;  // the agents told
};

// How many requests of one kind in one state a batch holds.
struct BatchCount {
  RequestKind kind{};
  RequestState state{};
  int count = 0;
};

// The requests one agency filed for a merger, as the hub holds them.
struct MergerBatch {
  std::string agency_code;
  int requests = 0;
  std::vector<BatchCount> counts;       // by kind, then state
  std::optional<TimePoint> arrived_at;  // the first receipt (none: all withdrawn before)
};

struct MergerRecord {
  KeptMerger kept;
  std::vector<MergerBatch> batches;  // by agency code; an agency without a batch is absent
};

class MergerRegister {
 public:
  explicit MergerRegister(ConnectionPool& pool) : pool_(pool) {}

  // Keeps `kept` (its agents ignored) and queues a feed item `merger` with `body` for every
  // agent of `agency_codes`, in one transaction; the number of agents told.
  [[nodiscard]] Result<int> publish(const KeptMerger& kept,
                                    const std::vector<std::string>& agency_codes,
                                    const std::string& body);
  // Every merger, the latest published first, with the batches that arrived.
  [[nodiscard]] Result<std::vector<MergerRecord>> mergers();
  // The merger `id`; nullopt when the hub published none with that id.
  [[nodiscard]] Result<std::optional<MergerRecord>> merger(const std::string& id);

 private:
  [[nodiscard]] Result<std::vector<MergerRecord>> records(const std::string& id);

  ConnectionPool& pool_;
};

}  // namespace cks::hub
