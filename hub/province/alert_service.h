// The province's view of its agencies' alerts: the latest state each agent pushed, judged at the
// hub's own time (a snooze that has run out is open again). Typed in, typed out
// (province_context.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/result.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

struct AlertLine {
  HubAlert held;
  AlertState state{};  // at the list's instant (alertStateAt)
  std::string host;    // of the agent that pushed it; its id when the hub does not know it
};

struct AlertList {
  std::optional<Agency> agency;  // nullopt: province-wide
  bool include_resolved = false;
  TimePoint at{};                 // the instant the states are judged at
  std::vector<AlertLine> alerts;  // worst severity first, then the newest raised first
};

class AlertService {
 public:
  explicit AlertService(ProvinceContext context) : context_(context) {}

  // The alerts of every agency or of one (AgencyService::known's errors); resolved ones only
  // when `include_resolved`.
  [[nodiscard]] Result<AlertList> list(const std::optional<std::string>& agency_code,
                                       bool include_resolved) const;
  // One page of the alerts `filter` names, in the same order, judged at now (the console).
  [[nodiscard]] Result<Page<AlertLine>> page(const AlertFilter& filter) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
