#include "bench/hub_ingest/storage_limit.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>
#include <vector>

#include "core/subscriber_kind.h"
#include "hub/enroll_code.h"
#include "hub/inventory_change.h"
#include "hub/store/hub_store.h"
#include "hub/sync_api.h"
#include "sync/protocol/codec.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;

double secondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

Result<std::unique_ptr<hub::HubStore>> openStore(const std::string& store) {
  if (store.rfind("postgresql://", 0) == 0) return hub::openPostgresHubStore(store);
  if (store.rfind("sqlite:", 0) == 0) return hub::openSqliteHubStore(store.substr(7));
  return fail("bench: --store: expected sqlite:PATH or postgresql://…, not ", store);
}

std::string gzip(const std::string& text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflating(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflating << text;
  deflating.close();
  return out.str();
}

std::string gunzip(const std::string& bytes) {
  std::istringstream in(bytes);
  Poco::InflatingInputStream inflating(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  return std::string((std::istreambuf_iterator<char>(inflating)), std::istreambuf_iterator<char>());
}

// Agencies H21.001 … and one agent each, enrolled through the store as /v1/enroll does.
Result<std::vector<std::string>> enrolAgents(hub::HubStore& store, int agents, TimePoint now) {
  std::vector<std::string> ids;
  for (int i = 0; i < agents; ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "H21.%03d", i + 1);
    const std::string agency = code;
    if (auto saved = store.registry().saveAgency(
            {agency, "UBND xã Thử tải " + agency, AgencyType::Commune, ""}, now);
        !saved) {
      return tl::unexpected(saved.error());
    }
    const std::string hash = hub::enrollCodeHash(hub::newEnrollCode());
    if (auto added = store.registry().addEnrollCode(hash, agency, now + std::chrono::hours(1), now);
        !added) {
      return tl::unexpected(added.error());
    }
    const std::string id = hub::newUuid();
    auto redeemed =
        store.registry().redeemEnrollCode(hash, now, {id, agency, "PC-" + agency, "0.1.0", now});
    if (!redeemed) return tl::unexpected(redeemed.error());
    if (!*redeemed) return fail("bench: enrolment code of ", agency, " refused");
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

Result<StorageResult> runStorageLimit(const StorageOptions& options, const CertificatePool& pool) {
  auto store = openStore(options.store);
  if (!store) return tl::unexpected(store.error());
  const SystemClock clock;
  auto ids = enrolAgents(**store, options.agents, clock.now());
  if (!ids) return tl::unexpected(ids.error());
  std::vector<AgentEvents> agents;
  for (int i = 0; i < options.agents; ++i) {
    agents.emplace_back(templatesFor(options.mix, i, pool, options.office));
  }
  const SubscriberKindRules rules;

  StorageResult result;
  RequestPathCost total;
  std::vector<double> batch_ms;
  std::int64_t done = 0;
  // Bounded by the number of events asked for; every batch either stores `batch` or fails.
  for (std::int64_t round = 0; done < options.events; ++round) {
    const auto index = std::size_t(round % options.agents);
    const bool timed = done >= options.warmup_events;
    RequestPathCost step;

    auto started = Steady::now();
    sync::PushRequest request;
    request.entries = agents[index].next(options.batch, clock.now());
    request.backlog = options.batch;
    request.agent_version = CKS_VERSION;
    request.agent_time = clock.now();
    const std::string json = sync::encode(request);
    step.encode = secondsSince(started);

    started = Steady::now();
    const std::string compressed = gzip(json);
    step.deflate = secondsSince(started);

    started = Steady::now();
    const std::string body = gunzip(compressed);
    step.inflate = secondsSince(started);

    started = Steady::now();
    auto decoded = sync::decodePushRequest(body);
    if (!decoded) return tl::unexpected(decoded.error());
    step.decode = secondsSince(started);

    started = Steady::now();
    hub::PushBatch batch;
    batch.lane = decoded->lane;
    batch.backlog = decoded->backlog;
    batch.agent_version = decoded->agent_version;
    batch.agent_time = decoded->agent_time;
    // As the hub does (sync_api.cc): bodies kept as they arrived.
    const auto bodies = hub::pushEntryBodies(body);
    if (bodies.size() != decoded->entries.size()) return fail("bench: entry bodies not found");
    for (std::size_t i = 0; i < decoded->entries.size(); ++i) {
      auto change = hub::readInventoryChange(
          decoded->entries[i], "entries[" + std::to_string(i) + "]", rules, bodies[i]);
      if (!change) return tl::unexpected(change.error());
      batch.entries.push_back(std::move(*change));
    }
    step.validate = secondsSince(started);

    started = Steady::now();
    auto agent = (*store)->registry().agent((*ids)[index]);
    if (!agent || !*agent) return fail("bench: agent lookup failed");
    step.lookup = secondsSince(started);

    started = Steady::now();
    auto outcome = (*store)->ingest().push((*ids)[index], batch, clock.now());
    step.store = secondsSince(started);
    if (!outcome) return tl::unexpected(outcome.error());
    if (outcome->kind != hub::PushOutcome::Kind::Acked ||
        outcome->acked != request.entries.back().seq) {
      return fail("bench: push not acknowledged: ", outcome->message);
    }
    done += options.batch;
    if (!timed) continue;
    result.events += options.batch;
    batch_ms.push_back(step.store * 1000);
    total.encode += step.encode;
    total.deflate += step.deflate;
    total.inflate += step.inflate;
    total.decode += step.decode;
    total.validate += step.validate;
    total.lookup += step.lookup;
    total.store += step.store;
  }
  std::sort(batch_ms.begin(), batch_ms.end());
  if (!batch_ms.empty()) {
    result.p50_ms = batch_ms[batch_ms.size() / 2];
    result.p99_ms = batch_ms[std::min(batch_ms.size() - 1, batch_ms.size() * 99 / 100)];
  }
  result.store_seconds = total.store;
  const double n = double(std::max<std::int64_t>(result.events, 1));
  result.per_event = {total.inflate / n, total.decode / n, total.validate / n, total.lookup / n,
                      total.store / n,   total.encode / n, total.deflate / n};
  return result;
}

}  // namespace cks::bench
