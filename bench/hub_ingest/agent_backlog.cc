#include "bench/hub_ingest/agent_backlog.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/Logger.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "agent/agent_config.h"
#include "agent/agent_sync_state.h"
#include "agent/hub_sync.h"
#include "store/inventory.h"
#include "sync/client/enrollment.h"
#include "sync/client/hub_transport.h"
#include "sync/client/sync_session.h"

namespace cks::bench {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// A large office (twenty tokens) offline for weeks.
constexpr int kTokens = 20;
constexpr int kMaxScans = 20000;  // far more than 10,000 entries need

Result<std::map<std::string, std::int64_t>> outboxKinds(store::Inventory& inventory) {
  return inventory.withDatabase(
      [](store::Database& db) -> Result<std::map<std::string, std::int64_t>> {
        auto stmt = db.prepare("SELECT kind, count(*) FROM outbox GROUP BY kind");
        if (!stmt) return tl::unexpected(stmt.error());
        std::map<std::string, std::int64_t> kinds;
        for (;;) {
          auto row = stmt->step();
          if (!row) return tl::unexpected(row.error());
          if (!*row) break;
          kinds[stmt->text(0)] = stmt->integer(1);
        }
        return kinds;
      });
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Result<BacklogResult> runBacklog(const BacklogOptions& options, const CertificatePool& pool) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(options.dir, error);
  if (error) return fail("bench: create ", options.dir, ": ", error.message());
  auto inventory = store::Inventory::open((fs::path(options.dir) / "agent.db").string());
  if (!inventory) return tl::unexpected(inventory.error());

  agent::AgentConfig config;
  config.host_name = "PC-VANTHU";
  config.hub_dir = (fs::path(options.dir) / "hub").string();
  config.hub_proxy = "";
  const SystemClock clock;
  Poco::Logger& logger = Poco::Logger::get("cks-bench-agent");
  logger.setChannel(new Poco::ConsoleChannel);
  logger.setLevel("warning");
  agent::HubSync hub_sync(config, **inventory, clock, logger);
  auto enrolled = hub_sync.enroll(options.hub_url, options.code, readAll(options.hub_ca_file));
  if (!enrolled) return fail("bench: enrol: ", enrolled.error().message);

  // The offline weeks: one scan an hour until the outbox holds the backlog.
  const OfficeScans scans(kTokens, pool);
  const TimePoint first = clock.now() - std::chrono::hours(kMaxScans);
  BacklogResult result;
  for (int k = 0; k < kMaxScans; ++k) {
    auto recorded = (*inventory)->recordScan(scans.scan(k, first + std::chrono::hours(k)));
    if (!recorded) return tl::unexpected(recorded.error());
    auto backlog = hub_sync.backlog();
    if (!backlog) return tl::unexpected(backlog.error());
    result.entries = *backlog;
    if (result.entries >= options.entries) break;
  }
  auto kinds = outboxKinds(**inventory);
  if (!kinds) return tl::unexpected(kinds.error());
  result.kinds = *kinds;

  const auto started = Steady::now();
  const agent::SyncResult drained = hub_sync.syncNow();
  result.drain_seconds = std::chrono::duration<double>(Steady::now() - started).count();
  result.drain_outcome = drained.outcome;
  result.drain_message = drained.message;
  result.pushed = drained.pushed;
  result.remaining = drained.remaining;

  // Syncs with nothing to send, as HubSync runs them (a new transport each time), reading the
  // byte counts it does not keep from the session's report.
  agent::AgentSyncState state(**inventory, clock);
  sync::TransportSettings settings;
  settings.hub_url = options.hub_url;
  settings.hub_ca_file = (fs::path(config.hub_dir) / sync::kHubCaFile).string();
  settings.client_cert_file = (fs::path(config.hub_dir) / sync::kAgentCertificateFile).string();
  settings.client_key_file = (fs::path(config.hub_dir) / sync::kAgentKeyFile).string();
  settings.proxy = config.hub_proxy;
  settings.timeout = config.hub_timeout;
  for (int i = 0; i < options.idle_syncs; ++i) {
    const auto transport = sync::makeHubTransport(settings);
    const auto report = sync::SyncSession(sync::SyncOptions{config.sync_batch})
                            .run(*transport, state, clock, CKS_VERSION);
    result.idle.push_back({sync::outcomeName(report.outcome), report.requests, report.bytes_sent,
                           report.bytes_received, report.snapshot_queued});
  }
  return result;
}

}  // namespace cks::bench
