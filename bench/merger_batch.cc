// The merger-batch benchmark (bench/README.md, "Merger batch"; issue 5: a 300-request merger
// batch queues in ≤ 1 s). Seed 004's four wards becoming phường Cẩm Thành, with 74 holders
// each: 300 real X.509 certificates on their own tokens in the agent's own store, then the
// agent's real MergerApi (what `cksctl merger plan|apply` call through the local API): the
// plan, and the apply that checks and files 300 requests with their outbox entries in one
// transaction. Several rounds, each on a fresh store.
//   cks-bench-merger-batch DIR [ROUNDS]
// The last line is `result key=value ...` for the script.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/merger_api.h"
#include "bench/bench_certificates.h"
#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "store/inventory.h"

namespace cks::bench {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::days;

constexpr int kHoldersPerWard = 74;  // with the four organisations: 300 requests
constexpr const char* kModule = "/usr/lib/x86_64-linux-gnu/libbcy-pkcs11.so";

struct Ward {
  const char* code;
  const char* name;   // as an OU
  const char* upper;  // as the organisation certificate's CN
};
constexpr std::array<Ward, 4> kWards = {{
    {"H21.01.01", "UBND phường Nguyễn Nghiêm", "UBND PHƯỜNG NGUYỄN NGHIÊM"},
    {"H21.01.02", "UBND phường Trần Hưng Đạo", "UBND PHƯỜNG TRẦN HƯNG ĐẠO"},
    {"H21.01.03", "UBND phường Nghĩa Chánh", "UBND PHƯỜNG NGHĨA CHÁNH"},
    {"H21.01.04", "UBND phường Chánh Lộ", "UBND PHƯỜNG CHÁNH LỘ"},
}};
constexpr std::array<const char*, 8> kFamilyNames = {"Nguyễn", "Trần", "Lê",   "Phạm",
                                                     "Huỳnh",  "Võ",   "Đặng", "Bùi"};
constexpr std::array<const char*, 10> kGivenNames = {"An",  "Bình", "Cường", "Dung", "Hạnh",
                                                     "Lan", "Mai",  "Nam",   "Sơn",  "Tuyết"};

double msSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

// One scan that sees every certificate, each on its own token.
Result<store::ScanObservation> wardsScan(TimePoint now) {
  const Key ca_key(EVP_EC_gen("P-256"));
  const Key key(EVP_EC_gen("P-256"));
  if (!ca_key || !key) return fail("bench: EC key generation failed");
  const Name ca_name = makeName(
      {{"C", "VN"}, {"O", "Ban Cơ yếu Chính phủ"}, {"CN", "CA phục vụ các cơ quan Nhà nước G2"}});
  const Cert ca = issueCertificate(ca_name, ca_key.get(), nullptr, ca_key.get(), 1,
                                   now - days(3650), now + days(3650), true);
  if (!ca) return fail("bench: cannot make the CA");
  store::ScanObservation scan;
  scan.host = "PC-CAMTHANH";
  scan.at = now;
  scan.modules.push_back({kModule, "ok", ""});
  const SubscriberKindRules rules;
  int serial = 0;
  const auto add = [&](const Name& subject, const std::string& label) -> Status {
    ++serial;
    const Cert leaf = issueCertificate(subject, key.get(), ca.get(), ca_key.get(), 0x1000 + serial,
                                       now - days(300), now + days(400 + serial), false);
    if (!leaf) return fail("bench: cannot issue certificate ", std::to_string(serial));
    store::ScanObservation::SeenToken token;
    token.module = kModule;
    char text[32];
    std::snprintf(text, sizeof text, "BCY%09d", 2605000 + serial);
    token.token = {text, "Feitian Technologies Co., Ltd.", label, "ePass2003", PinState::Ok};
    store::ScanObservation::SeenCertificate seen;
    seen.der = derOf(leaf.get());
    seen.certificate = parseCertificateDer(seen.der, rules);
    seen.object_id = "01";
    seen.object_label = "Chứng thư số";
    token.certificates.push_back(std::move(seen));
    scan.tokens.push_back(std::move(token));
    return ok();
  };
  for (const Ward& ward : kWards) {
    CKS_TRY(add(
        makeName(
            {{"C", "VN"}, {"L", "Quảng Ngãi"}, {"O", "UBND TỈNH QUẢNG NGÃI"}, {"CN", ward.upper}}),
        "Văn thư"));
    for (int h = 0; h < kHoldersPerWard; ++h) {
      const std::string person = std::string(kFamilyNames[size_t(h) % kFamilyNames.size()]) +
                                 " Văn " + kGivenNames[size_t(h / 8) % kGivenNames.size()] + " " +
                                 std::to_string(h);
      CKS_TRY(add(makeName({{"C", "VN"},
                            {"L", "Quảng Ngãi"},
                            {"O", "UBND tỉnh Quảng Ngãi"},
                            {"OU", ward.name},
                            {"CN", person}}),
                  person));
    }
  }
  return scan;
}

std::string mergerBody() {
  std::string from;
  for (const Ward& ward : kWards) {
    from += std::string(from.empty() ? "" : ",") + "{\"code\":\"" + ward.code + "\",\"name\":\"" +
            ward.name + "\"}";
  }
  return "{\"into\":{\"code\":\"H21.01.20\",\"name\":\"UBND phường Cẩm Thành\"},\"from\":[" + from +
         "]}";
}

int run(const std::string& dir, int rounds) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto scan = wardsScan(now);
  if (!scan) {
    std::fprintf(stderr, "%s\n", scan.error().message.c_str());
    return 1;
  }
  const agent::AgentConfig config;
  std::vector<double> plans, applies;
  size_t filed = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string path = dir + "/agent-" + std::to_string(round) + ".db";
    auto inventory = store::Inventory::open(path);
    if (!inventory || !(*inventory)->recordScan(*scan)) {
      std::fprintf(stderr, "bench: cannot build the store %s\n", path.c_str());
      return 1;
    }
    agent::MergerApi api(config, **inventory);
    auto start = Steady::now();
    const auto plan = api.plan(mergerBody(), Language::Vietnamese, now);
    plans.push_back(msSince(start));
    if (plan.status != 200) {
      std::fprintf(stderr, "bench: plan answered %d: %s\n", plan.status, plan.body.c_str());
      return 1;
    }
    start = Steady::now();
    const auto applied = api.apply(plan.body, Language::Vietnamese, now);
    applies.push_back(msSince(start));
    if (applied.status != 201) {
      std::fprintf(stderr, "bench: apply answered %d: %s\n", applied.status, applied.body.c_str());
      return 1;
    }
    filed = Poco::JSON::Parser()
                .parse(applied.body)
                .extract<Poco::JSON::Object::Ptr>()
                ->getArray("filed")
                ->size();
    std::printf("round %d: plan %.1f ms, apply %.1f ms (%zu requests)\n", round + 1, plans.back(),
                applies.back(), filed);
  }
  std::sort(plans.begin(), plans.end());
  std::sort(applies.begin(), applies.end());
  std::printf(
      "result certificates=%zu requests=%zu rounds=%d plan_median_ms=%.1f apply_median_ms=%.1f "
      "apply_worst_ms=%.1f\n",
      scan->tokens.size(), filed, rounds, plans[plans.size() / 2], applies[applies.size() / 2],
      applies.back());
  return 0;
}

}  // namespace
}  // namespace cks::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: cks-bench-merger-batch DIR [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  std::filesystem::create_directories(argv[1]);
  return cks::bench::run(argv[1], rounds);
}
