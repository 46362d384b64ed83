#include "bench/hub_ingest/event_mix.h"

#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <utility>

#include "bench/bench_certificates.h"
#include "core/certificate.h"
#include "core/crypto.h"
#include "core/openssl_ptr.h"
#include "core/token.h"
#include "store/outbox.h"

namespace cks::bench {
namespace {

Key rsaKey() { return Key(EVP_RSA_gen(2048)); }

constexpr std::array<const char*, 10> kPeople = {
    "Nguyễn Văn An", "Trần Thị Bình",   "Lê Hoàng Cường", "Phạm Thị Dung", "Huỳnh Văn Em",
    "Võ Thị Phương", "Đặng Quốc Giang", "Bùi Thị Hạnh",   "Đỗ Minh Khôi",  "Ngô Thị Lan"};
constexpr std::array<const char*, 6> kCommunes = {"UBND XÃ BÌNH CHƯƠNG", "UBND XÃ BÌNH MINH",
                                                  "UBND XÃ TỊNH KỲ",     "UBND XÃ NGHĨA HÀ",
                                                  "UBND XÃ ĐỨC PHỔ",     "UBND XÃ SƠN HÀ"};

constexpr const char* kModule = "/usr/lib/x86_64-linux-gnu/libvtcca-pkcs11.so";

Result<std::vector<PoolCertificate>> makeCertificates(int count) {
  const Key ca_key = rsaKey();
  const Key subscriber_key = rsaKey();  // one key for every certificate: only the DER matters
  if (!ca_key || !subscriber_key) return fail("bench: RSA key generation failed");
  const Name ca_name = makeName({{"C", "VN"},
                                 {"O", "Ban Cơ yếu Chính phủ"},
                                 {"OU", "Cục Chứng thực số và Bảo mật thông tin"},
                                 {"CN", "CA phục vụ các cơ quan Nhà nước G2"}});
  // Valid from a year ago for two more years: neither expired nor expiring.
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const TimePoint not_before = now - std::chrono::days(365);
  const TimePoint not_after = now + std::chrono::days(2 * 365);
  const Cert ca = issueCertificate(ca_name, ca_key.get(), nullptr, ca_key.get(), 1, not_before,
                                   not_after, true);
  if (!ca) return fail("bench: cannot make the test CA");
  std::vector<PoolCertificate> certificates;
  for (int i = 0; i < count; ++i) {
    const std::string commune = kCommunes[size_t(i) % kCommunes.size()];
    Name subject;
    if (i % 2 == 0) {
      subject = makeName({{"C", "VN"},
                          {"L", "Quảng Ngãi"},
                          {"O", "UBND tỉnh Quảng Ngãi"},
                          {"OU", commune},
                          {"OU", "Văn phòng HĐND và UBND"},
                          {"CN", kPeople[size_t(i / 2) % kPeople.size()]},
                          {"emailAddress", "vanthu" + std::to_string(i) + "@quangngai.gov.vn"}});
    } else {
      subject = makeName(
          {{"C", "VN"}, {"L", "Quảng Ngãi"}, {"O", "UBND TỈNH QUẢNG NGÃI"}, {"CN", commune}});
    }
    const Cert leaf = issueCertificate(subject, subscriber_key.get(), ca.get(), ca_key.get(),
                                       std::uint64_t(1000 + i), not_before, not_after, false);
    if (!leaf) return fail("bench: cannot issue test certificate ", std::to_string(i));
    PoolCertificate cert;
    cert.der = derOf(leaf.get());
    cert.fingerprint = sha256Hex(cert.der);
    certificates.push_back(std::move(cert));
  }
  return certificates;
}

// The pool file: for each certificate, its length (4 bytes, big-endian) and its DER.
std::vector<PoolCertificate> readPool(const std::string& path) {
  std::vector<PoolCertificate> certificates;
  std::ifstream in(path, std::ios::binary);
  unsigned char length[4];
  while (in.read(reinterpret_cast<char*>(length), 4)) {
    const std::size_t size = std::size_t(length[0]) << 24 | std::size_t(length[1]) << 16 |
                             std::size_t(length[2]) << 8 | length[3];
    if (size == 0 || size > 65536) return {};
    PoolCertificate cert;
    cert.der.resize(size);
    if (!in.read(reinterpret_cast<char*>(cert.der.data()), std::streamsize(size))) return {};
    cert.fingerprint = sha256Hex(cert.der);
    certificates.push_back(std::move(cert));
  }
  return certificates;
}

Status writePool(const std::string& path, const std::vector<PoolCertificate>& certificates) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& cert : certificates) {
    const std::size_t size = cert.der.size();
    const unsigned char length[4] = {
        static_cast<unsigned char>(size >> 24), static_cast<unsigned char>(size >> 16),
        static_cast<unsigned char>(size >> 8), static_cast<unsigned char>(size)};
    out.write(reinterpret_cast<const char*>(length), 4);
    out.write(reinterpret_cast<const char*>(cert.der.data()), std::streamsize(size));
  }
  out.close();
  if (!out) return fail("bench: write ", path);
  return ok();
}

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

Result<CertificatePool> CertificatePool::open(const std::string& path, int count) {
  CertificatePool pool;
  if (!path.empty() && std::filesystem::exists(path)) {
    pool.certificates_ = readPool(path);
    if (pool.certificates_.empty()) return fail("bench: ", path, ": not a certificate pool");
    return pool;
  }
  auto made = makeCertificates(count);
  if (!made) return tl::unexpected(made.error());
  pool.certificates_ = std::move(*made);
  if (!path.empty()) {
    if (auto written = writePool(path, pool.certificates_); !written) {
      return tl::unexpected(written.error());
    }
  }
  return pool;
}

OfficeScans::OfficeScans(int tokens, const CertificatePool& pool) : tokens_(tokens), pool_(pool) {
  const SubscriberKindRules rules;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    parsed_.push_back(parseCertificateDer(pool.at(i).der, rules));
  }
}

store::ScanObservation OfficeScans::scan(int k, TimePoint at) const {
  store::ScanObservation scan;
  scan.host = "PC-VANTHU";
  scan.at = at;
  scan.modules.push_back({kModule, "ok", ""});
  const int slots = tokens_ * kCertificatesPerToken;
  const int renewals = k / kRenewalEvery + 1;  // renewals so far, all slots together
  for (int t = 0; t < tokens_; ++t) {
    if ((k + t) % 4 == 0) continue;  // out of its reader this hour
    store::ScanObservation::SeenToken token;
    token.module = kModule;
    char serial[32];
    std::snprintf(serial, sizeof serial, "VT%010d", 2600100 + t);
    token.token = {serial, "Viettel-CA", "Token " + std::to_string(t + 1), "ePass2003",
                   (k / 24 + t) % 7 == 0 ? PinState::CountLow : PinState::Ok};
    for (int slot = 0; slot < kCertificatesPerToken; ++slot) {
      // Renewal r renews slot r mod slots; each renewal moves the slot on by `slots` in the
      // pool (same object id, new certificate: the agent journals certificate_replaced).
      const int s = t * kCertificatesPerToken + slot;
      const int generation = renewals > s ? (renewals - 1 - s) / slots + 1 : 0;
      const std::size_t index = std::size_t(s + generation * slots) % pool_.size();
      token.certificates.push_back({parsed_[index], pool_.at(index).der,
                                    "cert " + std::to_string(slot),
                                    "0" + std::to_string(slot + 1)});
    }
    scan.tokens.push_back(std::move(token));
  }
  return scan;
}

bool parseMix(const std::string& text, Mix& out) {
  if (text == "office") {
    out = Mix::Office;
  } else if (text == "certificates") {
    out = Mix::Certificates;
  } else {
    return false;
  }
  return true;
}

const char* mixName(Mix mix) { return mix == Mix::Office ? "office" : "certificates"; }

Result<EntryTemplates> officeJournal(const CertificatePool& pool, std::int64_t entries,
                                     const std::string& dir) {
  constexpr int kTokens = 5;
  constexpr int kMaxScans = 100000;
  const std::string path = (std::filesystem::path(dir) / "office-journal.db").string();
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
  auto inventory = store::Inventory::open(path);
  if (!inventory) return tl::unexpected(inventory.error());
  store::Outbox outbox(**inventory);
  const OfficeScans scans(kTokens, pool);
  const TimePoint first = SystemClock().now() - std::chrono::hours(kMaxScans);
  for (int k = 0; k < kMaxScans; ++k) {
    auto recorded = (*inventory)->recordScan(scans.scan(k, first + std::chrono::hours(k)));
    if (!recorded) return tl::unexpected(recorded.error());
    auto backlog = outbox.backlog();
    if (!backlog) return tl::unexpected(backlog.error());
    if (*backlog >= entries) break;
  }
  auto rows = outbox.pending("normal", int(entries) + 1000);
  if (!rows) return tl::unexpected(rows.error());
  EntryTemplates templates;
  for (const auto& row : *rows) templates.push_back({row.kind, parseObject(row.body)});
  inventory->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
  return templates;
}

EntryTemplates certificateCycle(int agent_index, const CertificatePool& pool) {
  constexpr int kTokens = 3;
  EntryTemplates cycle;
  for (int t = 0; t < kTokens; ++t) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "%04X%04X%08X", 0x4A43, agent_index, 0x1000 + t);
    const std::string label = t == 0 ? "Văn thư" : t == 1 ? "Chủ tịch" : "Kế toán";
    auto token_body = [&](const char* pin_state) {
      return store::tokenEventBody(serial, "Viettel-CA", label, "ePass2003", pin_state);
    };
    const std::size_t first = size_t(agent_index) * 3 * kTokens + size_t(t) * 3;
    const PoolCertificate& a = pool.at(first);
    const PoolCertificate& b = pool.at(first + 1);
    const PoolCertificate& renewed = pool.at(first + 2);
    auto certificate_body = [&](const PoolCertificate& cert, const std::string& previous) {
      return store::certificateEventBody(token_body("ok"), cert.fingerprint, cert.der, previous);
    };
    cycle.push_back({"token_inserted", parseObject(token_body("ok"))});
    cycle.push_back({"certificate_appeared", parseObject(certificate_body(a, ""))});
    cycle.push_back({"certificate_appeared", parseObject(certificate_body(b, ""))});
    cycle.push_back({"token_pin_state_changed", parseObject(token_body("count_low"))});
    cycle.push_back({"token_removed", parseObject(token_body("count_low"))});
    cycle.push_back({"token_inserted", parseObject(token_body("count_low"))});
    cycle.push_back(
        {"certificate_replaced", parseObject(certificate_body(renewed, b.fingerprint))});
    cycle.push_back({"certificate_disappeared", parseObject(certificate_body(a, ""))});
    cycle.push_back({"token_pin_state_changed", parseObject(token_body("ok"))});
    cycle.push_back({"token_removed", parseObject(token_body("ok"))});
  }
  return cycle;
}

std::vector<sync::OutboxEntry> AgentEvents::next(int count, TimePoint at) {
  std::vector<sync::OutboxEntry> entries;
  entries.reserve(size_t(count));
  for (int i = 0; i < count; ++i, ++next_seq_) {
    const EntryTemplate& step = (*templates_)[size_t(next_seq_ - 1) % templates_->size()];
    entries.push_back({next_seq_, newUuidV4(), step.kind, at, step.body});
  }
  return entries;
}

std::shared_ptr<const EntryTemplates> templatesFor(
    Mix mix, int agent_index, const CertificatePool& pool,
    const std::shared_ptr<const EntryTemplates>& office) {
  if (mix == Mix::Office) return office;
  return std::make_shared<const EntryTemplates>(certificateCycle(agent_index, pool));
}

std::string describe(const EntryTemplates& templates) {
  std::map<std::string, int> kinds;
  int with_der = 0;
  for (const auto& t : templates) {
    ++kinds[t.kind];
    if (t.body && t.body->has("certificate")) ++with_der;
  }
  std::string text = std::to_string(templates.size()) + " entries, " +
                     std::to_string(with_der * 100 / std::max<int>(1, int(templates.size()))) +
                     "% with a DER certificate:";
  for (const auto& [kind, count] : kinds) text += " " + kind + " " + std::to_string(count);
  return text;
}

}  // namespace cks::bench
