// The console's calls on the national data set (bench/README.md, "The console's lists and the
// dashboard"; issue 14: a page of 50 rows with a filter and a sort ≤ 50 ms p95, the dashboard
// ≤ 200 ms p95).
//   cks-bench-console-lists --store sqlite:PATH|postgresql://… [--certificates N]
//                           [--agencies A] [--rounds R] [--keep] [--filled-at TIME]
// Fills a fresh hub store (a SQLite file at PATH, or an empty PostgreSQL database) with A
// agencies (15,000) of two PCs each, one token per PC (1 % with a locked PIN), N certificates
// (1,000,000; 5 % seen by both PCs of their agency), 30,000 requests, 50,000 alerts and 100,000
// audit lines, written straight into the hub's tables in one transaction as a store of schema 8
// would hold them; then opens it as the hub does, which makes the once-per-agency choice of every
// certificate (schema 9) and token (schema 11) and fills the search's text index through it
// (timed), and analyses it. Then times R rounds (20) of each call through
// the console's API (ConsoleApi::handle: session, service, store, JSON) and prints the median
// and the p95. The last line is `result key=value ...`. With --keep a SQLite file is left in
// place and, when a run with --keep already filled it, used as it is (a million certificates
// take minutes to fill and open; keep them while changing a statement). --filled-at TIME uses a
// store (SQLite or PostgreSQL) an earlier run filled at TIME (its "filled at" line) as it is.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_store.h"
#include "core/time_format.h"
#include "hub/console/console_api.h"
#include "hub/console/session_table.h"
#include "hub/province/staff_service.h"
#include "hub/store/hub_store.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kRequests = 30000;

// When a kept file was filled (--keep): its certificates' windows are counted from then.
void writeFillTime(const std::string& path, TimePoint at) {
  std::ofstream(path) << formatIsoUtc(at) << "\n";
}

TimePoint readFillTime(const std::string& path) {
  std::string line;
  std::getline(std::ifstream(path), line);
  const auto at = parseIsoUtc(line);
  if (!at) die(path + ": not a fill time (" + line + ")");
  return *at;
}
constexpr int kAlerts = 50000;
constexpr int kAuditLines = 100000;

std::string agencyCode(int a) {
  return "H" + std::to_string(10 + a % 34) + "." + std::to_string(a);
}
std::string agentId(int a, int pc) {
  return "agent-" + std::to_string(a) + "-" + std::to_string(pc);
}

void fill(const std::string& store, int agencies, int certificates, TimePoint now) {
  auto pool = openPool(store, 8);  // the schema before the choice made at ingest
  auto lease = must(pool->acquire(), "acquire");
  hub::StoreConnection& c = *lease;
  must(c.begin(), "begin");
  const std::string at = formatIsoUtc(now);
  for (int a = 0; a < agencies; ++a) {
    const std::string code = agencyCode(a);
    must(c.run("INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES "
               "(?1, ?2, 'commune', ?3, ?3)",
               {code, "UBND xã " + std::to_string(a), at}),
         "agency");
    if (a % 50 == 49) continue;  // 2 % without an agent
    for (int pc = 0; pc < 2; ++pc) {
      const std::string agent = agentId(a, pc);
      // Heard from within the last 20 days.
      const TimePoint contact =
          now - std::chrono::seconds(mix(std::uint64_t(a * 2 + pc)) % 1728000);
      must(c.run("INSERT INTO agents (agent_id, agency_code, host, agent_version, enrolled_at, "
                 "last_contact) VALUES (?1, ?2, ?3, '0.2.0', ?4, ?5)",
                 {agent, code, "PC-" + agent, at, formatIsoUtc(contact)}),
           "agent");
      must(c.run("INSERT INTO hub_tokens (id, agent_id, agency_code, serial, manufacturer, label, "
                 "model, pin_state, present, first_seen, last_seen) VALUES "
                 "(?1, ?2, ?3, ?4, 'Viettel-CA', 'Token', 'ePass', ?5, ?6, ?7, ?7)",
                 {std::int64_t{a * 2 + pc + 1}, agent, code, "T" + std::to_string(a * 2 + pc),
                  (a * 2 + pc) % 100 == 7 ? "locked" : "ok", pc == 0 ? 1 : 0, at}),
           "token");
    }
  }
  std::int64_t id = 0;
  for (int i = 0; i < certificates; ++i) {
    int a = i % agencies;
    if (a % 50 == 49) a = (a + 1) % agencies;
    const std::string code = agencyCode(a);
    const std::uint64_t h = mix(std::uint64_t(i));
    // not_after from a year ago to three years ahead.
    const TimePoint not_after = now - 24h * 365 + std::chrono::seconds(h % (86400ULL * 365 * 4));
    const std::string fingerprint = hex(h, 16) + hex(mix(h), 16) + hex(std::uint64_t(i), 32);
    const bool both = h % 20 == 0;
    for (int pc = 0; pc < (both ? 2 : 1); ++pc) {
      ++id;
      must(c.run("INSERT INTO hub_certificates (id, agent_id, agency_code, fingerprint, der, "
                 "parse_error, subject, issuer, common_name, organization, organizational_units, "
                 "locality, state, country, email, serial, not_before, not_after, key_usage, "
                 "kind, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, 'CN=CA', ?7, "
                 "'UBND', '', 'Quảng Ngãi', '', 'VN', '', ?8, ?9, ?10, 'digitalSignature', "
                 "'individual', ?11, ?11)",
                 {id, agentId(a, pc), code, fingerprint,
                  hub::SqlValue::blob(std::vector<std::uint8_t>(16, 0)),
                  "CN=Người " + std::to_string(i), "Người " + std::to_string(i), hex(h, 20),
                  formatIsoUtc(not_after - 24h * 730), formatIsoUtc(not_after), at}),
           "certificate");
      must(c.run("INSERT INTO hub_token_certificates (token_id, certificate_id, on_token, "
                 "first_seen, last_seen) VALUES (?1, ?2, 1, ?3, ?3)",
                 {std::int64_t{a * 2 + pc + 1}, id, at}),
           "link");
    }
  }
  static const char* const kStates[] = {"received",  "in_progress", "forwarded_to_provider",
                                        "completed", "rejected",    "cancelled"};
  for (int r = 0; r < kRequests; ++r) {
    int a = int(mix(std::uint64_t(r) + 7) % std::uint64_t(agencies));
    if (a % 50 == 49) a = (a + 1) % agencies;
    const std::string state = kStates[r % 6];
    const TimePoint received = now - 24h * (r % 120);
    must(c.run("INSERT INTO hub_requests (id, agency_code, agent_id, kind, state, form, "
               "subscriber, fingerprint, fields, filed_handled_by, handled_by, supersedes, "
               "created_at, received_at, due_date, updated_at) VALUES (?1, ?2, ?3, 'renewal', ?4, "
               "'04', 'individual', ?5, '{}', 'provider', 'provider', '[]', ?6, ?6, ?7, ?6)",
               {"r-" + std::to_string(r), agencyCode(a), agentId(a, 0), state,
                hex(mix(std::uint64_t(r)), 64), formatIsoUtc(received),
                formatIsoUtc(received + 24h * 15).substr(0, 10)}),
         "request");
  }
  static const char* const kSeverities[] = {"critical", "warning", "info"};
  for (int n = 0; n < kAlerts; ++n) {
    int a = int(mix(std::uint64_t(n) + 11) % std::uint64_t(agencies));
    if (a % 50 == 49) a = (a + 1) % agencies;
    must(c.run("INSERT INTO hub_alerts (agency_code, uuid, agent_id, lane, seq, kind, severity, "
               "state, raised_at, changed_at, params) VALUES (?1, ?2, ?3, 'normal', ?4, "
               "'certificate_expiring', ?5, ?6, ?7, ?7, '{}')",
               {agencyCode(a), "u-" + std::to_string(n), agentId(a, 0), std::int64_t{n},
                kSeverities[n % 3], n % 4 == 0 ? "resolved" : "open",
                formatIsoUtc(now - std::chrono::seconds(mix(std::uint64_t(n)) % 7776000))}),
         "alert");
  }
  for (int s = 1; s <= kAuditLines; ++s) {
    must(c.run("INSERT INTO audit_log (seq, at, actor, action, agency_code, target, detail, "
               "prev_hash, hash) VALUES (?1, ?2, ?3, 'request.transition', ?4, ?5, '', ?6, ?7)",
               {std::int64_t{s}, formatIsoUtc(now - std::chrono::seconds(kAuditLines - s)),
                "canbo" + std::to_string(s % 20), agencyCode(s % agencies),
                "r-" + std::to_string(s % kRequests), hex(std::uint64_t(s - 1), 64),
                hex(std::uint64_t(s), 64)}),
         "audit");
  }
  must(c.run("UPDATE audit_head SET seq = ?1", {std::int64_t{kAuditLines}}), "audit head");
  must(c.commit(), "commit");
}

struct Timing {
  double median = 0;
  double p95 = 0;
};

Timing timeRounds(int rounds, const std::function<void()>& run) {
  run();  // warm-up
  std::vector<double> ms;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Steady::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const size_t p95 = std::min(ms.size() - 1, size_t(double(ms.size()) * 0.95 + 0.5) - 1);
  return {ms[ms.size() / 2], ms[p95]};
}

int run(int argc, char** argv) {
  std::string store_url;
  int certificates = 1000000;
  int agencies = 15000;
  int rounds = 20;
  bool keep = false;
  std::string filled_at;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--keep") {
      keep = true;
      continue;
    }
    if (i + 1 >= argc) die(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--store")
      store_url = value;
    else if (flag == "--certificates")
      certificates = std::atoi(value.c_str());
    else if (flag == "--agencies")
      agencies = std::max(50, std::atoi(value.c_str()));
    else if (flag == "--rounds")
      rounds = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--filled-at")
      filled_at = value;
    else
      die("unknown option " + flag);
  }
  if (store_url.empty()) {
    die("usage: cks-bench-console-lists --store sqlite:PATH|postgresql://… [--certificates N] "
        "[--agencies A] [--rounds R] [--keep] [--filled-at TIME]");
  }
  // A kept file's set is dated by its fill: the windows (days=30) are read from then.
  // --filled-at: a store an earlier run filled at that time (its output's "filled at" line),
  // SQLite or PostgreSQL, used as it is.
  const bool reuse =
      !filled_at.empty() || (keep && !isPostgres(store_url) &&
                             std::filesystem::exists(sqlitePath(store_url) + ".filled-at"));
  if (!isPostgres(store_url) && !reuse) {
    const std::string path = sqlitePath(store_url);
    for (const char* suffix : {"", "-wal", "-shm", ".filled-at"}) {
      std::filesystem::remove(path + suffix);
    }
  }
  TimePoint now = SystemClock().now();
  const auto fill_start = Steady::now();
  if (!filled_at.empty()) {
    const auto at = parseIsoUtc(filled_at);
    if (!at) die("--filled-at " + filled_at + ": not a time (YYYY-MM-DDTHH:MM:SSZ)");
    now = *at;
  } else if (reuse) {
    now = readFillTime(sqlitePath(store_url) + ".filled-at");
  } else {
    fill(store_url, agencies, certificates, now);
    if (keep) writeFillTime(sqlitePath(store_url) + ".filled-at", now);
  }
  const double fill_s = std::chrono::duration<double>(Steady::now() - fill_start).count();
  // Opening it upgrades it to the current schema and makes the choice of every certificate.
  const auto open_start = Steady::now();
  auto store = must(isPostgres(store_url) ? hub::openPostgresHubStore(store_url)
                                          : hub::openSqliteHubStore(sqlitePath(store_url)),
                    "open store");
  const double choose_s = std::chrono::duration<double>(Steady::now() - open_start).count();
  {
    // The planner's statistics, as a running store has them (certificate_page.cc).
    auto pool = openPool(store_url, 0);
    auto lease = must(pool->acquire(), "acquire");
    must(lease->run("ANALYZE"), "analyze");
  }

  const FixedClock clock(now);
  hub::StaffService staff(hub::provinceContext(*store, clock, Language::English, "cli:bench"));
  // A kept store has the accounts of the runs before: each run adds its own.
  const std::string viewer =
      "lanhdao" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     SystemClock().now().time_since_epoch())
                                     .count());
  auto issued = must(staff.addUser(viewer, hub::StaffRole::Viewer), "user");
  must(staff.changePassword(viewer, issued.password, "Mật-khẩu-bench-2026"), "password");
  auto account = must(staff.user(viewer), "account");
  hub::SessionTable sessions(clock, 24h, 24h);
  const std::string token = sessions.open(account);
  const hub::ConsoleApi api(*store, clock, sessions, 30);

  const std::string agency = agencyCode(agencies / 2);
  const std::string prefix = hex(mix(12345), 16).substr(0, 8);  // certificate 12345's
  struct Call {
    std::string name;
    std::string path;
    std::map<std::string, std::string> query;
    double target_ms;
    bool next_page = false;  // the page after the first one (its cursor asked for once, untimed)
  };
  const std::vector<Call> calls = {
      {"certificates days=30", "/api/v1/certificates", {{"days", "30"}, {"limit", "50"}}, 50},
      {"certificates days=90 sort=common_name",
       "/api/v1/certificates",
       {{"days", "90"}, {"sort", "common_name"}, {"limit", "50"}},
       50},
      {"certificates sort=agency",
       "/api/v1/certificates",
       {{"sort", "agency"}, {"limit", "50"}},
       50},
      {"certificates agency sort=not_after",
       "/api/v1/certificates",
       {{"agency", agency}, {"limit", "50"}},
       50},
      {"certificates search=fingerprint prefix",
       "/api/v1/certificates",
       {{"search", prefix}, {"limit", "50"}},
       50},
      {"certificates search=name",
       "/api/v1/certificates",
       {{"search", "người 4242"}, {"limit", "50"}},
       50},
      {"tokens", "/api/v1/tokens", {{"limit", "50"}}, 50},
      {"tokens agency", "/api/v1/tokens", {{"agency", agency}, {"limit", "50"}}, 50},
      // The filters of the Token, certificate and alert pages: 1 % of the tokens locked, half
      // of them plugged in; every certificate of the set is a person's, so kind=device matches
      // none (the whole order is read).
      {"tokens pin_state=locked", "/api/v1/tokens", {{"pin_state", "locked"}, {"limit", "50"}}, 50},
      {"tokens present=false", "/api/v1/tokens", {{"present", "false"}, {"limit", "50"}}, 50},
      {"certificates kind=individual",
       "/api/v1/certificates",
       {{"kind", "individual"}, {"limit", "50"}},
       50},
      {"certificates kind=device",
       "/api/v1/certificates",
       {{"kind", "device"}, {"limit", "50"}},
       50},
      {"certificates status=expiring",
       "/api/v1/certificates",
       {{"status", "expiring"}, {"limit", "50"}},
       50},
      {"certificates status=valid sort=common_name",
       "/api/v1/certificates",
       {{"status", "valid"}, {"sort", "common_name"}, {"limit", "50"}},
       50},
      {"alerts severity=warning", "/api/v1/alerts", {{"severity", "warning"}, {"limit", "50"}}, 50},
      {"requests", "/api/v1/requests", {{"limit", "50"}}, 50},
      {"requests state=received", "/api/v1/requests", {{"state", "received"}, {"limit", "50"}}, 50},
      {"alerts", "/api/v1/alerts", {{"limit", "50"}}, 50},
      {"alerts agency", "/api/v1/alerts", {{"agency", agency}, {"limit", "50"}}, 50},
      {"audit", "/api/v1/audit", {{"limit", "50"}}, 50},
      {"audit actor", "/api/v1/audit", {{"actor", "canbo7"}, {"limit", "50"}}, 50},
      {"dashboard", "/api/v1/dashboard", {}, 200},
      {"certificates status=expired sort=common_name",
       "/api/v1/certificates",
       {{"status", "expired"}, {"sort", "common_name"}, {"limit", "50"}},
       50},
      {"certificates days=90 sort=common_name page 2",
       "/api/v1/certificates",
       {{"days", "90"}, {"sort", "common_name"}, {"limit", "50"}},
       50,
       true},
      {"certificates sort=agency page 2",
       "/api/v1/certificates",
       {{"sort", "agency"}, {"limit", "50"}},
       50,
       true},
      {"requests page 2", "/api/v1/requests", {{"limit", "50"}}, 50, true},
  };
  const std::string backend = isPostgres(store_url) ? "postgresql" : "sqlite";
  std::printf(
      "%s store: %d agencies, %d certificates; filled at %s in %.1f s, opened (upgrades and "
      "choices) in %.1f s\n",
      backend.c_str(), agencies, certificates, formatIsoUtc(now).c_str(), fill_s, choose_s);
  std::printf("%-42s %10s %10s %8s\n", "call", "median ms", "p95 ms", "target");
  std::string result = "result backend=" + backend +
                       " certificates=" + std::to_string(certificates) +
                       " choose_s=" + std::to_string(choose_s);
  for (const auto& call : calls) {
    size_t rows = 0;
    auto query = call.query;
    if (call.next_page) {
      const auto first = api.handle({"GET", call.path, query, "", token, "", ""});
      const std::string key = "\"next_cursor\":\"";
      const size_t at = first.body.find(key);
      if (first.status != 200 || at == std::string::npos) die(call.name + ": no next page");
      const size_t from = at + key.size();
      query["cursor"] = first.body.substr(from, first.body.find('"', from) - from);
    }
    const Timing t = timeRounds(rounds, [&] {
      const auto answer = api.handle({"GET", call.path, query, "", token, "", ""});
      if (answer.status != 200) die(call.name + ": " + answer.body);
      rows = answer.body.size();
    });
    std::printf("%-42s %10.1f %10.1f %8.0f%s\n", call.name.c_str(), t.median, t.p95, call.target_ms,
                t.p95 <= call.target_ms ? "" : "  MISSED");
    std::string key = call.name;
    for (char& ch : key) {
      if (ch == ' ' || ch == '=') ch = '_';
    }
    result += " " + key + "_p95=" + std::to_string(t.p95);
    (void)rows;
  }
  std::printf("%s\n", result.c_str());
  return 0;
}

}  // namespace
}  // namespace cks::bench

int main(int argc, char** argv) { return cks::bench::run(argc, argv); }
