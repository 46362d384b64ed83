#include "bench/hub_ingest/push_load.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "bench/hub_ingest/cpu_time.h"
#include "sync/client/enrollment.h"
#include "sync/client/hub_transport.h"
#include "sync/protocol/codec.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct LaneTally {
  std::vector<double> latencies_ms;  // answers within the window
  std::int64_t events = 0;
  std::int64_t requests = 0;
  std::int64_t warmup_events = 0;
  std::int64_t total_events = 0;
  std::int64_t errors = 0;
  std::size_t bytes_sent = 0;
  std::string first_error;
};

// When the measured window runs: set once every agent has had its first push answered (its
// connection and TLS session are up), so that 200 handshakes at once are not measured.
class Schedule {
 public:
  explicit Schedule(Steady::time_point give_up) : give_up_(give_up) {}

  void connected() { ++connected_; }
  [[nodiscard]] int connectedCount() const { return connected_.load(); }

  void open(Steady::time_point start, Steady::time_point end) {
    start_ = start.time_since_epoch().count();
    end_ = end.time_since_epoch().count();
  }
  // Before the window is set every answer counts as warm-up.
  [[nodiscard]] bool inWarmup(Steady::time_point at) const {
    const auto start = start_.load();
    return start == 0 || at.time_since_epoch().count() < start;
  }
  [[nodiscard]] bool inWindow(Steady::time_point at) const {
    return !inWarmup(at) && at.time_since_epoch().count() <= end_.load();
  }
  [[nodiscard]] bool over(Steady::time_point at) const {
    const auto end = end_.load();
    return (end != 0 && at.time_since_epoch().count() >= end) || at >= give_up_;
  }

 private:
  const Steady::time_point give_up_;  // the last moment anything runs, whatever happens
  std::atomic<int> connected_{0};
  std::atomic<Steady::rep> start_{0};
  std::atomic<Steady::rep> end_{0};
};

// One simulated agent: pushes until the window is over; a failed push is sent again unchanged
// (same UUIDs, so a push the hub did store is a harmless replay).
void pushUntilOver(const LoadOptions& options, std::size_t index, const CertificatePool& pool,
                   Schedule& schedule, LaneTally& tally) {
  namespace fs = std::filesystem;
  const fs::path dir = options.agent_dirs[index];
  sync::TransportSettings settings;
  settings.hub_url = options.hub_url;
  settings.hub_ca_file = (dir / sync::kHubCaFile).string();
  settings.client_cert_file = (dir / sync::kAgentCertificateFile).string();
  settings.client_key_file = (dir / sync::kAgentKeyFile).string();
  settings.timeout = 30s;
  const auto transport = sync::makeHubTransport(settings);
  AgentEvents events(templatesFor(options.mix, int(index), pool, options.office));
  const SystemClock clock;
  const auto began = Steady::now();
  int answered = 0;  // pushes this agent had answered before a failure, for its message
  auto note = [&](const std::string& what) {
    ++tally.errors;
    if (!tally.first_error.empty()) return;
    char when[96];
    std::snprintf(when, sizeof when, " (agent %zu, after %d pushes, %.1f s into the run)",
                  index + 1, answered,
                  std::chrono::duration<double>(Steady::now() - began).count());
    tally.first_error = what + when;
  };

  bool connected = false;
  std::int64_t acked = 0;
  std::string pending;  // the push in flight, kept until the hub answers it
  std::int64_t pending_last = 0;
  while (!schedule.over(Steady::now())) {
    if (pending.empty()) {
      sync::PushRequest request;
      request.entries = events.next(options.batch, clock.now());
      request.backlog = options.batch;  // an agent that always has more to send
      request.agent_version = CKS_VERSION;
      request.agent_time = clock.now();
      pending = sync::encode(request);
      pending_last = request.entries.back().seq;
    }
    const auto sent = Steady::now();
    const auto answer = transport->post("/v1/push", pending);
    const auto received = Steady::now();
    if (!answer) {
      note("push: " + answer.error().message);
      std::this_thread::sleep_for(200ms);
      continue;
    }
    tally.bytes_sent += answer->bytes_sent;
    ++answered;
    if (answer->status == 200) {
      const auto decoded = sync::decodePushResponse(answer->body);
      if (!decoded || decoded->acked != pending_last) {
        note("push: unexpected answer " + answer->body);
        break;
      }
      const std::int64_t stored = decoded->acked - acked;
      acked = decoded->acked;
      pending.clear();
      tally.total_events += stored;
      if (schedule.inWarmup(received)) {
        tally.warmup_events += stored;
      } else if (schedule.inWindow(received)) {
        tally.events += stored;
        ++tally.requests;
        tally.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(received - sent).count());
      }
      if (!connected) {
        connected = true;
        schedule.connected();
      }
      continue;
    }
    note("push: HTTP " + std::to_string(answer->status) + " " + answer->body);
    if (answer->status == 409) {
      const auto refusal = sync::decodeErrorBody(answer->body);
      if (!refusal || !refusal->acked) break;  // a conflict: this agent's lane is unusable
      acked = *refusal->acked;
      events.restartAt(acked + 1);
      pending.clear();
    } else {
      std::this_thread::sleep_for(200ms);
    }
  }
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = std::min(sorted.size() - 1, std::size_t(p * double(sorted.size() - 1) + 0.5));
  return sorted[rank];
}

}  // namespace

LoadResult runPushLoad(const LoadOptions& options, const CertificatePool& pool) {
  const std::size_t agents = options.agent_dirs.size();
  std::vector<LaneTally> tallies(agents);
  // Connecting 200 agents takes seconds (each TLS handshake, the client's trust store); wait
  // at most this long for all of them before the warm-up starts anyway.
  constexpr auto kConnectLimit = 120s;
  const auto began = Steady::now();
  Schedule schedule(began + kConnectLimit + options.warmup + options.duration + 5s);
  std::vector<std::thread> threads;
  threads.reserve(agents);
  for (std::size_t i = 0; i < agents; ++i) {
    threads.emplace_back([&, i] { pushUntilOver(options, i, pool, schedule, tallies[i]); });
  }
  while (schedule.connectedCount() < int(agents) && Steady::now() < began + kConnectLimit) {
    std::this_thread::sleep_for(50ms);
  }
  const auto connected_at = Steady::now();
  const auto window_start = connected_at + options.warmup;
  const auto window_end = window_start + options.duration;
  schedule.open(window_start, window_end);
  std::this_thread::sleep_until(window_start);
  const CpuSample before = CpuSample::take(options.hub_pid, options.store_uid);
  std::this_thread::sleep_until(window_end);
  const CpuSample after = CpuSample::take(options.hub_pid, options.store_uid);
  for (auto& thread : threads) thread.join();

  LoadResult result;
  result.connect_seconds = std::chrono::duration<double>(connected_at - began).count();
  result.connected = schedule.connectedCount();
  std::vector<double> latencies;
  std::size_t bytes_sent = 0;
  for (const auto& tally : tallies) {
    latencies.insert(latencies.end(), tally.latencies_ms.begin(), tally.latencies_ms.end());
    result.events += tally.events;
    result.requests += tally.requests;
    result.errors += tally.errors;
    result.warmup_events += tally.warmup_events;
    result.total_events += tally.total_events;
    bytes_sent += tally.bytes_sent;
    if (result.first_error.empty()) result.first_error = tally.first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  result.seconds = std::chrono::duration<double>(window_end - window_start).count();
  result.p50_ms = percentile(latencies, 0.50);
  result.p90_ms = percentile(latencies, 0.90);
  result.p99_ms = percentile(latencies, 0.99);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  result.bytes_sent_per_event =
      result.total_events > 0 ? double(bytes_sent) / double(result.total_events) : 0;
  result.generator_cpu_seconds = after.self_seconds - before.self_seconds;
  if (options.hub_pid > 0) result.hub_cpu_seconds = after.hub_seconds - before.hub_seconds;
  if (options.store_uid >= 0) {
    result.store_cpu_seconds = after.user_seconds - before.user_seconds;
  }
  result.machine_busy_cores = (after.machine_busy_seconds - before.machine_busy_seconds) /
                              std::chrono::duration<double>(after.at - before.at).count();
  return result;
}

}  // namespace cks::bench
