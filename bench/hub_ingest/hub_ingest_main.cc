// cks-bench-hub-ingest: the hub's numbers from the issue, measured with the real client code
// against a real cks-hub (bench/hub_ingest.sh starts the hub and runs these in order):
//
//   enroll  --hub URL --hub-ca FILE --codes FILE --dir DIR
//           enrols one agent per code (sync::enroll: key, self-signed TLS, /v1/enroll) into
//           DIR/agent-001, DIR/agent-002, …
//   load    --hub URL --dir DIR [--batch 100] [--warmup 5] [--seconds 20] [--hub-pid PID]
//           [--store-user postgres]
//           one thread per enrolled agent pushing batches back to back (push_load.h); the CPU
//           time of the hub and of the database server's user is measured over the window
//   storage --store sqlite:PATH|postgresql://… [--agents 200] [--batch 100] [--events N]
//           [--warmup-events W]   the same entries through HubStore::push, one thread
//   backlog --hub URL --hub-ca FILE --code CODE --dir DIR [--entries 10000]
//           a 10,000-entry backlog drained by the agent's HubSync, then idle syncs
// load and storage also take --mix office|certificates (event_mix.h, default office); every
// command takes --pool FILE, the test certificates (made and saved there if it does not exist),
// so that the programs of one run send the same entries.
//
// Every command prints one line of `key=value` results (for the script) after its own text.
// Exit 0 on success, 1 on a failure, 2 on a usage error.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/hub_ingest/agent_backlog.h"
#include "bench/hub_ingest/event_mix.h"
#include "bench/hub_ingest/push_load.h"
#include "bench/hub_ingest/storage_limit.h"
#include "sync/client/enrollment.h"

namespace {

using namespace cks::bench;
namespace fs = std::filesystem;

// Certificates made once per run: the certificates mix gives each agent nine of its own.
constexpr int kPoolCertificates = 600;
// Entries in the office journal every agent of the office mix replays.
constexpr std::int64_t kOfficeJournalEntries = 2000;

using Options = std::map<std::string, std::string>;

std::optional<Options> parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 2; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
      std::cerr << "cks-bench-hub-ingest: expected --option value, got " << key << '\n';
      return std::nullopt;
    }
    options[key.substr(2)] = argv[i + 1];
  }
  return options;
}

std::string need(const Options& options, const std::string& key) {
  const auto it = options.find(key);
  return it == options.end() ? "" : it->second;
}

long long number(const Options& options, const std::string& key, long long fallback) {
  const auto it = options.find(key);
  return it == options.end() ? fallback : std::stoll(it->second);
}

int failure(const std::string& message) {
  std::cerr << "cks-bench-hub-ingest: " << message << '\n';
  return 1;
}

std::vector<std::string> agentDirs(const std::string& dir) {
  std::vector<std::string> dirs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("agent-", 0) == 0 &&
        fs::exists(entry.path() / cks::sync::kAgentCertificateFile)) {
      dirs.push_back(entry.path().string());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

struct Events {
  CertificatePool pool;
  Mix mix = Mix::Office;
  std::shared_ptr<const EntryTemplates> office;
};

// The pool and mix the options name, with the office journal made in a throwaway folder.
cks::Result<Events> events(const Options& options) {
  Events out;
  const std::string mix = need(options, "mix");
  if (!mix.empty() && !parseMix(mix, out.mix)) {
    return cks::fail("--mix: expected office or certificates, not ", mix);
  }
  auto pool = CertificatePool::open(need(options, "pool"), kPoolCertificates);
  if (!pool) return tl::unexpected(pool.error());
  out.pool = std::move(*pool);
  const fs::path dir =
      fs::temp_directory_path() / ("cks-bench-journal-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto journal = officeJournal(out.pool, kOfficeJournalEntries, dir.string());
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (!journal) return tl::unexpected(journal.error());
  out.office = std::make_shared<const EntryTemplates>(std::move(*journal));
  const auto sample = templatesFor(out.mix, 0, out.pool, out.office);
  std::cout << "mix " << mixName(out.mix) << ": " << describe(*sample) << '\n' << std::flush;
  return out;
}

int enrollAll(const Options& options) {
  const std::string hub = need(options, "hub"), ca = need(options, "hub-ca");
  const std::string dir = need(options, "dir");
  std::ifstream in(need(options, "codes"));
  std::vector<std::string> codes;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) codes.push_back(line);
  }
  if (hub.empty() || ca.empty() || dir.empty() || codes.empty()) {
    std::cerr << "usage: enroll --hub URL --hub-ca FILE --codes FILE --dir DIR\n";
    return 2;
  }
  const int threads = int(number(options, "threads", 4));
  std::atomic<std::size_t> next{0};
  std::atomic<int> failed{0};
  std::string first_error;
  std::mutex error_mutex;
  const cks::SystemClock clock;
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < codes.size(); i = next++) {
        char name[32];
        std::snprintf(name, sizeof name, "agent-%03zu", i + 1);
        cks::sync::EnrollmentSettings settings;
        settings.hub_url = hub;
        settings.hub_ca_file = ca;
        settings.code = codes[i];
        settings.files_dir = (fs::path(dir) / name).string();
        settings.host = std::string("PC-") + name;
        settings.agent_version = CKS_VERSION;
        const auto enrolled = cks::sync::enroll(settings, clock);
        if (!enrolled) {
          ++failed;
          std::lock_guard lock(error_mutex);
          if (first_error.empty()) first_error = enrolled.error().message;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  if (failed > 0) return failure(std::to_string(failed) + " enrolments failed: " + first_error);
  std::cout << "enrolled " << codes.size() << " agents in " << dir << '\n';
  std::cout << "enroll agents=" << codes.size() << '\n';
  return 0;
}

int load(const Options& options) {
  LoadOptions load;
  load.hub_url = need(options, "hub");
  if (load.hub_url.empty() || need(options, "dir").empty()) {
    std::cerr << "usage: load --hub URL --dir DIR [--batch N] [--warmup S] [--seconds S]\n";
    return 2;
  }
  load.agent_dirs = agentDirs(need(options, "dir"));
  if (const auto agents = number(options, "agents", 0);
      agents > 0 && size_t(agents) < load.agent_dirs.size()) {
    load.agent_dirs.resize(size_t(agents));
  }
  load.batch = int(number(options, "batch", 100));
  load.warmup = std::chrono::seconds(number(options, "warmup", 5));
  load.duration = std::chrono::seconds(number(options, "seconds", 20));
  load.hub_pid = int(number(options, "hub-pid", 0));
  if (const std::string user = need(options, "store-user"); !user.empty()) {
    const passwd* entry = getpwnam(user.c_str());
    if (entry == nullptr) return failure("--store-user: no user " + user);
    load.store_uid = int(entry->pw_uid);
  }
  auto made = events(options);
  if (!made) return failure(made.error().message);
  load.mix = made->mix;
  load.office = made->office;
  std::cout << load.agent_dirs.size() << " agents × " << load.batch << " entries per push, "
            << load.warmup.count() << " s warm-up, " << load.duration.count() << " s measured\n"
            << std::flush;
  const LoadResult r = runPushLoad(load, made->pool);
  std::printf("%d of %zu agents connected (first push answered) in %.1f s\n", r.connected,
              load.agent_dirs.size(), r.connect_seconds);
  std::printf(
      "acknowledged %lld entries in %.1f s: %.0f events/s; %lld pushes; latency p50 %.1f ms, "
      "p90 %.1f ms, p99 %.1f ms, max %.1f ms; %lld errors%s%s\n",
      static_cast<long long>(r.events), r.seconds, double(r.events) / r.seconds,
      static_cast<long long>(r.requests), r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
      static_cast<long long>(r.errors),
      r.first_error.empty() ? "" : "; first: ", r.first_error.c_str());
  std::printf(
      "load events=%lld seconds=%.2f events_per_s=%.0f requests=%lld p50_ms=%.1f p90_ms=%.1f "
      "p99_ms=%.1f max_ms=%.1f errors=%lld warmup_events=%lld total_events=%lld "
      "bytes_per_event=%.0f generator_cpu_s=%.2f hub_cpu_s=%.2f machine_busy_cores=%.2f "
      "connect_s=%.1f connected=%d store_cpu_s=%.2f\n",
      static_cast<long long>(r.events), r.seconds, double(r.events) / r.seconds,
      static_cast<long long>(r.requests), r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
      static_cast<long long>(r.errors), static_cast<long long>(r.warmup_events),
      static_cast<long long>(r.total_events), r.bytes_sent_per_event, r.generator_cpu_seconds,
      r.hub_cpu_seconds, r.machine_busy_cores, r.connect_seconds, r.connected, r.store_cpu_seconds);
  return r.errors == 0 && r.events > 0 ? 0 : 1;
}

int storage(const Options& options) {
  StorageOptions storage;
  storage.store = need(options, "store");
  if (storage.store.empty()) {
    std::cerr << "usage: storage --store sqlite:PATH|postgresql://… [--events N] …\n";
    return 2;
  }
  storage.agents = int(number(options, "agents", 200));
  storage.batch = int(number(options, "batch", 100));
  storage.events = number(options, "events", 100000);
  storage.warmup_events = number(options, "warmup-events", 10000);
  auto made = events(options);
  if (!made) return failure(made.error().message);
  storage.mix = made->mix;
  storage.office = made->office;
  const auto r = runStorageLimit(storage, made->pool);
  if (!r) return failure(r.error().message);
  const auto& c = r->per_event;
  const double path = c.inflate + c.decode + c.validate + c.lookup + c.store;
  std::printf(
      "HubStore::push stored %lld entries in %.2f s: %.0f events/s; per batch p50 %.2f ms, "
      "p99 %.2f ms\n",
      static_cast<long long>(r->events), r->store_seconds, double(r->events) / r->store_seconds,
      r->p50_ms, r->p99_ms);
  std::printf(
      "hub request path per entry, one thread: inflate %.1f µs, decode %.1f µs, validate %.1f "
      "µs, agent lookup %.1f µs, store %.1f µs = %.1f µs (%.0f events/s); client encode %.1f "
      "µs, deflate %.1f µs\n",
      c.inflate * 1e6, c.decode * 1e6, c.validate * 1e6, c.lookup * 1e6, c.store * 1e6, path * 1e6,
      1 / path, c.encode * 1e6, c.deflate * 1e6);
  std::printf(
      "storage events=%lld seconds=%.3f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
      "inflate_us=%.2f decode_us=%.2f validate_us=%.2f lookup_us=%.2f store_us=%.2f "
      "path_events_per_s=%.0f encode_us=%.2f deflate_us=%.2f\n",
      static_cast<long long>(r->events), r->store_seconds, double(r->events) / r->store_seconds,
      r->p50_ms, r->p99_ms, c.inflate * 1e6, c.decode * 1e6, c.validate * 1e6, c.lookup * 1e6,
      c.store * 1e6, 1 / path, c.encode * 1e6, c.deflate * 1e6);
  return 0;
}

int backlog(const Options& options) {
  BacklogOptions backlog;
  backlog.hub_url = need(options, "hub");
  backlog.hub_ca_file = need(options, "hub-ca");
  backlog.code = need(options, "code");
  backlog.dir = need(options, "dir");
  backlog.entries = number(options, "entries", 10000);
  if (backlog.hub_url.empty() || backlog.hub_ca_file.empty() || backlog.code.empty() ||
      backlog.dir.empty()) {
    std::cerr << "usage: backlog --hub URL --hub-ca FILE --code CODE --dir DIR [--entries N]\n";
    return 2;
  }
  auto pool = CertificatePool::open(need(options, "pool"), kPoolCertificates);
  if (!pool) return failure(pool.error().message);
  const auto r = runBacklog(backlog, *pool);
  if (!r) return failure(r.error().message);
  std::string kinds;
  for (const auto& [kind, count] : r->kinds) {
    kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(count);
  }
  std::printf("backlog of %lld entries (%s)\n", static_cast<long long>(r->entries), kinds.c_str());
  std::printf("drained by one HubSync::syncNow in %.2f s: %s, %lld pushed, %lld left %s\n",
              r->drain_seconds, r->drain_outcome.c_str(), static_cast<long long>(r->pushed),
              static_cast<long long>(r->remaining), r->drain_message.c_str());
  std::size_t worst = 0;
  for (const auto& idle : r->idle) {
    std::printf("idle sync: %s, %d requests, %zu bytes sent + %zu received = %zu%s\n",
                idle.outcome.c_str(), idle.requests, idle.bytes_sent, idle.bytes_received,
                idle.bytes_sent + idle.bytes_received,
                idle.snapshot_queued ? " (snapshot queued)" : "");
    worst = std::max(worst, idle.bytes_sent + idle.bytes_received);
  }
  const auto& first_idle = r->idle.empty() ? IdleSync{} : r->idle.front();
  std::printf(
      "backlog entries=%lld drain_s=%.2f outcome=%s pushed=%lld remaining=%lld "
      "idle_outcome=%s idle_requests=%d idle_sent=%zu idle_received=%zu idle_worst_total=%zu\n",
      static_cast<long long>(r->entries), r->drain_seconds, r->drain_outcome.c_str(),
      static_cast<long long>(r->pushed), static_cast<long long>(r->remaining),
      first_idle.outcome.c_str(), first_idle.requests, first_idle.bytes_sent,
      first_idle.bytes_received, worst);
  return r->drain_outcome == "ok" && r->remaining == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cks-bench-hub-ingest enroll|load|storage|backlog --option value …\n";
    return 2;
  }
  const std::string command = argv[1];
  const auto options = parseOptions(argc, argv);
  if (!options) return 2;
  try {
    if (command == "enroll") return enrollAll(*options);
    if (command == "load") return load(*options);
    if (command == "storage") return storage(*options);
    if (command == "backlog") return backlog(*options);
  } catch (const std::exception& e) {  // std::stoll on a bad number, filesystem errors
    return failure(command + ": " + e.what());
  }
  std::cerr << "cks-bench-hub-ingest: unknown command " << command << '\n';
  return 2;
}
