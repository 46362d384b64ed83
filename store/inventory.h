// The agency's inventory as recorded by one agent: every token ever plugged into this PC and
// every certificate on it, with sightings and an append-only journal of inventory changes that
// the sync client ships to the province. The agent is the single writer. All methods are
// thread-safe (one connection behind a mutex; reads are short).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/clock.h"
#include "core/inventory.h"
#include "core/result.h"
#include "core/token.h"
#include "store/database.h"

namespace cks::store {

// What one scan saw, assembled by the agent from the probe reports.
struct ScanObservation {
  struct Module {
    std::string path;
    std::string outcome;  // "ok" | "failed" | "timeout"
    std::string detail;
  };
  struct SeenCertificate {
    Certificate certificate;
    std::vector<std::uint8_t> der;
    std::string object_label;
    std::string object_id;
  };
  struct SeenToken {
    std::string module;
    Token token;
    std::vector<SeenCertificate> certificates;
  };
  std::string host;
  TimePoint at{};
  std::vector<Module> modules;
  std::vector<SeenToken> tokens;
};

struct ModuleStatus {
  std::string path;
  std::string outcome;
  std::string detail;
  TimePoint since{};  // when the current outcome began ("failing since")
  TimePoint last_checked{};
};

struct JournalEntry {
  std::int64_t seq = 0;
  std::string uuid;
  TimePoint at{};
  std::string kind;  // token_inserted | token_removed | token_pin_state_changed |
                     // certificate_appeared | certificate_disappeared | certificate_replaced
  std::string host;
  std::string token_serial;
  std::string token_manufacturer;
  std::string fingerprint;
  std::string previous_fingerprint;  // for certificate_replaced
  std::string detail;
};

struct ScanChanges {
  int journal_entries = 0;
  int tokens_present = 0;
  int certificates_present = 0;
};

class Inventory {
 public:
  // Opens or creates the store at `path` and brings its schema up to date.
  [[nodiscard]] static Result<std::unique_ptr<Inventory>> open(const std::string& path);

  // A damaged store that openOrStartAfresh kept aside: where it is now, and what was wrong.
  struct SetAside {
    std::string kept_as;
    std::string why;
  };
  // As open(), except that a damaged store (ErrorCode::DataLoss: it fails its integrity check,
  // or is not a database) does not stop the agent: the file is kept aside as
  // PATH.damaged-YYYYMMDDTHHMMSSZ (with its -wal and -shm if SQLite left any) and a new store
  // starts at `path`, which the next scan fills again (docs/agent.md, "A damaged store").
  // `set_aside` says so. Any other failure (permissions, a full disk) is returned as it is:
  // nothing is moved for a store that is sound but out of reach.
  [[nodiscard]] static Result<std::unique_ptr<Inventory>> openOrStartAfresh(
      const std::string& path, TimePoint now, std::optional<SetAside>& set_aside);

  // Records one scan in one transaction: upserts tokens, certificates and sightings, marks what
  // is gone, and journals every change. Tokens behind a module that failed this time keep their
  // last known state: a crashing driver is not a removed token.
  [[nodiscard]] Result<ScanChanges> recordScan(const ScanObservation& scan);

  // Counts the recorded scans that changed something the journal records (a token in or out,
  // a PIN state, a certificate appeared, gone or replaced): readers that keep a copy of the
  // inventory (the alert monitor) read it again only when this moved. A scan that changed
  // nothing moves only last-seen times, which such readers do not use.
  [[nodiscard]] std::uint64_t generation() const { return generation_.load(); }

  [[nodiscard]] Result<std::vector<InventoryToken>> tokens();
  // What certificates() reads: everything, or only what the alert rules use (fingerprint, parse
  // error, subject, common name, organisation, units, notAfter, the token), twice as fast for
  // the monitor that reads 10,000 of them after each scan.
  enum class Detail { Full, ForAlerts };
  [[nodiscard]] Result<std::vector<InventoryCertificate>> certificates(
      Detail detail = Detail::Full);
  [[nodiscard]] Result<std::vector<ModuleStatus>> modules();
  [[nodiscard]] Result<std::optional<TimePoint>> lastScan();
  // Journal entries with seq > `after`, oldest first, at most `limit`.
  [[nodiscard]] Result<std::vector<JournalEntry>> journalAfter(std::int64_t after, int limit);

  // "ok" or what PRAGMA integrity_check found.
  [[nodiscard]] Result<std::string> integrityCheck();

  // Runs `work(Database&)` holding the store's lock: the outbox and the sync state live in the
  // same file so that a change and its outbox entry commit together (store/outbox.h).
  template <typename Work>
  auto withDatabase(Work&& work) {
    std::lock_guard lock(mutex_);
    return work(*db_);
  }

 private:
  explicit Inventory(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::mutex mutex_;
  std::unique_ptr<Database> db_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace cks::store
