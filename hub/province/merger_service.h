// Mergers of units: the province tells the agents of the merged units and of the new unit about
// a merger (feed item `merger`, docs/requests.md "Merger batches"); each one plans its batch
// from its own inventory. Typed in, typed out (province_context.h).
#pragma once

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

class MergerService {
 public:
  explicit MergerService(ProvinceContext context) : context_(context) {}

  // Publishes `notice` to the agents of every unit in it. InvalidArgument: no unit merged, a
  // malformed code, a unit without a name the directory does not know, a new unit without a
  // name.
  [[nodiscard]] Result<PublishedMerger> publish(const MergerNotice& notice) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
