// Mergers of units: the province tells the agents of the merged units and of the new unit about
// a merger (feed item `merger`, docs/requests.md "Merger batches"); each one plans its batch
// from its own inventory and files it, and the province follows which batches arrived. Typed
// in, typed out (province_context.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/merger.h"
#include "core/result.h"
#include "hub/province/province_context.h"

namespace cks::hub {

struct MergerNotice {
  std::vector<MergerUnit> from;  // a unit without a name takes the directory's
  MergerUnit into;
  std::string keep;
  std::string decision;
};

struct PublishedMerger {
  Merger merger;   // with its new id and every unit named
  int agents = 0;  // the agents told
};

// One unit of a published merger and the batch its agency filed for it.
struct MergerUnitProgress {
  MergerUnit unit;
  bool merged = false;               // one of the units merged
  bool formed = false;               // the new unit
  std::optional<MergerBatch> batch;  // nullopt: none arrived yet
};

struct MergerProgress {
  KeptMerger kept;
  // The merged units in the order published, then the new unit (unless it keeps the code of a
  // merged one), then any other agency that filed a batch for it.
  std::vector<MergerUnitProgress> units;
};

class MergerService {
 public:
  explicit MergerService(ProvinceContext context) : context_(context) {}

  // Publishes `notice` to the agents of every unit in it. InvalidArgument: no unit merged, a
  // malformed code, a unit without a name the directory does not know, a new unit without a
  // name.
  [[nodiscard]] Result<PublishedMerger> publish(const MergerNotice& notice) const;

  // Every merger published, the latest first, with each unit's batch.
  [[nodiscard]] Result<std::vector<MergerProgress>> list() const;
  // The merger `id`. NotFound: the hub published none with that id.
  [[nodiscard]] Result<MergerProgress> merger(const std::string& id) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
