// The alert-evaluation benchmark (bench/README.md, "Alert evaluation"): 10,000 real X.509
// certificates on 2,500 tokens in the agent's own store, then the agent's real
// AlertMonitor::evaluate() — the first evaluation (raises the backlog of alerts) and the
// periodic one where nothing changes — and the steady state split into reading the inventory,
// the rules (core/alert_rules.h) and the store's reconcile (store/alerts.h).
//   cks-bench-alert-eval DIR [STEADY_RUNS]
// DIR receives the store (agent.db). The last line is `result key=value ...` for the script.

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/agent_config.h"
#include "agent/alert_monitor.h"
#include "agent/hub_sync.h"
#include "bench/bench_certificates.h"
#include "core/alert.h"
#include "core/alert_rules.h"
#include "core/certificate.h"
#include "core/clock.h"
#include "core/openssl_ptr.h"
#include "core/subscriber_kind.h"
#include "core/token.h"
#include "store/alerts.h"
#include "store/inventory.h"

namespace cks::bench {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using std::chrono::days;

constexpr int kTokens = 2500;
constexpr int kCertificatesPerToken = 4;
constexpr int kCertificates = kTokens * kCertificatesPerToken;
// not_after runs from 30 days ago to 800 days ahead: every expiry threshold, the renewal
// warning and its deadline, expired certificates and quiet ones.
constexpr int kFirstDay = -30;
constexpr int kLastDay = 800;
constexpr const char* kModule = "/usr/lib/x86_64-linux-gnu/libbcy-pkcs11.so";
constexpr const char* kHost = "PC-VANTHU";

double msSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

// --- Certificates -------------------------------------------------------------------------

constexpr std::array<const char*, 16> kFamilyNames = {
    "Nguyễn", "Trần", "Lê",  "Phạm",  "Huỳnh", "Hoàng", "Võ",     "Đặng",
    "Bùi",    "Đỗ",   "Ngô", "Dương", "Lý",    "Phan",  "Trương", "Đinh"};
constexpr std::array<const char*, 8> kMiddleNames = {"Văn",   "Thị",  "Minh", "Quốc",
                                                     "Thanh", "Ngọc", "Đức",  "Thị Ánh"};
constexpr std::array<const char*, 20> kGivenNames = {
    "An",   "Bình", "Cường", "Dung",  "Hạnh", "Khôi", "Lan",  "Mai", "Nam",  "Phương",
    "Quân", "Sơn",  "Tâm",   "Tuyết", "Vân",  "Yến",  "Hùng", "Hải", "Thảo", "Trinh"};
struct Commune {
  const char* name;   // as an OU: "UBND xã Bình Chương"
  const char* upper;  // as an organisation's CN: "UBND XÃ BÌNH CHƯƠNG"
};
constexpr std::array<Commune, 12> kCommunes = {{
    {"UBND xã Bình Chương", "UBND XÃ BÌNH CHƯƠNG"},
    {"UBND xã Bình Minh", "UBND XÃ BÌNH MINH"},
    {"UBND xã Tịnh Kỳ", "UBND XÃ TỊNH KỲ"},
    {"UBND xã Nghĩa Hà", "UBND XÃ NGHĨA HÀ"},
    {"UBND xã Sơn Hà", "UBND XÃ SƠN HÀ"},
    {"UBND xã Trà Bồng", "UBND XÃ TRÀ BỒNG"},
    {"UBND xã Ba Tơ", "UBND XÃ BA TƠ"},
    {"UBND xã Minh Long", "UBND XÃ MINH LONG"},
    {"UBND xã Mộ Đức", "UBND XÃ MỘ ĐỨC"},
    {"UBND xã Tư Nghĩa", "UBND XÃ TƯ NGHĨA"},
    {"UBND xã Nghĩa Hành", "UBND XÃ NGHĨA HÀNH"},
    {"UBND xã Đức Phổ", "UBND XÃ ĐỨC PHỔ"},
}};
constexpr std::array<const char*, 8> kDepartments = {
    "Văn phòng HĐND và UBND", "Bộ phận Một cửa",  "Tài chính - Kế toán", "Địa chính - Xây dựng",
    "Tư pháp - Hộ tịch",      "Văn hóa - Xã hội", "Công an xã",          "Ban Chỉ huy Quân sự"};

std::string personName(int n) {
  const auto u = std::size_t(n);
  return std::string(kFamilyNames[u % kFamilyNames.size()]) + " " +
         kMiddleNames[(u / kFamilyNames.size()) % kMiddleNames.size()] + " " +
         kGivenNames[(u * 7 + u / 3) % kGivenNames.size()];
}

// One certificate on one token, as the benchmark lays them out.
struct Planned {
  int token = 0;
  int slot = 0;
  std::string person;  // empty: an organisation's certificate
  TimePoint not_after{};
};

// Certificate i is on token i / 4. Its expiry is a permutation of the 830 days (a stride prime
// to 10,000), so that each token holds a mix. Slot 3 of every other token is the commune's
// organisation certificate; on every 100th token slot 1 is the renewal of slot 0 (same holder,
// later expiry), which settles slot 0's alerts as "renewed".
std::vector<Planned> plan(TimePoint now) {
  std::vector<Planned> out;
  for (int i = 0; i < kCertificates; ++i) {
    Planned p;
    p.token = i / kCertificatesPerToken;
    p.slot = i % kCertificatesPerToken;
    const long spread = long(i) * 7919 % kCertificates;  // 0 … 9,999, each once
    const long seconds =
        (kFirstDay * 86400L) + spread * ((kLastDay - kFirstDay) * 86400L) / kCertificates;
    p.not_after = now + std::chrono::seconds(seconds + 3600);
    if (p.slot == 3 && p.token % 2 == 0) {
      p.person.clear();
    } else {
      p.person = personName(p.token * kCertificatesPerToken + p.slot);
    }
    out.push_back(std::move(p));
  }
  for (int t = 7; t < kTokens; t += 100) {
    Planned& old = out[std::size_t(t * kCertificatesPerToken)];
    Planned& renewed = out[std::size_t(t * kCertificatesPerToken + 1)];
    old.not_after = now + std::chrono::days(5 + t % 40);
    renewed.person = old.person;
    renewed.not_after = old.not_after + std::chrono::days(730);
  }
  return out;
}

Name subjectOf(const Planned& p) {
  const Commune& commune = kCommunes[std::size_t(p.token) % kCommunes.size()];
  if (p.person.empty()) {
    return makeName(
        {{"C", "VN"}, {"L", "Quảng Ngãi"}, {"O", "UBND tỉnh Quảng Ngãi"}, {"CN", commune.upper}});
  }
  return makeName({{"C", "VN"},
                   {"L", "Quảng Ngãi"},
                   {"O", "UBND tỉnh Quảng Ngãi"},
                   {"OU", commune.name},
                   {"OU", kDepartments[std::size_t(p.token + p.slot) % kDepartments.size()]},
                   {"CN", p.person}});
}

struct Issued {
  std::vector<store::ScanObservation::SeenCertificate> certificates;  // index as the plan
};

Result<Issued> issueAll(const std::vector<Planned>& planned, TimePoint now) {
  const Key ca_key(EVP_EC_gen("P-256"));
  const Key subscriber_key(EVP_EC_gen("P-256"));  // one key for all: only the DER matters
  if (!ca_key || !subscriber_key) return fail("bench: EC key generation failed");
  const Name ca_name = makeName(
      {{"C", "VN"}, {"O", "Ban Cơ yếu Chính phủ"}, {"CN", "CA phục vụ các cơ quan Nhà nước G2"}});
  const Cert ca = issueCertificate(ca_name, ca_key.get(), nullptr, ca_key.get(), 1,
                                   now - days(3650), now + days(3650), true);
  if (!ca) return fail("bench: cannot make the CA");
  const SubscriberKindRules rules;
  Issued out;
  out.certificates.reserve(planned.size());
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const Planned& p = planned[i];
    // Certificates of the government CA run up to three years.
    const TimePoint not_before = std::min(p.not_after - days(1095), now - days(1));
    const Cert leaf = issueCertificate(subjectOf(p), subscriber_key.get(), ca.get(), ca_key.get(),
                                       0x10000 + i, not_before, p.not_after, false);
    if (!leaf) return fail("bench: cannot issue certificate ", std::to_string(i));
    store::ScanObservation::SeenCertificate seen;
    seen.der = derOf(leaf.get());
    seen.certificate = parseCertificateDer(seen.der, rules);
    if (!seen.certificate.parsed()) {
      return fail("bench: certificate ", std::to_string(i), ": ", seen.certificate.parse_error);
    }
    seen.object_id = "0" + std::to_string(p.slot + 1);
    seen.object_label = "Chứng thư số " + std::to_string(p.slot + 1);
    out.certificates.push_back(std::move(seen));
  }
  return out;
}

// --- Tokens and scans ---------------------------------------------------------------------

enum class Presence { Present, UnpluggedRecently, GoneLongAgo };

// A few tokens near or at a locked PIN; some unplugged for days (no alert) and some not seen
// for 200 days (token_not_seen).
PinState pinOf(int t) {
  if (t % 125 == 1) return PinState::CountLow;
  if (t % 125 == 2) return PinState::FinalTry;
  if (t % 125 == 3) return PinState::Locked;
  return PinState::Ok;
}
Presence presenceOf(int t) {
  if (t % 50 == 10) return Presence::GoneLongAgo;
  if (t % 50 == 20) return Presence::UnpluggedRecently;
  return Presence::Present;
}

store::ScanObservation scanAt(TimePoint at, const std::vector<Planned>& planned,
                              const Issued& issued, Presence least) {
  store::ScanObservation scan;
  scan.host = kHost;
  scan.at = at;
  scan.modules.push_back({kModule, "ok", ""});
  for (int t = 0; t < kTokens; ++t) {
    if (int(presenceOf(t)) > int(least)) continue;
    store::ScanObservation::SeenToken token;
    token.module = kModule;
    char serial[32];
    std::snprintf(serial, sizeof serial, "BCY%09d", 2604000 + t);
    const std::size_t first = std::size_t(t * kCertificatesPerToken);
    const std::string& holder = planned[first].person;
    token.token = {serial, "Feitian Technologies Co., Ltd.", holder.empty() ? "Văn thư" : holder,
                   "ePass2003", pinOf(t)};
    for (int slot = 0; slot < kCertificatesPerToken; ++slot) {
      token.certificates.push_back(issued.certificates[first + std::size_t(slot)]);
    }
    scan.tokens.push_back(std::move(token));
  }
  return scan;
}

// Three scans: every token 200 days ago; all but the long-gone ones 3 days ago; the tokens
// plugged in now, 5 minutes ago.
Status buildStore(const std::string& path, TimePoint now, double& issue_ms, double& scan_ms) {
  const std::vector<Planned> planned = plan(now);
  auto start = Steady::now();
  auto issued = issueAll(planned, now);
  if (!issued) return tl::unexpected(issued.error());
  issue_ms = msSince(start);
  auto inventory = store::Inventory::open(path);
  if (!inventory) return tl::unexpected(inventory.error());
  start = Steady::now();
  const std::array<std::pair<TimePoint, Presence>, 3> scans = {{
      {now - days(200), Presence::GoneLongAgo},
      {now - days(3), Presence::UnpluggedRecently},
      {now - 5min, Presence::Present},
  }};
  for (const auto& [at, least] : scans) {
    auto recorded = (*inventory)->recordScan(scanAt(at, planned, *issued, least));
    if (!recorded) return tl::unexpected(recorded.error());
  }
  scan_ms = msSince(start);
  return ok();
}

// --- Measurement --------------------------------------------------------------------------

struct Summary {
  double median = 0;
  double p90 = 0;
  double max = 0;
};

Summary summarize(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  Summary s;
  s.median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  s.p90 = samples[std::min(n - 1, (n * 9 + 9) / 10 - 1)];
  s.max = samples.back();
  return s;
}

int run(const std::string& dir, int runs) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(dir, error);
  const std::string path = (fs::path(dir) / "agent.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, error);

  const TimePoint now = SystemClock().now();
  double issue_ms = 0;
  double scan_ms = 0;
  if (auto built = buildStore(path, now, issue_ms, scan_ms); !built) {
    std::fprintf(stderr, "%s\n", built.error().message.c_str());
    return 1;
  }
  std::printf("setup: %d certificates issued and parsed in %.1f s, 3 scans recorded in %.1f s\n",
              kCertificates, issue_ms / 1000, scan_ms / 1000);

  // The agent's objects, as its main wires them, on the store just written.
  auto inventory = store::Inventory::open(path);
  if (!inventory) {
    std::fprintf(stderr, "%s\n", inventory.error().message.c_str());
    return 1;
  }
  agent::AgentConfig config;
  config.host_name = kHost;
  config.modules = {kModule};
  config.store_path = path;
  config.hub_dir = (fs::path(dir) / "hub").string();
  const FixedClock clock(now);
  Poco::Logger& logger = Poco::Logger::get("cks-bench-alert-eval");
  logger.setChannel(new Poco::NullChannel);
  agent::HubSync hub(config, **inventory, clock, logger);  // no thread: start() is not called
  agent::AlertMonitor monitor(config, **inventory, hub, clock, logger);

  // The first evaluation: the whole backlog of alerts in one transaction.
  auto start = Steady::now();
  auto first = monitor.evaluate();
  const double first_ms = msSince(start);
  if (!first) {
    std::fprintf(stderr, "first evaluation: %s\n", first.error().message.c_str());
    return 1;
  }
  std::map<std::pair<std::string, int>, int> raised_by;  // (kind, threshold or -1) → count
  for (const auto& alert : first->raised) {
    ++raised_by[{std::string(toString(alert.kind)), alert.threshold_days.value_or(-1)}];
  }
  std::printf("first evaluation: %.1f ms, %zu alerts raised, %zu resolved\n", first_ms,
              first->raised.size(), first->resolved.size());
  std::string kinds_line;
  for (const auto& [key, count] : raised_by) {
    const auto& [kind, threshold] = key;
    kinds_line += "  " + kind + (threshold < 0 ? "" : " " + std::to_string(threshold)) + ": " +
                  std::to_string(count) + "\n";
  }
  std::printf("raised by kind and threshold:\n%s", kinds_line.c_str());

  // The periodic evaluation (nothing changed since), and the same steps timed one by one as
  // AlertMonitor::evaluate() runs them, alternately, so that a busy machine weighs on both.
  store::Alerts alerts(**inventory);
  std::vector<double> steady, after_scan, read_ms, certificates_ms, tokens_ms, sync_ms, rules_ms,
      reconcile_ms, free_ms;
  std::size_t conditions = 0;
  std::size_t settled = 0;
  for (int i = 0; i < runs; ++i) {
    start = Steady::now();
    auto again = monitor.evaluate();
    steady.push_back(msSince(start));
    if (!again) {
      std::fprintf(stderr, "evaluation %d: %s\n", i, again.error().message.c_str());
      return 1;
    }
    if (!again->raised.empty() || !again->resolved.empty()) {
      std::fprintf(stderr, "evaluation %d changed %zu + %zu alerts: not a steady state\n", i,
                   again->raised.size(), again->resolved.size());
      return 1;
    }
    // After a scan the monitor reads the inventory again (its generation moved): a monitor
    // with nothing kept times that case on the same store.
    {
      agent::AlertMonitor after(config, **inventory, hub, clock, logger);
      start = Steady::now();
      auto rescan = after.evaluate();
      after_scan.push_back(msSince(start));
      if (!rescan || !rescan->raised.empty() || !rescan->resolved.empty()) {
        std::fprintf(stderr, "evaluation after a scan %d: not a steady state\n", i);
        return 1;
      }
    }

    auto inputs = std::make_unique<AlertInputs>();
    start = Steady::now();
    auto certificates = (*inventory)->certificates(store::Inventory::Detail::ForAlerts);
    certificates_ms.push_back(msSince(start));
    auto step = Steady::now();
    auto tokens = (*inventory)->tokens();
    tokens_ms.push_back(msSince(step));
    auto modules = (*inventory)->modules();
    if (!certificates || !tokens || !modules) {
      std::fprintf(stderr, "reading the inventory failed\n");
      return 1;
    }
    inputs->certificates = std::move(*certificates);
    inputs->tokens = std::move(*tokens);
    for (const auto& module : *modules) {
      if (std::find(config.modules.begin(), config.modules.end(), module.path) !=
          config.modules.end()) {
        inputs->modules.push_back({module.path, module.outcome, module.detail, module.since});
      }
    }
    read_ms.push_back(msSince(start));

    start = Steady::now();
    if (const auto offset = hub.clockOffsetSeconds()) {
      inputs->clock_offset = std::chrono::seconds(*offset);
    }
    inputs->enrolled = hub.enrollment().has_value();
    inputs->last_hub_contact = hub.lastContact();
    const TimePoint at = monitor.correctedNow();
    sync_ms.push_back(msSince(start));

    start = Steady::now();
    auto evaluation = std::make_unique<AlertEvaluation>(evaluateAlerts(*inputs, config.alerts, at));
    rules_ms.push_back(msSince(start));
    conditions = evaluation->conditions.size();
    settled = evaluation->settled.size();

    start = Steady::now();
    auto changes = alerts.reconcile(*evaluation, at);
    reconcile_ms.push_back(msSince(start));
    if (!changes || !changes->raised.empty() || !changes->resolved.empty()) {
      std::fprintf(stderr, "reconcile %d: not a steady state\n", i);
      return 1;
    }

    // evaluate() frees its inputs and conditions before it returns: part of its time.
    start = Steady::now();
    evaluation.reset();
    inputs.reset();
    free_ms.push_back(msSince(start));
  }
  auto open_alerts = alerts.list(false, now);
  const std::size_t open_count = open_alerts ? open_alerts->size() : 0;

  const Summary total = summarize(steady);
  const Summary rescanned = summarize(after_scan);
  const Summary read = summarize(read_ms);
  const Summary certificates_part = summarize(certificates_ms);
  const Summary tokens_part = summarize(tokens_ms);
  const Summary sync = summarize(sync_ms);
  const Summary rules = summarize(rules_ms);
  const Summary reconcile = summarize(reconcile_ms);
  const Summary freeing = summarize(free_ms);
  std::printf("steady state, %d evaluations: median %.1f ms, p90 %.1f ms, max %.1f ms\n", runs,
              total.median, total.p90, total.max);
  std::printf(
      "after a scan (the inventory read again), %d evaluations: median %.1f ms, p90 %.1f "
      "ms, max %.1f ms\n",
      runs, rescanned.median, rescanned.p90, rescanned.max);
  std::printf("%zu conditions, %zu settled certificates, %zu open alerts\n", conditions, settled,
              open_count);
  std::printf("split (median / p90 of %d runs, ms):\n", runs);
  std::printf("  read inventory (certificates+tokens+modules)  %7.1f  %7.1f\n", read.median,
              read.p90);
  std::printf("    of which certificates()                     %7.1f  %7.1f\n",
              certificates_part.median, certificates_part.p90);
  std::printf("    of which tokens()                           %7.1f  %7.1f\n", tokens_part.median,
              tokens_part.p90);
  std::printf("  hub sync state (offset, enrolment, contact)   %7.2f  %7.2f\n", sync.median,
              sync.p90);
  std::printf("  evaluateAlerts (core/alert_rules)             %7.1f  %7.1f\n", rules.median,
              rules.p90);
  std::printf("  reconcile (store/alerts)                      %7.1f  %7.1f\n", reconcile.median,
              reconcile.p90);
  std::printf("  freeing the inputs and conditions             %7.1f  %7.1f\n", freeing.median,
              freeing.p90);
  std::printf(
      "result certificates=%d tokens=%d first_ms=%.1f raised=%zu runs=%d median_ms=%.1f "
      "p90_ms=%.1f max_ms=%.1f after_scan_ms=%.1f read_ms=%.1f certificates_ms=%.1f tokens_ms=%.1f "
      "sync_ms=%.2f "
      "rules_ms=%.1f reconcile_ms=%.1f free_ms=%.1f "
      "conditions=%zu settled=%zu open=%zu issue_s=%.1f scans_s=%.1f\n",
      kCertificates, kTokens, first_ms, first->raised.size(), runs, total.median, total.p90,
      total.max, rescanned.median, read.median, certificates_part.median, tokens_part.median,
      sync.median, rules.median, reconcile.median, freeing.median, conditions, settled, open_count,
      issue_ms / 1000, scan_ms / 1000);
  return 0;
}

}  // namespace
}  // namespace cks::bench

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s DIR [STEADY_RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc == 3 ? std::atoi(argv[2]) : 40;
  if (runs < 1) {
    std::fprintf(stderr, "STEADY_RUNS must be a positive number\n");
    return 2;
  }
  return cks::bench::run(argv[1], runs);
}
