// The province's yearly-report aggregate (bench/README.md, "Yearly report: the province's
// aggregate"; issue 6: 300 agencies and 30,000 certificates in ≤ 200 ms, and a national dataset
// of 15,000 agencies and 1,000,000 certificates measured on SQLite and PostgreSQL).
//   cks-bench-report-aggregate fill --store URL --agencies N --certificates M [--year Y]
//   cks-bench-report-aggregate time --store URL [--year Y] [--rounds R]
// URL is sqlite:PATH or postgresql://…. `fill` makes a directory of N agencies (departments
// larger than communes), drafts each agency's report with core's draftReport from a synthetic
// inventory (M certificates over the reporting agencies) and pushes it as a report_submitted
// entry through the hub's own HubStore::push, so the rows are what a real hub stores; 1 % of the
// agencies never report, 5 % submit twice. `time` runs what `cks-hub admin report province
// --json` runs (the aggregate of the figures kept at ingest, schema 12), step by step, the
// console's workbook of it, and the path of before (every latest report parsed), checks that
// both give the same JSON and prints the median of each step. The last line is
// `result key=value ...` for the script.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "core/clock.h"
#include "core/report.h"
#include "core/request.h"
#include "core/subscriber_kind.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/inventory_change.h"
#include "hub/store/hub_store.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "print/report_documents.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/report_json.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::days;
using std::chrono::hours;

double msSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

// Deterministic pseudo-random numbers (splitmix64): the same dataset on every run and store.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) {
  return mix(mix(mix(a) ^ b) ^ c);
}
// 0 … n-1.
int pick(std::uint64_t hash, int n) { return int(hash % std::uint64_t(n)); }

std::string hex64(std::uint64_t a, std::uint64_t b) {
  std::string out;
  char part[17];
  for (std::uint64_t i = 0; i < 4; ++i) {
    std::snprintf(part, sizeof part, "%016llx",
                  static_cast<unsigned long long>(mix(a, b, i + 0x51)));
    out += part;
  }
  return out;
}

std::string uuid(std::uint64_t a, std::uint64_t b) {
  const std::string h = hex64(a, b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) +
         "-" + h.substr(20, 12);
}

Result<std::unique_ptr<hub::HubStore>> openStore(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0) return hub::openPostgresHubStore(url);
  if (url.rfind("sqlite:", 0) == 0) return hub::openSqliteHubStore(url.substr(7));
  return fail("bench: --store: expected sqlite:PATH or postgresql://…, not ", url);
}

// The same store through the hub's connection layer, to time its SQL without the parsing.
Result<std::unique_ptr<hub::ConnectionPool>> openPool(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0) {
    return hub::openPostgresPool(url, hub::postgresMigrations());
  }
  return hub::openSqlitePool(url.substr(7), hub::sqliteMigrations());
}

// ---- The directory ------------------------------------------------------------------------

constexpr std::array<const char*, 24> kDepartments = {
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Văn phòng UBND tỉnh",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Ban Thi đua – Khen thưởng",
    "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Ban Dân tộc",
    "Sở Lao động",
    "Ban Quản lý Khu kinh tế Dung Quất",
    "Ban Quản lý dự án giao thông",
    "Ban Quản lý dự án nông nghiệp",
    "Ban Quản lý rừng phòng hộ",
    "Sở Giao thông",
};
constexpr std::array<const char*, 20> kPlaces = {
    "Bình Chương", "Bình Hải", "Tịnh Khê",  "Nghĩa Hành", "Đức Phổ",  "Sơn Tịnh",
    "Trà Bồng",    "Ba Tơ",    "Minh Long", "Mộ Đức",     "Lý Sơn",   "Kon Plông",
    "Đăk Tô",      "Ngọc Hồi", "Sa Thầy",   "Cẩm Thành",  "Nghĩa Lộ", "Trương Quang Trọng",
    "An Phú",      "Đăk Hà",
};
constexpr std::array<const char*, 8> kFamilyNames = {"Nguyễn", "Trần", "Lê",   "Phạm",
                                                     "Huỳnh",  "Võ",   "Đặng", "Bùi"};
constexpr std::array<const char*, 10> kGivenNames = {
    "Văn An",  "Thị Bình", "Văn Cường", "Thị Dung", "Thị Hạnh",
    "Thị Lan", "Thị Mai",  "Văn Nam",   "Văn Sơn",  "Thị Tuyết"};

struct AgencySpec {
  hub::Agency agency;
  AgencyType type = AgencyType::Other;
  bool reports = true;
  bool resubmits = false;
  int certificates = 0;
  std::string agent_id;
};

// N agencies in provinces of ≈ 441 (one province for a province-sized N): in each, 13 %
// departments (Sở / Ban / Văn phòng, codes Hpp.dd), 2 % other bodies, the rest communes and
// wards (codes Hpp.30.ccc). Agencies with index ≡ 37 (mod 100) never report; ≡ 3 (mod 20) submit
// twice. The M certificates go to the reporting ones, a department 3× a commune, ±40 %.
std::vector<AgencySpec> directory(int agencies, std::int64_t certificates) {
  const int provinces = agencies >= 1000 ? (agencies + 440) / 441 : 1;
  std::vector<AgencySpec> out;
  for (int p = 0; p < provinces; ++p) {
    const int in_province = agencies / provinces + (p < agencies % provinces ? 1 : 0);
    const int departments = std::max(1, in_province * 13 / 100);
    const int others = in_province * 2 / 100;
    const int province_code = provinces == 1 ? 55 : p + 1;
    for (int i = 0; i < in_province; ++i) {
      AgencySpec spec;
      char code[32];
      if (i < departments) {
        std::snprintf(code, sizeof code, "H%02d.%02d", province_code, i + 1);
        spec.type = AgencyType::Department;
        spec.agency.name = kDepartments[std::size_t(i) % kDepartments.size()];
        if (i >= int(kDepartments.size())) spec.agency.name += " " + std::to_string(i + 1);
      } else if (i < departments + others) {
        std::snprintf(code, sizeof code, "H%02d.40.%03d", province_code, i - departments + 1);
        spec.type = AgencyType::Other;
        spec.agency.name = std::string("Trung tâm Phục vụ hành chính công ") +
                           kPlaces[std::size_t(i) % kPlaces.size()];
      } else {
        const int c = i - departments - others;
        std::snprintf(code, sizeof code, "H%02d.30.%03d", province_code, c + 1);
        spec.type = AgencyType::Commune;
        spec.agency.name = std::string(c % 5 == 0 ? "UBND phường " : "UBND xã ") +
                           kPlaces[std::size_t(c) % kPlaces.size()] + " " +
                           std::to_string(c / int(kPlaces.size()) + 1);
      }
      spec.agency.code = code;
      out.push_back(std::move(spec));
    }
  }
  std::vector<double> weight(out.size(), 0);
  double total = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].reports = i % 100 != 37;
    out[i].resubmits = out[i].reports && i % 20 == 3;
    if (!out[i].reports) continue;
    const double base = out[i].type == AgencyType::Department ? 3.0
                        : out[i].type == AgencyType::Other    ? 1.5
                                                              : 1.0;
    weight[i] = base * (0.6 + 0.8 * double(mix(i, 7) % 1000) / 1000.0);
    total += weight[i];
  }
  // Whole shares, the rest handed out one by one so that the sum is exactly M.
  std::int64_t given = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!out[i].reports) continue;
    out[i].certificates = int(double(certificates) * weight[i] / total);
    given += out[i].certificates;
  }
  for (std::size_t i = 0; given < certificates; i = (i + 1) % out.size()) {
    if (!out[i].reports) continue;
    ++out[i].certificates;
    ++given;
  }
  return out;
}

// ---- One agency's report ------------------------------------------------------------------

// The inventory and requests of agency `a` with `n` certificates, as its agent's store would hold
// them on `as_of`: about one token per certificate (every tenth certificate shares one), most
// certificates valid, some expiring, expired or revoked; 3 % of the tokens unseen for 200–400
// days (revocation candidates), a few PIN states other than ok; requests for ≈ 9 % of the
// certificates (renewals, new certificates, changes, revocations), most completed.
ReportInputs agencyInputs(const AgencySpec& spec, std::uint64_t a, int year, TimePoint as_of) {
  ReportInputs in;
  in.agency_code = spec.agency.code;
  in.agency_name = spec.agency.name;
  in.year = year;
  in.as_of = as_of;
  const TimePoint year_begins = std::chrono::sys_days{std::chrono::year{year} / 1 / 1};
  const int n = spec.certificates;
  std::string token_serial;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t h = mix(a, std::uint64_t(i), 1);
    InventoryCertificate held;
    Certificate& c = held.certificate;
    c.fingerprint_sha256 = hex64(a, std::uint64_t(i));
    c.kind = i == 0         ? SubscriberKind::Organization
             : i % 30 == 29 ? SubscriberKind::Device
                            : SubscriberKind::Individual;
    if (c.kind == SubscriberKind::Organization) {
      c.common_name = spec.agency.name;
    } else if (c.kind == SubscriberKind::Device) {
      c.common_name = "may-chu-" + std::to_string(i) + ".quangngai.gov.vn";
    } else {
      c.common_name = std::string(kFamilyNames[std::size_t(pick(h, 8))]) + " " +
                      kGivenNames[std::size_t(pick(h >> 8, 10))];
    }
    c.organization = "UBND tỉnh Quảng Ngãi";
    c.not_after = as_of + days(pick(h >> 16, 1100) - 150);
    c.not_before = c.not_after - days(3 * 365);
    if (i % 10 != 9) {
      char serial[24];
      std::snprintf(serial, sizeof serial, "BCY%05llu%05d", static_cast<unsigned long long>(a), i);
      token_serial = serial;
      InventoryToken token;
      token.token.serial = token_serial;
      token.token.manufacturer = "Ban Cơ yếu Chính phủ";
      token.token.label = c.common_name;
      const int pin = pick(h >> 24, 100);
      token.token.pin_state = pin < 2   ? PinState::CountLow
                              : pin < 3 ? PinState::FinalTry
                              : pin < 4 ? PinState::Locked
                                        : PinState::Ok;
      token.first_seen = as_of - days(700);
      token.last_seen = pick(h >> 32, 100) < 3 ? as_of - days(200 + pick(h >> 40, 200))
                                               : as_of - days(pick(h >> 40, 30));
      token.present = token.last_seen > as_of - days(2);
      token.cert_count = 1;
      in.tokens.push_back(std::move(token));
    }
    held.token_serial = token_serial;
    held.token_label = c.common_name;
    held.first_seen = as_of - days(700);
    held.last_seen = in.tokens.back().last_seen;
    held.present = in.tokens.back().present;

    // Requests filed during the year.
    const int r = pick(h >> 48, 100);
    if (r < 9) {
      ReportRequest entry;
      Request& q = entry.request;
      q.id = uuid(a, std::uint64_t(i) + 0x10000);
      q.kind = r < 2   ? RequestKind::Revocation
               : r < 6 ? RequestKind::Renewal
               : r < 8 ? RequestKind::NewCertificate
                       : RequestKind::ChangeOfInformation;
      q.subscriber = c.kind;
      q.fingerprint_sha256 = q.kind == RequestKind::NewCertificate ? "" : c.fingerprint_sha256;
      q.token_serial = held.token_serial;
      q.handled_by = HandledBy::Province;
      q.created_at = year_begins + days(pick(h >> 4, 330)) + hours(2);
      q.received_at = q.created_at + hours(3);
      if (q.kind == RequestKind::Revocation) {
        q.revocation_reason = r == 0 ? RevocationReason::DeviceLost : RevocationReason::HolderLeft;
      }
      const int outcome = pick(h >> 12, 10);
      q.state = outcome < 7   ? RequestState::Completed
                : outcome < 8 ? RequestState::Rejected
                              : RequestState::InProgress;
      if (q.state == RequestState::Rejected) q.reason = "Thiếu giấy tờ";
      if (q.state != RequestState::InProgress) {
        entry.finished_at = *q.received_at + days(1 + pick(h >> 20, 9));
      }
      in.requests.push_back(std::move(entry));
    }
    in.certificates.push_back(std::move(held));
  }
  in.officer.expected_new_individual = n / 20;
  in.officer.expected_new_organization = spec.type == AgencyType::Department ? 1 : 0;
  in.officer.expected_new_device = n / 50;
  in.officer.expected_revocations = n / 40;
  in.officer.tokens_to_replace = n / 30;
  in.officer.expected_new_note = "Tuyển dụng công chức mới theo kế hoạch biên chế năm sau";
  if (a % 2 == 0) {
    in.officer.difficulties =
        "Một số thiết bị lưu khóa bị khóa mã PIN do nhập sai nhiều lần; cán bộ luân chuyển "
        "chưa kịp đề nghị thu hồi chứng thư số.";
    in.officer.proposals =
        "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn sử dụng chữ ký số cho cán bộ mới.";
  }
  return in;
}

// The entry body an agent queues for one submitted version (as store/reports.cc writes it).
std::string submittedBody(const std::string& report_json, int version, TimePoint submitted_at) {
  return "{\"version\":" + std::to_string(version) + ",\"submitted_at\":\"" +
         formatIsoUtc(submitted_at) + "\",\"report\":" + report_json + "}";
}

// Pushes one report_submitted entry with `seq` for `agent_id`, as the sync API would after
// decoding the request: the body kept as it arrived.
Status pushReport(hub::HubStore& store, const std::string& agent_id, std::int64_t seq,
                  const std::string& body, TimePoint at, const SubscriberKindRules& rules) {
  sync::OutboxEntry entry;
  entry.seq = seq;
  entry.uuid = uuid(std::hash<std::string>{}(agent_id), std::uint64_t(seq));
  entry.kind = "report_submitted";
  entry.at = at;
  Poco::JSON::Parser parser;
  entry.body = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  auto change = hub::readInventoryChange(entry, "entries[0]", rules, body);
  if (!change) return tl::unexpected(change.error());
  hub::PushBatch batch;
  batch.lane = "normal";
  batch.entries.push_back(std::move(*change));
  batch.agent_version = CKS_VERSION;
  batch.agent_time = at;
  auto outcome = store.ingest().push(agent_id, batch, at + std::chrono::seconds(1));
  if (!outcome) return tl::unexpected(outcome.error());
  if (outcome->kind != hub::PushOutcome::Kind::Acked || outcome->acked != seq) {
    return fail("bench: push of ", agent_id, " seq ", std::to_string(seq),
                " not acknowledged: ", outcome->message);
  }
  return {};
}

int fill(const std::string& url, int agencies, std::int64_t certificates, int year) {
  const auto started = Steady::now();
  auto store = openStore(url);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  const SystemClock clock;
  const TimePoint now = clock.now();
  std::vector<AgencySpec> specs = directory(agencies, certificates);
  const SubscriberKindRules rules;

  // The directory and one enrolled agent per agency, as `enroll-code` and /v1/enroll make them.
  for (auto& spec : specs) {
    Status saved = (*store)->registry().saveAgency(spec.agency, now);
    const std::string hash = hub::enrollCodeHash(hub::newEnrollCode());
    if (saved)
      saved = (*store)->registry().addEnrollCode(hash, spec.agency.code, now + hours(24), now);
    spec.agent_id = hub::newUuid();
    if (saved) {
      auto redeemed = (*store)->registry().redeemEnrollCode(
          hash, now, {spec.agent_id, spec.agency.code, "PC-" + spec.agency.code, "0.1.0", now});
      if (!redeemed) saved = tl::unexpected(redeemed.error());
      if (redeemed && !*redeemed) saved = fail("bench: enrolment of ", spec.agency.code);
    }
    if (!saved) {
      std::fprintf(stderr, "%s\n", saved.error().message.c_str());
      return 1;
    }
  }
  const double enrol_s = msSince(started) / 1000;
  std::printf("fill: %zu agencies and agents in %.1f s\n", specs.size(), enrol_s);

  // Reports submitted between 5 and 25 January of the next year, as of the day before; a
  // resubmitting agency sent a first version a week earlier.
  const TimePoint january = std::chrono::sys_days{std::chrono::year{year + 1} / 1 / 5};
  std::int64_t versions = 0;
  std::int64_t bytes = 0;
  std::size_t largest = 0;
  std::int64_t counted = 0;
  int reported = 0;
  double draft_ms = 0;
  double push_ms = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const AgencySpec& spec = specs[i];
    if (!spec.reports) continue;
    ++reported;
    const TimePoint submitted_at = january + days(pick(mix(i, 3), 20)) + hours(2);
    const int agency_versions = spec.resubmits ? 2 : 1;
    for (int version = 1; version <= agency_versions; ++version) {
      const bool last = version == agency_versions;
      auto draft_started = Steady::now();
      const TimePoint at = last ? submitted_at : submitted_at - days(7);
      const YearlyReport report = draftReport(agencyInputs(spec, i, year, at - days(1)));
      const std::string body =
          submittedBody(sync::stringify(sync::reportJson(report)), version, at);
      draft_ms += msSince(draft_started);
      auto push_started = Steady::now();
      // One entry per version, the agent's normal lane: seq = version here.
      if (auto pushed = pushReport(**store, spec.agent_id, version, body, at, rules); !pushed) {
        std::fprintf(stderr, "%s\n", pushed.error().message.c_str());
        return 1;
      }
      push_ms += msSince(push_started);
      ++versions;
      bytes += std::int64_t(body.size());
      largest = std::max(largest, body.size());
      if (last) counted += report.inventory.certificates.sum().total();
    }
  }
  std::printf(
      "fill: %d of %zu agencies reported (%lld versions), %lld certificates in their latest "
      "versions; bodies %.1f MB, mean %lld bytes, largest %zu bytes; drafting %.1f s, pushing "
      "%.1f s\n",
      reported, specs.size(), static_cast<long long>(versions), static_cast<long long>(counted),
      double(bytes) / 1e6, static_cast<long long>(bytes / std::max<std::int64_t>(versions, 1)),
      largest, draft_ms / 1000, push_ms / 1000);
  std::printf(
      "result mode=fill agencies=%zu reported=%d versions=%lld certificates=%lld body_mb=%.1f "
      "mean_body_bytes=%lld largest_body_bytes=%zu fill_s=%.1f\n",
      specs.size(), reported, static_cast<long long>(versions), static_cast<long long>(counted),
      double(bytes) / 1e6, static_cast<long long>(bytes / std::max<std::int64_t>(versions, 1)),
      largest, msSince(started) / 1000);
  return counted == certificates ? 0 : 1;
}

// ---- Timing the aggregate ------------------------------------------------------------------

// What report_archive.cc's reports() runs for the latest version of each agency's report (the
// aggregate's statement before schema 12): the rows read and the bodies copied, nothing parsed.
// Keep in step with it.
constexpr std::string_view kLatestReportsSql =
    "SELECT r.agency_code, g.name, r.agent_id, r.version, r.submitted_at, r.received_at, "
    "r.body FROM hub_reports r JOIN agencies g ON g.code = r.agency_code "
    "WHERE r.year = ?1 AND (?2 = '' OR r.agency_code = ?2) AND (?3 = 0 OR r.version = "
    "(SELECT max(m.version) FROM hub_reports m WHERE m.agency_code = r.agency_code AND "
    "m.year = r.year)) ORDER BY r.agency_code, r.version";

struct Round {
  double open = 0, agencies = 0, figures = 0, aggregate = 0, to_json = 0, stringify = 0,
         freeing = 0;
  // The path of before schema 12: every latest report read and parsed, then aggregated.
  double reports = 0, aggregate_parsed = 0;
  double sql = 0, parse = 0;
  // The console's workbook of the same aggregate (GET /api/v1/reports/{year}/province.xlsx).
  double xlsx = 0;
  [[nodiscard]] double command() const {
    return agencies + figures + aggregate + to_json + stringify;
  }
  [[nodiscard]] double before() const {
    return agencies + reports + aggregate_parsed + to_json + stringify;
  }
  [[nodiscard]] double workbook() const { return agencies + figures + aggregate + xlsx; }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int timeAggregate(const std::string& url, int year, int rounds) {
  const SystemClock clock;
  auto pool = openPool(url);
  if (!pool) {
    std::fprintf(stderr, "%s\n", pool.error().message.c_str());
    return 1;
  }
  const std::string workbook = (std::filesystem::temp_directory_path() /
                                ("cks-bench-aggregate-" + std::to_string(::getpid()) + ".xlsx"))
                                   .string();
  std::vector<Round> measured;
  ProvinceReport last;
  std::size_t json_bytes = 0;
  std::int64_t body_bytes = 0;
  bool same = true;  // the aggregate of the figures is that of the parsed bodies, every round
  const auto failed = [](const Error& error) {
    std::fprintf(stderr, "%s\n", error.message.c_str());
    return 1;
  };
  // Round 0 warms the caches (the file's pages, the server's buffers) and is not counted.
  for (int round = 0; round <= rounds; ++round) {
    Round r;
    // What `admin report province --json` does (reports_commands.cc: ReportService::province,
    // provinceReportJson) and the console's GET /api/v1/reports/{year}/province.
    auto started = Steady::now();
    auto opened = openStore(url);
    if (!opened) return failed(opened.error());
    std::unique_ptr<hub::HubStore> store = std::move(*opened);
    r.open = msSince(started);

    started = Steady::now();
    auto agencies = store->registry().agencies();
    r.agencies = msSince(started);
    if (!agencies) return failed(agencies.error());
    started = Steady::now();
    auto figures = store->reportArchive().reportFigures({year, "", true});
    r.figures = msSince(started);
    if (!figures) return failed(figures.error());
    started = Steady::now();
    ProvinceReport province = hub::aggregateProvince(year, *agencies, *figures, clock.now());
    r.aggregate = msSince(started);

    started = Steady::now();
    const Poco::JSON::Object::Ptr json = sync::provinceReportJson(province);
    r.to_json = msSince(started);
    started = Steady::now();
    const std::string text = sync::stringify(json);
    r.stringify = msSince(started);
    json_bytes = text.size() + 1;  // with the newline the command prints

    started = Steady::now();
    if (auto written = print::writeProvinceReportXlsx(province, Language::Vietnamese, workbook);
        !written) {
      return failed(written.error());
    }
    r.xlsx = msSince(started);

    // The same aggregate as before schema 12: every latest report parsed (the path the
    // figures replaced), which must give the same JSON.
    started = Steady::now();
    auto latest = store->reportArchive().reports({year, "", true});
    r.reports = msSince(started);
    if (!latest) return failed(latest.error());
    started = Steady::now();
    std::vector<ExpectedAgency> expected;
    for (const auto& agency : *agencies) {
      expected.push_back({agency.code, agency.name, agency.type.value_or(AgencyType::Other)});
    }
    std::vector<SubmittedReport> submitted;
    for (auto& stored : *latest) {
      submitted.push_back({std::move(stored.report), stored.version, stored.submitted_at});
    }
    const ProvinceReport parsed =
        aggregateReports(year, expected, submitted, province.generated_at);
    r.aggregate_parsed = msSince(started);
    same = same && sync::stringify(sync::provinceReportJson(parsed)) == text;

    // What the process leaves to exit: the figures, the store.
    started = Steady::now();
    figures = {};
    store.reset();
    r.freeing = msSince(started);

    // The statement of before alone, then parseReport alone on the same bodies.
    started = Steady::now();
    std::vector<std::string> bodies;
    {
      auto connection = (*pool)->acquire();
      if (!connection) return failed(connection.error());
      auto ran = (*connection)
                     ->run(kLatestReportsSql, {std::int64_t{year}, std::string(), std::int64_t{1}},
                           [&](const hub::SqlRow& row) {
                             (void)row.text(0), (void)row.text(1), (void)row.text(2);
                             (void)row.integer(3), (void)row.text(4), (void)row.text(5);
                             bodies.push_back(row.text(6));
                           });
      if (!ran) return failed(ran.error());
    }
    r.sql = msSince(started);
    started = Steady::now();
    body_bytes = 0;
    for (const auto& body : bodies) {
      body_bytes += std::int64_t(body.size());
      if (auto report = sync::parseReport(body); !report) return failed(report.error());
    }
    r.parse = msSince(started);

    if (round > 0) measured.push_back(r);
    std::printf(
        "round %d: open %.1f, agencies %.1f, figures %.1f, aggregate %.1f, JSON tree %.1f, "
        "stringify %.1f, workbook %.1f, freeing %.1f; command path %.1f ms; before: reports "
        "%.1f (SQL alone %.1f, parse alone %.1f), aggregate %.1f, command path %.1f ms\n",
        round, r.open, r.agencies, r.figures, r.aggregate, r.to_json, r.stringify, r.xlsx,
        r.freeing, r.command(), r.reports, r.sql, r.parse, r.aggregate_parsed, r.before());
    last = std::move(province);
  }
  std::filesystem::remove(workbook);
  if (!same) {
    std::fprintf(stderr, "bench: the aggregate of the kept figures differs from the parsed one\n");
    return 1;
  }

  const auto med = [&](auto field) {
    std::vector<double> values;
    for (const auto& r : measured) values.push_back(std::invoke(field, r));
    return median(values);
  };
  const ReportTotals& t = last.totals;
  const std::int64_t certificates =
      std::int64_t(t.certificates_valid) + t.certificates_expired + t.certificates_revoked;
  std::printf(
      "aggregate: %d of %d agencies reported, %zu missing, %lld certificates (valid %d, "
      "expired %d, revoked %d), %d tokens, %d renewals due; stored bodies %.1f MB; JSON "
      "printed %zu bytes; the same from the figures as from the parsed bodies\n",
      last.agencies_reported, last.agencies_expected, last.missing.size(),
      static_cast<long long>(certificates), t.certificates_valid, t.certificates_expired,
      t.certificates_revoked, t.tokens, t.renewals_due_next_year, double(body_bytes) / 1e6,
      json_bytes);
  std::printf(
      "result mode=time rounds=%d agencies=%d reported=%d missing=%zu certificates=%lld "
      "body_mb=%.1f json_bytes=%zu open_ms=%.1f agencies_ms=%.1f figures_ms=%.1f "
      "aggregate_ms=%.1f tojson_ms=%.1f stringify_ms=%.1f xlsx_ms=%.1f free_ms=%.1f "
      "command_ms=%.1f workbook_ms=%.1f reports_ms=%.1f sql_ms=%.1f parse_ms=%.1f "
      "aggregate_parsed_ms=%.1f before_ms=%.1f\n",
      rounds, last.agencies_expected, last.agencies_reported, last.missing.size(),
      static_cast<long long>(certificates), double(body_bytes) / 1e6, json_bytes, med(&Round::open),
      med(&Round::agencies), med(&Round::figures), med(&Round::aggregate), med(&Round::to_json),
      med(&Round::stringify), med(&Round::xlsx), med(&Round::freeing), med(&Round::command),
      med(&Round::workbook), med(&Round::reports), med(&Round::sql), med(&Round::parse),
      med(&Round::aggregate_parsed), med(&Round::before));
  return 0;
}

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s fill --store URL --agencies N --certificates M [--year Y]\n"
               "       %s time --store URL [--year Y] [--rounds R]\n",
               program, program);
  return 2;
}

}  // namespace
}  // namespace cks::bench

int main(int argc, char** argv) {
  if (argc < 2) return cks::bench::usage(argv[0]);
  const std::string mode = argv[1];
  std::map<std::string, std::string> options = {{"--year", "2025"}, {"--rounds", "7"}};
  for (int i = 2; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];
  if ((argc - 2) % 2 != 0 || !options.contains("--store")) return cks::bench::usage(argv[0]);
  const int year = std::atoi(options["--year"].c_str());
  if (mode == "fill") {
    const int agencies = std::atoi(options["--agencies"].c_str());
    const long long certificates = std::atoll(options["--certificates"].c_str());
    if (agencies < 1 || certificates < agencies) return cks::bench::usage(argv[0]);
    return cks::bench::fill(options["--store"], agencies, certificates, year);
  }
  if (mode == "time") {
    const int rounds = std::atoi(options["--rounds"].c_str());
    if (rounds < 1) return cks::bench::usage(argv[0]);
    return cks::bench::timeAggregate(options["--store"], year, rounds);
  }
  return cks::bench::usage(argv[0]);
}
