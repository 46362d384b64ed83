#include "store/inventory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "tests/store/scan_fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::store {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

std::vector<std::string> kindsOf(const std::vector<JournalEntry>& entries) {
  std::vector<std::string> kinds;
  for (const auto& entry : entries) kinds.push_back(entry.kind);
  return kinds;
}

using Kinds = std::vector<std::string>;

struct SqliteClose {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override { inventory_ = openInventory(path_); }

  static std::unique_ptr<Inventory> openInventory(const std::string& path) {
    auto opened = Inventory::open(path);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  ScanChanges record(const ScanObservation& observation) {
    auto changes = inventory_->recordScan(observation);
    EXPECT_TRUE(changes) << changes.error().message;
    return changes.value_or(ScanChanges{-1, -1, -1});
  }

  // Journal entries written since the last call.
  std::vector<JournalEntry> newJournal() {
    auto entries = inventory_->journalAfter(journal_seen_, 1000);
    EXPECT_TRUE(entries) << entries.error().message;
    if (!entries) return {};
    if (!entries->empty()) journal_seen_ = entries->back().seq;
    return *entries;
  }

  std::vector<InventoryToken> tokens() {
    auto out = inventory_->tokens();
    EXPECT_TRUE(out) << out.error().message;
    return out.value_or(std::vector<InventoryToken>{});
  }

  std::vector<InventoryCertificate> certificates() {
    auto out = inventory_->certificates();
    EXPECT_TRUE(out) << out.error().message;
    return out.value_or(std::vector<InventoryCertificate>{});
  }

  std::optional<InventoryCertificate> certificate(const std::vector<std::uint8_t>& der) {
    for (auto& cert : certificates()) {
      if (cert.certificate.fingerprint_sha256 == fingerprintOf(der)) return cert;
    }
    return std::nullopt;
  }

  // A second, independent connection to the same file, as another process would open it.
  std::unique_ptr<sqlite3, SqliteClose> rawConnection() {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    return std::unique_ptr<sqlite3, SqliteClose>(raw);
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("inventory.db");
  std::unique_ptr<Inventory> inventory_;
  std::int64_t journal_seen_ = 0;
};

TEST_F(InventoryTest, FirstScanJournalsTheTokenAndItsCertificate) {
  const ScanChanges changes =
      record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));

  EXPECT_EQ(changes.journal_entries, 2);
  EXPECT_EQ(changes.tokens_present, 1);
  EXPECT_EQ(changes.certificates_present, 1);
  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"token_inserted", "certificate_appeared"}));
  for (const auto& entry : journal) {
    EXPECT_EQ(entry.at, kT0);
    EXPECT_EQ(entry.host, kHost);
    EXPECT_EQ(entry.token_serial, "5A1B2C3D");
    EXPECT_EQ(entry.token_manufacturer, "Feitian Technologies Co., Ltd.");
  }
  EXPECT_EQ(journal[0].fingerprint, "");
  EXPECT_EQ(journal[1].fingerprint, fingerprintOf(ders().tuyet));

  const auto listed = tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].token.serial, "5A1B2C3D");
  EXPECT_EQ(listed[0].token.label, "Nguyễn Thị Ánh Tuyết");
  EXPECT_EQ(listed[0].token.pin_state, PinState::Ok);
  EXPECT_EQ(listed[0].module, kVendorModule);
  EXPECT_TRUE(listed[0].present);
  EXPECT_EQ(listed[0].first_seen, kT0);
  EXPECT_EQ(listed[0].last_seen, kT0);
  EXPECT_EQ(listed[0].last_host, kHost);
  EXPECT_EQ(listed[0].cert_count, 1);

  const auto cert = certificate(ders().tuyet);
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cert->present);
  EXPECT_EQ(cert->token_serial, "5A1B2C3D");
  EXPECT_EQ(cert->certificate.common_name, "Nguyễn Thị Ánh Tuyết");
  EXPECT_EQ(cert->certificate.not_after, kNotAfter);
  EXPECT_EQ(cert->certificate.kind, SubscriberKind::Individual);
  EXPECT_EQ(cert->first_seen, kT0);
}

TEST_F(InventoryTest, RescanWithNoChangeJournalsNothing) {
  const auto observed = [](TimePoint at) {
    return scan(at, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01"),
                                                   seenCert(ders().organization, "02")})});
  };
  record(observed(kT0));
  ASSERT_EQ(newJournal().size(), 3u);
  const auto generation = inventory_->generation();

  const ScanChanges changes = record(observed(kT1));

  EXPECT_EQ(changes.journal_entries, 0);
  // Readers keeping a copy of the inventory (the alert monitor) need not read it again.
  EXPECT_EQ(inventory_->generation(), generation);

  EXPECT_EQ(changes.tokens_present, 1);
  EXPECT_EQ(changes.certificates_present, 2);
  EXPECT_TRUE(newJournal().empty());
  const auto listed = tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].first_seen, kT0);
  EXPECT_EQ(listed[0].last_seen, kT1);
  const auto cert = certificate(ders().tuyet);
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->first_seen, kT0);
  EXPECT_EQ(cert->last_seen, kT1);
  record(scan(kT2, {}));  // the token is gone: a change
  EXPECT_EQ(inventory_->generation(), generation + 1);
}

TEST_F(InventoryTest, RemovedTokenKeepsItsHistory) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  newJournal();

  const ScanChanges changes = record(scan(kT1, {}));

  EXPECT_EQ(changes.tokens_present, 0);
  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"token_removed"}));
  EXPECT_EQ(journal[0].token_serial, "5A1B2C3D");
  EXPECT_EQ(journal[0].token_manufacturer, "Feitian Technologies Co., Ltd.");
  EXPECT_EQ(journal[0].at, kT1);

  const auto listed = tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].present);
  EXPECT_EQ(listed[0].first_seen, kT0);
  EXPECT_EQ(listed[0].last_seen, kT0);
  EXPECT_EQ(listed[0].token.label, "Nguyễn Thị Ánh Tuyết");
  EXPECT_EQ(listed[0].cert_count, 1);

  const auto cert = certificate(ders().tuyet);
  ASSERT_TRUE(cert) << "a removed token's certificate is no longer listed";
  EXPECT_FALSE(cert->present);
  EXPECT_EQ(cert->token_serial, "5A1B2C3D");
  EXPECT_EQ(cert->last_seen, kT0);
}

TEST_F(InventoryTest, TokenBehindAFailedOrTimedOutModuleStaysPresent) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  newJournal();

  // A crashing or hanging driver reports no tokens; that says nothing about what is plugged in.
  for (const std::string outcome : {"failed", "timeout"}) {
    const ScanChanges changes = record(scan(kT1, {}, outcome));

    EXPECT_EQ(changes.journal_entries, 0) << outcome;
    EXPECT_TRUE(newJournal().empty()) << outcome;
    const auto listed = tokens();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_TRUE(listed[0].present) << outcome;
    const auto cert = certificate(ders().tuyet);
    ASSERT_TRUE(cert);
    EXPECT_TRUE(cert->present) << outcome;
  }
}

// A certificate copied onto two tokens is listed once with both (issue 12: the agent named one
// token and the hub another); token_serial stays the one it was last seen on, and a token that
// no longer holds it drops out.
TEST_F(InventoryTest, ACertificateOnSeveralTokensNamesEveryTokenHoldingIt) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")}),
                    seenToken(token("7E8F9A0B"), {seenCert(ders().tuyet, "01")})}));
  auto cert = certificate(ders().tuyet);
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->token_serials, (std::vector<std::string>{"5A1B2C3D", "7E8F9A0B"}));
  EXPECT_TRUE(cert->token_serial == "5A1B2C3D" || cert->token_serial == "7E8F9A0B");

  // The second token is unplugged: still holding it, and the first is where it was last seen.
  record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  cert = certificate(ders().tuyet);
  EXPECT_EQ(cert->token_serials, (std::vector<std::string>{"5A1B2C3D", "7E8F9A0B"}));
  EXPECT_EQ(cert->token_serial, "5A1B2C3D");

  // Deleted from the first token: only the second holds it now.
  record(scan(kT2, {seenToken(token("5A1B2C3D"), {})}));
  cert = certificate(ders().tuyet);
  EXPECT_EQ(cert->token_serials, (std::vector<std::string>{"7E8F9A0B"}));
}

TEST_F(InventoryTest, TokenSeenAgainIsJournaledAsInsertedAgain) {
  const auto plugged = scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})});
  record(plugged);
  record(scan(kT1, {}));
  ASSERT_EQ(kindsOf(newJournal()),
            (Kinds{"token_inserted", "certificate_appeared", "token_removed"}));

  auto again = plugged;
  again.at = kT2;
  record(again);

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"token_inserted"}));
  EXPECT_EQ(journal[0].at, kT2);
  const auto listed = tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].present);
  EXPECT_EQ(listed[0].first_seen, kT0);
  EXPECT_EQ(listed[0].last_seen, kT2);
  const auto cert = certificate(ders().tuyet);
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cert->present);
}

TEST_F(InventoryTest, CertificateRewrittenInTheSameObjectIsJournaledOnceAsReplaced) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  newJournal();

  // The subject differs too, so only the object id ties the two together.
  record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet_new_email, "01")})}));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_replaced"}));
  EXPECT_EQ(journal[0].fingerprint, fingerprintOf(ders().tuyet_new_email));
  EXPECT_EQ(journal[0].previous_fingerprint, fingerprintOf(ders().tuyet));
  EXPECT_EQ(journal[0].token_serial, "5A1B2C3D");

  const auto old_cert = certificate(ders().tuyet);
  const auto new_cert = certificate(ders().tuyet_new_email);
  ASSERT_TRUE(old_cert);
  ASSERT_TRUE(new_cert);
  EXPECT_FALSE(old_cert->present);
  EXPECT_TRUE(new_cert->present);
  EXPECT_EQ(tokens().at(0).cert_count, 1);
}

TEST_F(InventoryTest, RenewalForTheSameSubjectIsJournaledAsReplaced) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  newJournal();

  // Some CA tools write the renewed certificate as a new object next to the old one's place.
  record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet_renewed, "02")})}));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_replaced"}));
  EXPECT_EQ(journal[0].fingerprint, fingerprintOf(ders().tuyet_renewed));
  EXPECT_EQ(journal[0].previous_fingerprint, fingerprintOf(ders().tuyet));
}

TEST_F(InventoryTest, RenewedCertificatePairIsMatchedByObjectIdFirst) {
  // Government tokens often hold a signing and an encryption certificate for the same person:
  // same subject, different objects. When both are renewed, each new certificate must name
  // the one from its own object as the previous one, whatever order the scan lists them in.
  const auto old_sign = ders().tuyet;
  const auto old_encrypt = ders().tuyet_renewed;
  const auto new_sign =
      ca().issue(test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotAfter, kNotAfter + 24h * 730));
  const auto new_encrypt =
      ca().issue(test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotAfter, kNotAfter + 24h * 730));
  record(scan(kT0, {seenToken(token("5A1B2C3D"),
                              {seenCert(old_sign, "01"), seenCert(old_encrypt, "02")})}));
  newJournal();

  // List first the replacement of the old certificate whose fingerprint sorts last.
  const bool sign_sorts_first = fingerprintOf(old_sign) < fingerprintOf(old_encrypt);
  std::vector<ScanObservation::SeenCertificate> renewed = {seenCert(new_sign, "01"),
                                                           seenCert(new_encrypt, "02")};
  if (sign_sorts_first) std::swap(renewed[0], renewed[1]);
  record(scan(kT1, {seenToken(token("5A1B2C3D"), renewed)}));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_replaced", "certificate_replaced"}));
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& entry : journal) pairs.insert({entry.fingerprint, entry.previous_fingerprint});
  EXPECT_EQ(pairs, (std::set<std::pair<std::string, std::string>>{
                       {fingerprintOf(new_sign), fingerprintOf(old_sign)},
                       {fingerprintOf(new_encrypt), fingerprintOf(old_encrypt)},
                   }));
}

TEST_F(InventoryTest, CertificateRemovedWithoutReplacementIsJournaledAsDisappeared) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01"),
                                                  seenCert(ders().organization, "02")})}));
  newJournal();

  const ScanChanges changes =
      record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));

  EXPECT_EQ(changes.certificates_present, 1);
  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_disappeared"}));
  EXPECT_EQ(journal[0].fingerprint, fingerprintOf(ders().organization));
  EXPECT_EQ(journal[0].previous_fingerprint, "");

  const auto gone = certificate(ders().organization);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->present);
  const auto kept = certificate(ders().tuyet);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->present);
  EXPECT_EQ(tokens().at(0).cert_count, 1);
}

TEST_F(InventoryTest, CertificateAddedToAKnownTokenIsJournaledAsAppeared) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  newJournal();

  record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01"),
                                                  seenCert(ders().organization, "02")})}));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_appeared"}));
  EXPECT_EQ(journal[0].fingerprint, fingerprintOf(ders().organization));
}

TEST_F(InventoryTest, CertificateWrittenBackOntoItsTokenIsJournaledAsAppearedAgain) {
  const auto both = [](TimePoint at) {
    return scan(at, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01"),
                                                   seenCert(ders().organization, "02")})});
  };
  record(both(kT0));
  record(scan(kT1, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  ASSERT_EQ(kindsOf(newJournal()), (Kinds{"token_inserted", "certificate_appeared",
                                          "certificate_appeared", "certificate_disappeared"}));

  record(both(kT2));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"certificate_appeared"}));
  EXPECT_EQ(journal[0].fingerprint, fingerprintOf(ders().organization));
  const auto cert = certificate(ders().organization);
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cert->present);
  EXPECT_EQ(cert->first_seen, kT0);
}

TEST_F(InventoryTest, PinStateChangeIsJournaledWithOldAndNewState) {
  record(scan(kT0, {seenToken(token("5A1B2C3D", PinState::Ok), {})}));
  newJournal();

  record(scan(kT1, {seenToken(token("5A1B2C3D", PinState::Locked), {})}));

  const auto journal = newJournal();
  ASSERT_EQ(kindsOf(journal), (Kinds{"token_pin_state_changed"}));
  EXPECT_EQ(journal[0].detail, "ok -> locked");
  EXPECT_EQ(journal[0].token_serial, "5A1B2C3D");
  EXPECT_EQ(tokens().at(0).token.pin_state, PinState::Locked);

  record(scan(kT2, {seenToken(token("5A1B2C3D", PinState::Locked), {})}));
  EXPECT_TRUE(newJournal().empty()) << "an unchanged locked state was journaled again";
}

TEST_F(InventoryTest, TracksSightingsPerHostAndTheLastHost) {
  auto on_host = [](TimePoint at, std::string host) {
    auto observed = scan(at, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})});
    observed.host = std::move(host);
    return observed;
  };
  record(on_host(kT0, "PC-VANTHU"));
  record(on_host(kT1, "PC-KETOAN"));

  ASSERT_EQ(tokens().size(), 1u);
  EXPECT_EQ(tokens()[0].last_host, "PC-KETOAN");
  EXPECT_EQ(tokens()[0].first_seen, kT0);

  record(on_host(kT2, "PC-VANTHU"));
  EXPECT_EQ(tokens().at(0).last_host, "PC-VANTHU");

  auto raw = rawConnection();
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw.get(),
                               "SELECT host, first_seen, last_seen FROM sightings ORDER BY host",
                               -1, &stmt, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw.get());
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int column = 0; column < 3; ++column) {
      if (column > 0) row += " ";
      row += reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "PC-KETOAN 2026-11-22T08:05:00Z 2026-11-22T08:05:00Z",
                      "PC-VANTHU 2026-11-22T08:00:00Z 2026-11-22T08:10:00Z",
                  }));
}

TEST_F(InventoryTest, SameTokenInAnotherStoreHasTheSameIdentityAndItsOwnFirstSeen) {
  const auto plugged = [](TimePoint at, std::string host) {
    auto observed = scan(at, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})});
    observed.host = std::move(host);
    return observed;
  };
  record(plugged(kT0, "PC-VANTHU"));
  auto other = openInventory(dir_.file("other-pc.db"));
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->recordScan(plugged(kT2, "PC-KETOAN")));

  const auto here = tokens();
  const auto there = other->tokens();
  ASSERT_TRUE(there);
  ASSERT_EQ(here.size(), 1u);
  ASSERT_EQ(there->size(), 1u);
  EXPECT_EQ(here[0].token.serial, (*there)[0].token.serial);
  EXPECT_EQ(here[0].token.manufacturer, (*there)[0].token.manufacturer);
  EXPECT_EQ(here[0].first_seen, kT0);
  EXPECT_EQ((*there)[0].first_seen, kT2);
  EXPECT_EQ((*there)[0].last_host, "PC-KETOAN");

  // The journals agree on which token it is, so the hub can join them.
  const auto there_journal = other->journalAfter(0, 100);
  ASSERT_TRUE(there_journal);
  ASSERT_FALSE(there_journal->empty());
  const auto here_journal = newJournal();
  ASSERT_FALSE(here_journal.empty());
  EXPECT_EQ((*there_journal)[0].token_serial, here_journal[0].token_serial);
  EXPECT_EQ((*there_journal)[0].token_manufacturer, here_journal[0].token_manufacturer);
}

TEST_F(InventoryTest, TokenWithSameSerialFromAnotherManufacturerIsADifferentToken) {
  Token other_maker = token("5A1B2C3D");
  other_maker.manufacturer = "SafeNet, Inc.";

  const ScanChanges changes =
      record(scan(kT0, {seenToken(token("5A1B2C3D"), {}), seenToken(other_maker, {})}));

  EXPECT_EQ(changes.tokens_present, 2);
  EXPECT_EQ(tokens().size(), 2u);
}

TEST_F(InventoryTest, TokenListedByTwoModulesInOneScanCountsOnce) {
  ScanObservation observed;
  observed.host = kHost;
  observed.at = kT0;
  observed.modules = {{kVendorModule, "ok", ""}, {kP11KitModule, "ok", ""}};
  observed.tokens = {
      seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")}, kVendorModule),
      seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")}, kP11KitModule),
  };

  const ScanChanges changes = record(observed);

  EXPECT_EQ(changes.tokens_present, 1);
  EXPECT_EQ(changes.certificates_present, 1);
  EXPECT_EQ(kindsOf(newJournal()), (Kinds{"token_inserted", "certificate_appeared"}));
  ASSERT_EQ(tokens().size(), 1u);
  EXPECT_EQ(tokens()[0].cert_count, 1);
  EXPECT_EQ(certificates().size(), 1u);

  observed.at = kT1;
  record(observed);
  EXPECT_TRUE(newJournal().empty());
}

TEST_F(InventoryTest, ModuleKeepsItsSinceWhileTheOutcomeIsUnchanged) {
  record(scan(kT0, {}));
  record(scan(kT1, {}));

  auto modules = inventory_->modules();
  ASSERT_TRUE(modules) << modules.error().message;
  ASSERT_EQ(modules->size(), 1u);
  EXPECT_EQ((*modules)[0].path, kVendorModule);
  EXPECT_EQ((*modules)[0].outcome, "ok");
  EXPECT_EQ((*modules)[0].since, kT0);
  EXPECT_EQ((*modules)[0].last_checked, kT1);

  record(scan(kT2, {}, "timeout"));
  modules = inventory_->modules();
  ASSERT_TRUE(modules);
  ASSERT_EQ(modules->size(), 1u);
  EXPECT_EQ((*modules)[0].outcome, "timeout");
  EXPECT_EQ((*modules)[0].detail, "C_GetSlotList: timeout");
  EXPECT_EQ((*modules)[0].since, kT2) << "a new outcome must restart the 'failing since' clock";
  EXPECT_EQ((*modules)[0].last_checked, kT2);

  record(scan(kT3, {}, "timeout"));
  modules = inventory_->modules();
  ASSERT_TRUE(modules);
  EXPECT_EQ((*modules)[0].since, kT2);
  EXPECT_EQ((*modules)[0].last_checked, kT3);
}

TEST_F(InventoryTest, JournalSequenceIncreasesAndUuidsAreUnique) {
  const auto a = seenToken(token("AAAA0001"), {seenCert(ders().tuyet, "01")});
  const auto b = seenToken(token("BBBB0002", PinState::CountLow), {seenCert(ders().tam, "01")});
  auto b_locked = b;
  b_locked.token.pin_state = PinState::Locked;
  record(scan(kT0, {a, b}));
  record(scan(kT1, {b_locked}));
  record(scan(kT2, {a}));
  record(scan(kT3, {a, b}));

  const auto journal = newJournal();
  ASSERT_GE(journal.size(), 8u);
  std::set<std::string> uuids;
  for (size_t i = 0; i < journal.size(); ++i) {
    if (i > 0) {
      EXPECT_GT(journal[i].seq, journal[i - 1].seq) << "entry " << i;
    }
    EXPECT_TRUE(uuids.insert(journal[i].uuid).second) << "duplicate uuid " << journal[i].uuid;
    ASSERT_EQ(journal[i].uuid.size(), 36u) << journal[i].uuid;
    EXPECT_EQ(journal[i].uuid[14], '4') << journal[i].uuid;  // a random (version 4) UUID
  }

  // journalAfter pages through the same entries without gaps or repeats.
  auto first_page = inventory_->journalAfter(0, 3);
  ASSERT_TRUE(first_page);
  ASSERT_EQ(first_page->size(), 3u);
  auto second_page = inventory_->journalAfter(first_page->back().seq, 1000);
  ASSERT_TRUE(second_page);
  ASSERT_EQ(first_page->size() + second_page->size(), journal.size());
  EXPECT_EQ(second_page->front().uuid, journal[3].uuid);
}

TEST_F(InventoryTest, JournalRejectsUpdateAndDeleteFromAnotherConnection) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  const auto before = newJournal();
  ASSERT_EQ(before.size(), 2u);

  auto raw = rawConnection();
  for (const char* sql : {"UPDATE journal SET kind = 'token_removed'", "DELETE FROM journal",
                          "DELETE FROM journal WHERE seq = 1"}) {
    char* error = nullptr;
    const int rc = sqlite3_exec(raw.get(), sql, nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    EXPECT_NE(rc, SQLITE_OK) << sql;
    EXPECT_NE(message.find("append-only"), std::string::npos) << sql << ": " << message;
  }

  const auto after = inventory_->journalAfter(0, 100);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ((*after)[i].uuid, before[i].uuid);
    EXPECT_EQ((*after)[i].kind, before[i].kind);
  }
}

TEST_F(InventoryTest, FailedScanLeavesNoPartialRecord) {
  // Make the scan's last write fail, as a full disk would; the journal must not keep the
  // entries written before it, or the next scan would journal the same changes twice.
  auto raw = rawConnection();
  ASSERT_EQ(sqlite3_exec(raw.get(),
                         "CREATE TRIGGER fail_scan BEFORE INSERT ON scans "
                         "BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw.get());
  const auto plugged = scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})});

  const auto failed = inventory_->recordScan(plugged);

  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("simulated write failure"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find(path_), std::string::npos) << failed.error().message;
  EXPECT_TRUE(newJournal().empty());
  EXPECT_TRUE(tokens().empty());
  EXPECT_TRUE(certificates().empty());

  ASSERT_EQ(sqlite3_exec(raw.get(), "DROP TRIGGER fail_scan", nullptr, nullptr, nullptr),
            SQLITE_OK);
  record(plugged);
  EXPECT_EQ(kindsOf(newJournal()), (Kinds{"token_inserted", "certificate_appeared"}));
}

TEST_F(InventoryTest, DataSurvivesClosingAndReopeningTheStore) {
  record(scan(kT0, {seenToken(token("5A1B2C3D", PinState::FinalTry),
                              {seenCert(ders().tuyet, "01"), seenCert(ders().organization, "02")}),
                    seenToken(token("BBBB0002"), {seenCert(ders().tam, "01")})}));
  record(
      scan(kT1, {seenToken(token("5A1B2C3D", PinState::FinalTry),
                           {seenCert(ders().tuyet, "01"), seenCert(ders().organization, "02")})}));
  const auto tokens_before = tokens();
  const auto certs_before = certificates();
  const auto journal_before = newJournal();

  inventory_.reset();
  inventory_ = openInventory(path_);
  ASSERT_TRUE(inventory_);

  const auto tokens_after = tokens();
  ASSERT_EQ(tokens_after.size(), 2u);
  ASSERT_EQ(tokens_after.size(), tokens_before.size());
  for (size_t i = 0; i < tokens_after.size(); ++i) {
    EXPECT_EQ(tokens_after[i].token.serial, tokens_before[i].token.serial);
    EXPECT_EQ(tokens_after[i].token.pin_state, tokens_before[i].token.pin_state);
    EXPECT_EQ(tokens_after[i].present, tokens_before[i].present);
    EXPECT_EQ(tokens_after[i].first_seen, tokens_before[i].first_seen);
    EXPECT_EQ(tokens_after[i].last_seen, tokens_before[i].last_seen);
    EXPECT_EQ(tokens_after[i].cert_count, tokens_before[i].cert_count);
  }
  EXPECT_EQ(tokens_after[0].token.serial, "5A1B2C3D");
  EXPECT_EQ(tokens_after[0].token.pin_state, PinState::FinalTry);
  EXPECT_TRUE(tokens_after[0].present);
  EXPECT_FALSE(tokens_after[1].present);

  const auto certs_after = certificates();
  ASSERT_EQ(certs_after.size(), 3u);
  ASSERT_EQ(certs_after.size(), certs_before.size());
  for (size_t i = 0; i < certs_after.size(); ++i) {
    EXPECT_EQ(certs_after[i].certificate.fingerprint_sha256,
              certs_before[i].certificate.fingerprint_sha256);
    EXPECT_EQ(certs_after[i].certificate.subject, certs_before[i].certificate.subject);
    EXPECT_EQ(certs_after[i].certificate.organizational_units,
              certs_before[i].certificate.organizational_units);
    EXPECT_EQ(certs_after[i].certificate.key_usage, certs_before[i].certificate.key_usage);
    EXPECT_EQ(certs_after[i].present, certs_before[i].present);
  }

  journal_seen_ = 0;
  const auto journal_after = newJournal();
  ASSERT_EQ(journal_after.size(), journal_before.size());
  for (size_t i = 0; i < journal_after.size(); ++i) {
    EXPECT_EQ(journal_after[i].seq, journal_before[i].seq);
    EXPECT_EQ(journal_after[i].uuid, journal_before[i].uuid);
  }

  const auto last_scan = inventory_->lastScan();
  ASSERT_TRUE(last_scan);
  EXPECT_EQ(*last_scan, std::optional<TimePoint>(kT1));
}

TEST_F(InventoryTest, StoredCertificateKeepsTheParsedFields) {
  const auto seen = seenCert(ders().tuyet, "01");
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seen})}));

  const auto stored = certificate(ders().tuyet);
  ASSERT_TRUE(stored);
  const Certificate& c = stored->certificate;
  EXPECT_EQ(c.subject, seen.certificate.subject);
  EXPECT_EQ(c.issuer, seen.certificate.issuer);
  EXPECT_EQ(c.organization, "UBND tỉnh Quảng Ngãi");
  EXPECT_EQ(c.organizational_units, seen.certificate.organizational_units);
  EXPECT_EQ(c.email, "official@quangngai.gov.vn");
  EXPECT_EQ(c.serial, seen.certificate.serial);
  EXPECT_EQ(c.not_before, kNotBefore);
  EXPECT_EQ(c.not_after, kNotAfter);
  EXPECT_EQ(c.key_usage, seen.certificate.key_usage);
}

TEST_F(InventoryTest, LastScanIsEmptyBeforeTheFirstScan) {
  auto last = inventory_->lastScan();
  ASSERT_TRUE(last);
  EXPECT_FALSE(*last);

  record(scan(kT0, {}));
  last = inventory_->lastScan();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, std::optional<TimePoint>(kT0));
}

TEST_F(InventoryTest, IntegrityCheckOfAUsedStoreIsOk) {
  record(scan(kT0, {seenToken(token("5A1B2C3D"), {seenCert(ders().tuyet, "01")})}));
  record(scan(kT1, {}));

  const auto result = inventory_->integrityCheck();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, "ok");
}

}  // namespace
}  // namespace cks::store

namespace cks::store {
namespace {

// A store found damaged at start (issue 15): kept aside as it was, a new one in its place;
// a store that is only out of reach is left where it is.
TEST(InventoryOpenTest, ADamagedStoreIsKeptAsideAndANewOneStarts) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  const std::string garbage = "SQLite format 3" + std::string(8192, '\x5a');
  test::writeFile(path, garbage);
  const auto at = std::chrono::sys_days(std::chrono::year(2026) / 12 / 6) + std::chrono::hours(10);

  std::optional<Inventory::SetAside> set_aside;
  auto opened = Inventory::openOrStartAfresh(path, at, set_aside);
  ASSERT_TRUE(opened) << opened.error().message;
  ASSERT_TRUE(set_aside);
  EXPECT_EQ(set_aside->kept_as, path + ".damaged-20261206T100000Z");
  EXPECT_NE(set_aside->why.find(path), std::string::npos) << set_aside->why;
  EXPECT_EQ(test::readFile(set_aside->kept_as), garbage);
  EXPECT_TRUE((*opened)->integrityCheck().value_or("") == "ok");

  // A sound store is opened as it is, and nothing is set aside.
  opened->reset();
  std::optional<Inventory::SetAside> again;
  ASSERT_TRUE(Inventory::openOrStartAfresh(path, at, again));
  EXPECT_FALSE(again);
}

TEST(InventoryOpenTest, AStoreOutOfReachIsNotMoved) {
  test::TempDir dir;
  const std::string path = dir.file("agent.db");
  std::filesystem::create_directory(path);  // a folder where the file should be: cannot open
  std::optional<Inventory::SetAside> set_aside;
  auto opened = Inventory::openOrStartAfresh(path, TimePoint(), set_aside);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().code, ErrorCode::DataLoss) << opened.error().message;
  EXPECT_FALSE(set_aside);
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

}  // namespace
}  // namespace cks::store
