#include "hub/store/merger_register.h"

#include <map>

#include "core/time_format.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {

using sql::timeOf;

Result<int> MergerRegister::publish(const KeptMerger& kept,
                                    const std::vector<std::string>& agency_codes,
                                    const std::string& body) {
  const Merger& m = kept.merger;
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<int> {
    const std::string at = formatIsoUtc(kept.published_at);
    auto told = sql::tellAgencies(c, agency_codes, "merger", body, at);
    if (!told) return told;
    CKS_TRY(
        c.run("INSERT INTO hub_mergers (id, into_code, into_name, keep, decision, published_by, "
              "published_at, agents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
              {m.id, m.into.code, m.into.name, m.keep, m.decision, kept.published_by, at, *told}));
    for (size_t i = 0; i < m.from.size(); ++i) {
      CKS_TRY(c.run(
          "INSERT INTO hub_merger_units (merger_id, position, code, name) VALUES (?1, ?2, ?3, ?4)",
          {m.id, std::int64_t(i), m.from[i].code, m.from[i].name}));
    }
    return told;
  });
}

Result<std::vector<MergerRecord>> MergerRegister::mergers() { return records(""); }

Result<std::optional<MergerRecord>> MergerRegister::merger(const std::string& id) {
  auto found = records(id);
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return std::optional<MergerRecord>();
  return std::optional<MergerRecord>(std::move(found->front()));
}

// The mergers (all when `id` is empty), their units and their batches: three statements
// whatever the number of mergers, the requests counted in SQL through their merger index.
Result<std::vector<MergerRecord>> MergerRegister::records(const std::string& id) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<MergerRecord>> {
    const std::string which = id.empty() ? "?1 = ''" : "m.id = ?1";
    std::vector<MergerRecord> out;
    std::map<std::string, size_t> index;
    CKS_TRY(
        c.run("SELECT m.id, m.into_code, m.into_name, m.keep, m.decision, m.published_by, "
              "m.published_at, m.agents FROM hub_mergers m WHERE " +
                  which + " ORDER BY m.published_at DESC, m.id",
              {id}, [&](const SqlRow& row) {
                MergerRecord record;
                Merger& m = record.kept.merger;
                m.id = row.text(0);
                m.into = {row.text(1), row.text(2)};
                m.keep = row.text(3);
                m.decision = row.text(4);
                record.kept.published_by = row.text(5);
                record.kept.published_at = timeOf(row.text(6));
                record.kept.agents = int(row.integer(7));
                index[m.id] = out.size();
                out.push_back(std::move(record));
              }));
    if (out.empty()) return out;
    CKS_TRY(
        c.run("SELECT u.merger_id, u.code, u.name FROM hub_merger_units u JOIN hub_mergers m "
              "ON m.id = u.merger_id WHERE " +
                  which + " ORDER BY u.merger_id, u.position",
              {id}, [&](const SqlRow& row) {
                out[index.at(row.text(0))].kept.merger.from.push_back({row.text(1), row.text(2)});
              }));
    CKS_TRY(
        c.run("SELECT r.merger_id, r.agency_code, r.kind, r.state, count(*), "
              "min(r.received_at) FROM hub_requests r JOIN hub_mergers m ON m.id = "
              "r.merger_id WHERE " +
                  which +
                  " GROUP BY r.merger_id, r.agency_code, r.kind, r.state "
                  "ORDER BY r.merger_id, r.agency_code, r.kind, r.state",
              {id}, [&](const SqlRow& row) {
                auto& batches = out[index.at(row.text(0))].batches;
                if (batches.empty() || batches.back().agency_code != row.text(1)) {
                  batches.push_back({row.text(1), 0, {}, std::nullopt});
                }
                MergerBatch& batch = batches.back();
                BatchCount count;
                // Written by this hub from names it parsed: a row it cannot read is skipped.
                if (!parseRequestKind(row.text(2), count.kind) ||
                    !parseRequestState(row.text(3), count.state)) {
                  return;
                }
                count.count = int(row.integer(4));
                batch.requests += count.count;
                batch.counts.push_back(count);
                if (!row.isNull(5)) {
                  const TimePoint at = timeOf(row.text(5));
                  if (!batch.arrived_at || at < *batch.arrived_at) batch.arrived_at = at;
                }
              }));
    return out;
  });
}

}  // namespace cks::hub
