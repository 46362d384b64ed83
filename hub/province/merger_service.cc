#include "hub/province/merger_service.h"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

#include "core/agency_code.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"

namespace cks::hub {
namespace {

MergerProgress progressOf(MergerRecord record) {
  MergerProgress progress;
  const Merger& merger = record.kept.merger;
  const auto batchOf = [&](const std::string& code) -> std::optional<MergerBatch> {
    for (auto it = record.batches.begin(); it != record.batches.end(); ++it) {
      if (it->agency_code != code) continue;
      MergerBatch batch = std::move(*it);
      record.batches.erase(it);
      return batch;
    }
    return std::nullopt;
  };
  for (const MergerUnit& unit : merger.from) {
    progress.units.push_back({unit, true, unit.code == merger.into.code, batchOf(unit.code)});
  }
  if (std::none_of(merger.from.begin(), merger.from.end(),
                   [&](const MergerUnit& unit) { return unit.code == merger.into.code; })) {
    progress.units.push_back({merger.into, false, true, batchOf(merger.into.code)});
  }
  // A plan edited by hand may carry the id to another agency: shown, not hidden.
  for (MergerBatch& other : record.batches) {
    progress.units.push_back({{other.agency_code, ""}, false, false, std::move(other)});
  }
  progress.kept = std::move(record.kept);
  return progress;
}

}  // namespace

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
  const KeptMerger kept{merger, context_.actor, context_.clock.now()};
  auto told = context_.mergers.publish(kept, codes, sync::stringify(sync::mergerJson(merger)));
  if (!told) return tl::unexpected(told.error());
  std::string units;
  for (const auto& unit : merger.from) units += (units.empty() ? "" : ", ") + unit.code;
  CKS_TRY(StaffService(context_).record("merger.publish", merger.into.code, merger.id,
                                        units + " → " + merger.into.code + " " + merger.into.name));
  return PublishedMerger{std::move(merger), *told};
}

Result<std::vector<MergerProgress>> MergerService::list() const {
  auto records = context_.mergers.mergers();
  if (!records) return tl::unexpected(records.error());
  std::vector<MergerProgress> out;
  for (auto& record : *records) out.push_back(progressOf(std::move(record)));
  return out;
}

Result<MergerProgress> MergerService::merger(const std::string& id) const {
  auto record = context_.mergers.merger(id);
  if (!record) return tl::unexpected(record.error());
  if (!*record) {
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "merger.not_found", {id}));
  }
  return progressOf(std::move(**record));
}

}  // namespace cks::hub
