// Realistic outbox entries for the hub benchmarks. Certificates are shaped like the government
// CA's (RSA 2048, Vietnamese UTF-8 subjects, the usual extensions). Two mixes of entries:
//   office        what the agent's own store journals (store::Inventory::recordScan into the
//                 outbox) for an office whose officers plug tokens in and out through the day,
//                 whose PIN counters drop now and then and whose certificates get renewed:
//                 mostly token_inserted / token_removed, a few entries with a DER certificate;
//   certificates  a synthetic cycle in which four entries in ten carry a DER certificate
//                 (certificate_appeared, _replaced, _disappeared): a whole province enrolling.
// A CertificatePool and the templates are immutable once made and are shared between threads
// (Poco JSON objects are only read); an AgentEvents belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/inventory.h"
#include "sync/protocol/messages.h"

namespace cks::bench {

struct PoolCertificate {
  std::vector<std::uint8_t> der;
  std::string fingerprint;  // lowercase hex SHA-256 of der
};

class CertificatePool {
 public:
  // The pool kept in `path` if the file exists, else `count` new certificates issued by one
  // test "CA phục vụ các cơ quan Nhà nước G2" (RSA 2048, sha256WithRSAEncryption), individuals
  // and organisations by turns, saved there, so that every program of one run uses the same.
  [[nodiscard]] static Result<CertificatePool> open(const std::string& path, int count);

  [[nodiscard]] const PoolCertificate& at(std::size_t index) const {
    return certificates_[index % certificates_.size()];
  }
  [[nodiscard]] std::size_t size() const { return certificates_.size(); }

 private:
  std::vector<PoolCertificate> certificates_;
};

// The scans of an office: `tokens` tokens with two certificates each; at scan k (one an hour)
// token t is out when (k + t) mod 4 = 0, one certificate is renewed every kRenewalEvery scans
// (the agent journals certificate_replaced), and a token's PIN counter is low one day in seven.
class OfficeScans {
 public:
  static constexpr int kCertificatesPerToken = 2;
  static constexpr int kRenewalEvery = 8;

  OfficeScans(int tokens, const CertificatePool& pool);
  [[nodiscard]] store::ScanObservation scan(int k, TimePoint at) const;

 private:
  int tokens_;
  const CertificatePool& pool_;
  std::vector<Certificate> parsed_;  // pool_, parsed once
};

// One outbox entry without its seq and UUID.
struct EntryTemplate {
  std::string kind;
  Poco::JSON::Object::Ptr body;
};
using EntryTemplates = std::vector<EntryTemplate>;

enum class Mix { Office, Certificates };
[[nodiscard]] bool parseMix(const std::string& text, Mix& out);
[[nodiscard]] const char* mixName(Mix mix);

// The office mix: `entries` entries (or a few more) journaled by the agent's store in a
// throwaway file under `dir` for an office of five tokens.
[[nodiscard]] Result<EntryTemplates> officeJournal(const CertificatePool& pool,
                                                   std::int64_t entries, const std::string& dir);

// The certificates mix for agent `agent_index`: per token, token_inserted, certificate_appeared
// ×2, token_pin_state_changed, token_removed, token_inserted, certificate_replaced,
// certificate_disappeared, token_pin_state_changed, token_removed.
[[nodiscard]] EntryTemplates certificateCycle(int agent_index, const CertificatePool& pool);

// Entries of one agent's normal lane: the templates over and over, seq from 1, fresh UUIDs.
class AgentEvents {
 public:
  explicit AgentEvents(std::shared_ptr<const EntryTemplates> templates)
      : templates_(std::move(templates)) {}

  // The next `count` entries (seq continuing), all stamped `at`.
  [[nodiscard]] std::vector<sync::OutboxEntry> next(int count, TimePoint at);
  // Continue from `seq` (after the hub said it holds everything before it).
  void restartAt(std::int64_t seq) { next_seq_ = seq; }

 private:
  std::shared_ptr<const EntryTemplates> templates_;
  std::int64_t next_seq_ = 1;
};

// Templates of `mix` for agent `agent_index` (the office journal is the same for every agent
// and is made once: pass it in `office`).
[[nodiscard]] std::shared_ptr<const EntryTemplates> templatesFor(
    Mix mix, int agent_index, const CertificatePool& pool,
    const std::shared_ptr<const EntryTemplates>& office);

// How many of `templates` carry a DER certificate, by kind, for the report.
[[nodiscard]] std::string describe(const EntryTemplates& templates);

}  // namespace cks::bench
