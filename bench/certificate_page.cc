// A page of the province's expiring certificates (bench/README.md, "The province's certificate
// list: a page in SQL"; issue 13: the console pages through up to 1,000,000 certificates).
//   cks-bench-certificate-page --store sqlite:PATH|postgresql://… [--certificates N] [--rounds R]
//                              [--no-list]
// Fills a fresh hub store (a SQLite file at PATH, or an empty PostgreSQL database) with N
// certificates (200,000 by default) over 300
// agencies of two PCs each (rows written straight into the hub's tables in one transaction; 5 %
// of the certificates seen by both PCs of their agency, so the once-per-agency choice has work),
// expiries spread over four years around now. Then times, median of R rounds (5):
//   page   ProvinceViews::certificates: the first 50 certificates expiring within 30 days,
//          province-wide, soonest first, chosen, filtered, sorted and cut in SQL
//   list   the old way: every certificate of the province listed (walked page by page), then
//          filtered to the same window and sorted in C++, the first 50 kept
// and checks both give the same 50 (--no-list: the page only, for sizes where listing takes
// minutes a round). The last line is `result key=value ...`.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_store.h"
#include "core/time_format.h"
#include "hub/store/hub_store.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kAgencies = 300;
constexpr int kPageRows = 50;
constexpr int kDays = 30;

void fill(const std::string& store, int certificates, TimePoint now) {
  auto pool = openPool(store);
  auto lease = must(pool->acquire(), "acquire");
  hub::StoreConnection& c = *lease;
  must(c.begin(), "begin");
  const std::string at = formatIsoUtc(now);
  for (int a = 0; a < kAgencies; ++a) {
    const std::string code = "H" + std::to_string(10 + a / 100) + "." + std::to_string(a % 100);
    must(c.run("INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES "
               "(?1, ?2, 'commune', ?3, ?3)",
               {code, "UBND xã " + std::to_string(a), at}),
         "agency");
    for (int pc = 0; pc < 2; ++pc) {
      const std::string agent = "agent-" + std::to_string(a) + "-" + std::to_string(pc);
      must(c.run("INSERT INTO agents (agent_id, agency_code, host, agent_version, enrolled_at) "
                 "VALUES (?1, ?2, ?3, '0.2.0', ?4)",
                 {agent, code, "PC-" + agent, at}),
           "agent");
      must(c.run("INSERT INTO hub_tokens (id, agent_id, agency_code, serial, manufacturer, label, "
                 "model, pin_state, present, first_seen, last_seen) VALUES "
                 "(?1, ?2, ?3, ?4, 'Viettel-CA', 'Token', 'ePass', 'ok', ?5, ?6, ?6)",
                 {std::int64_t{a * 2 + pc + 1}, agent, code, "T" + std::to_string(a),
                  pc == 0 ? 1 : 0, at}),
           "token");
    }
  }
  std::int64_t id = 0;
  for (int i = 0; i < certificates; ++i) {
    const int a = i % kAgencies;
    const std::string code = "H" + std::to_string(10 + a / 100) + "." + std::to_string(a % 100);
    const std::uint64_t h = mix(std::uint64_t(i));
    // not_after from a year ago to three years ahead.
    const TimePoint not_after = now - 24h * 365 + std::chrono::seconds(h % (86400ULL * 365 * 4));
    const std::string fingerprint = hex(h, 16) + hex(mix(h), 16) + hex(std::uint64_t(i), 32);
    const bool both = h % 20 == 0;
    for (int pc = 0; pc < (both ? 2 : 1); ++pc) {
      const std::string agent = "agent-" + std::to_string(a) + "-" + std::to_string(pc);
      ++id;
      must(c.run(
               "INSERT INTO hub_certificates (id, agent_id, agency_code, fingerprint, der, "
               "parse_error, subject, issuer, common_name, organization, organizational_units, "
               "locality, state, country, email, serial, not_before, not_after, key_usage, "
               "kind, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, 'CN=CA', ?7, "
               "'UBND', '', 'Quảng Ngãi', '', 'VN', '', ?8, ?9, ?10, 'digitalSignature', "
               "'individual', ?11, ?11)",
               {id, agent, code, fingerprint, hub::SqlValue::blob(std::vector<std::uint8_t>(16, 0)),
                "CN=Người " + std::to_string(i), "Người " + std::to_string(i), hex(h, 20),
                formatIsoUtc(not_after - 24h * 730), formatIsoUtc(not_after), at}),
           "certificate");
      must(c.run("INSERT INTO hub_token_certificates (token_id, certificate_id, on_token, "
                 "first_seen, last_seen) VALUES (?1, ?2, 1, ?3, ?3)",
                 {std::int64_t{a * 2 + pc + 1}, id, at}),
           "link");
    }
  }
  must(c.commit(), "commit");
  // The planner's statistics, as a running store has them (PostgreSQL's autovacuum analyses a
  // table after large changes; SQLite's are only made by ANALYZE): without them, a store
  // filled in one transaction is planned as if empty.
  must(c.run("ANALYZE"), "analyze");
}

double medianMs(int rounds, const std::function<void()>& run) {
  std::vector<double> ms;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Steady::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

int run(int argc, char** argv) {
  std::string store_url;
  int certificates = 200000;
  int rounds = 5;
  bool list = true;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-list") {
      list = false;
      continue;
    }
    if (i + 1 >= argc) die(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--store")
      store_url = value;
    else if (flag == "--certificates")
      certificates = std::atoi(value.c_str());
    else if (flag == "--rounds")
      rounds = std::max(1, std::atoi(value.c_str()));
    else
      die("unknown option " + flag);
  }
  if (store_url.empty()) {
    die("usage: cks-bench-certificate-page --store sqlite:PATH|postgresql://… [--certificates N] "
        "[--rounds R] [--no-list]");
  }
  if (!isPostgres(store_url)) {
    const std::string path = sqlitePath(store_url);
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  const TimePoint now = SystemClock().now();
  const auto fill_start = Steady::now();
  fill(store_url, certificates, now);
  const double fill_s = std::chrono::duration<double>(Steady::now() - fill_start).count();
  auto store = must(isPostgres(store_url) ? hub::openPostgresHubStore(store_url)
                                          : hub::openSqliteHubStore(sqlitePath(store_url)),
                    "open store");

  std::vector<std::string> paged;
  const double page_ms = medianMs(rounds, [&] {
    hub::CertificateQuery query;
    query.expiring_within_days = kDays;
    query.now = now;
    query.page.limit = kPageRows;
    auto page = must(store->views().certificates(query), "page");
    paged.clear();
    for (const auto& hc : page.items)
      paged.push_back(hc.certificate.certificate.fingerprint_sha256);
  });
  std::vector<std::string> listed;
  std::size_t total = 0;
  const double list_ms = !list ? 0.0 : medianMs(rounds, [&] {
    auto all = must(store->views().allCertificates({}), "list");
    total = all.size();
    std::vector<const hub::HubCertificate*> window;
    for (const auto& hc : all) {
      const auto& cert = hc.certificate.certificate;
      if (!cert.parsed() || now < cert.not_before || now >= cert.not_after ||
          cert.daysLeft(now) > kDays) {
        continue;
      }
      window.push_back(&hc);
    }
    std::sort(window.begin(), window.end(), [](const auto* x, const auto* y) {
      const auto& cx = x->certificate.certificate;
      const auto& cy = y->certificate.certificate;
      return std::tie(cx.not_after, x->agency_code, cx.common_name, cx.fingerprint_sha256) <
             std::tie(cy.not_after, y->agency_code, cy.common_name, cy.fingerprint_sha256);
    });
    listed.clear();
    for (size_t i = 0; i < window.size() && i < size_t(kPageRows); ++i) {
      listed.push_back(window[i]->certificate.certificate.fingerprint_sha256);
    }
  });
  const std::string backend = isPostgres(store_url) ? "postgresql" : "sqlite";
  std::printf("%s store: %d certificates, filled in %.1f s\n", backend.c_str(), certificates,
              fill_s);
  std::printf("page of %d expiring within %d days (SQL): %.1f ms\n", kPageRows, kDays, page_ms);
  if (!list) {
    std::printf("result backend=%s certificates=%d page_ms=%.1f\n", backend.c_str(), certificates,
                page_ms);
    return 0;
  }
  if (paged != listed) die("the page and the filtered list differ");
  std::printf("list everything (%zu lines once per agency), filter in C++: %.1f ms\n", total,
              list_ms);
  std::printf("result backend=%s certificates=%d page_ms=%.1f list_ms=%.1f ratio=%.1f\n",
              backend.c_str(), certificates, page_ms, list_ms, list_ms / page_ms);
  return 0;
}

}  // namespace
}  // namespace cks::bench

int main(int argc, char** argv) { return cks::bench::run(argc, argv); }
