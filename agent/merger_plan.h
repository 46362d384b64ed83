// The plan file of a merger as `cksctl merger apply` sends it back after review (docs/
// requests.md, "The plan file"): which merger, and the items the officer kept with the request
// each would file. Read here, before the agent looks at its store, so that a file that is not a
// plan is refused with the field named (and tests/fuzz/merger_plan.cc can fuzz the reading
// alone). Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/merger.h"
#include "core/result.h"

namespace cks::agent {

// The version of the plan file; a plan written by another version is refused, not guessed at.
inline constexpr int kMergerPlanVersion = 1;

// An item of the plan with "include": true and a request.
struct IncludedPlanItem {
  int number = 0;                   // the item's "item", else its place from 1
  std::string holder;               // the certificate's common name, for messages; empty when none
  std::string where;                // "items[3]", for messages
  Poco::JSON::Object::Ptr request;  // checked like the body of POST /v1/requests
};

struct ReviewedPlan {
  Merger merger;
  std::vector<IncludedPlanItem> included;
};

// Reads a reviewed plan; the error is the reason of the 400 ("plan: expected 1 (a file written
// by cksctl merger plan)", "merger.from[1].code: expected a string", "items[2].request: expected
// an object").
[[nodiscard]] Result<ReviewedPlan> readReviewedPlan(const std::string& body);

}  // namespace cks::agent
