#include "hub/province/merger_service.h"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

#include "core/agency_code.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"

namespace cks::hub {

Result<PublishedMerger> MergerService::publish(const MergerNotice& notice) const {
  auto badCode = [&](const Error& error) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "bad_agency", {error.message}));
  };
  Merger merger;
  merger.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  merger.into = notice.into;
  merger.keep = notice.keep;
  merger.decision = notice.decision;
  std::vector<std::string> codes;
  for (MergerUnit unit : notice.from) {
    if (unit.code.empty()) continue;
    if (auto code = AgencyCode::parse(unit.code); !code) return badCode(code.error());
    if (unit.name.empty()) {
      auto known = context_.registry.agency(unit.code);
      if (!known) return tl::unexpected(known.error());
      if (!*known) {
        return tl::unexpected(
            context_.refusal(ErrorCode::InvalidArgument, "merger.unit_unknown", {unit.code}));
      }
      unit.name = (*known)->name;
    }
    codes.push_back(unit.code);
    merger.from.push_back(unit);
  }
  if (merger.from.empty()) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "merger.usage"));
  }
  if (auto code = AgencyCode::parse(merger.into.code); !code) return badCode(code.error());
  if (merger.into.name.find_first_not_of(" \t") == std::string::npos) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "merger.usage"));
  }
  if (std::find(codes.begin(), codes.end(), merger.into.code) == codes.end()) {
    codes.push_back(merger.into.code);
  }
  auto told = context_.registry.tellAgencies(
      codes, "merger", sync::stringify(sync::mergerJson(merger)), context_.clock.now());
  if (!told) return tl::unexpected(told.error());
  std::string units;
  for (const auto& unit : merger.from) units += (units.empty() ? "" : ", ") + unit.code;
  CKS_TRY(StaffService(context_).record("merger.publish", merger.into.code, merger.id,
                                        units + " → " + merger.into.code + " " + merger.into.name));
  return PublishedMerger{std::move(merger), *told};
}

}  // namespace cks::hub
