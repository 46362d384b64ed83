#include "store/outbox.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/store/scan_fixtures.h"
#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::uint8_t> unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::vector<std::uint8_t> bytes;
  for (char c; decoder.get(c);) bytes.push_back(static_cast<std::uint8_t>(c));
  return bytes;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Inventory::open(dir_.file("agent.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    inventory_ = std::move(*opened);
    outbox_ = std::make_unique<Outbox>(*inventory_);
  }

  std::vector<OutboxRow> pending(const std::string& lane = "normal") {
    auto rows = outbox_->pending(lane, 1000);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows.value_or(std::vector<OutboxRow>{});
  }

  test::TempDir dir_;
  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, EveryJournaledChangeHasItsOutboxEntryWithContiguousSequence) {
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT0, {seenToken(token("5A1B"),
                           {seenCert(ders().tuyet, "01"), seenCert(ders().organization, "02")})})));
  ASSERT_TRUE(inventory_->recordScan(scan(kT1, {})));  // the token is unplugged
  const auto journal = inventory_->journalAfter(0, 100);
  ASSERT_TRUE(journal);
  const auto rows = pending();
  ASSERT_EQ(rows.size(), journal->size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, std::int64_t(i + 1));
    EXPECT_EQ(rows[i].kind, (*journal)[i].kind);
    EXPECT_EQ(rows[i].lane, "normal");
    EXPECT_EQ(rows[i].uuid.size(), 36u);
  }
  EXPECT_EQ(rows.back().kind, "token_removed");
  EXPECT_EQ(*outbox_->backlog(), std::int64_t(rows.size()));
  EXPECT_TRUE(pending("urgent").empty());
}

TEST_F(OutboxTest, CertificateEntriesCarryTheTokenAndTheDer) {
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT0, {seenToken(token("5A1B"), {seenCert(ders().tuyet, "01")})})));
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT1, {seenToken(token("5A1B"), {seenCert(ders().tuyet_renewed, "01")})})));
  const auto rows = pending();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].kind, "token_inserted");
  const auto inserted = parse(rows[0].body)->getObject("token");
  EXPECT_EQ(inserted->getValue<std::string>("serial"), "5A1B");
  EXPECT_EQ(inserted->getValue<std::string>("pin_state"), "ok");
  EXPECT_EQ(rows[1].kind, "certificate_appeared");
  const auto appeared = parse(rows[1].body);
  EXPECT_EQ(appeared->getObject("certificate")->getValue<std::string>("fingerprint_sha256"),
            fingerprintOf(ders().tuyet));
  EXPECT_EQ(unbase64(appeared->getObject("certificate")->getValue<std::string>("der")),
            ders().tuyet);
  EXPECT_EQ(rows[2].kind, "certificate_replaced");
  const auto replaced = parse(rows[2].body);
  EXPECT_EQ(replaced->getValue<std::string>("previous_fingerprint"), fingerprintOf(ders().tuyet));
  EXPECT_EQ(unbase64(replaced->getObject("certificate")->getValue<std::string>("der")),
            ders().tuyet_renewed);
}

TEST_F(OutboxTest, AcknowledgedEntriesAreDroppedAndSequencesAreNeverReused) {
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT0, {seenToken(token("5A1B"), {seenCert(ders().tuyet, "01")})})));
  ASSERT_EQ(pending().size(), 2u);
  ASSERT_TRUE(outbox_->acknowledge("normal", 2));
  EXPECT_TRUE(pending().empty());
  EXPECT_EQ(*outbox_->backlog(), 0);
  ASSERT_TRUE(inventory_->recordScan(scan(kT1, {})));
  const auto rows = pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].seq, 3) << "the lane's sequence continues after an acknowledgement";
  ASSERT_TRUE(outbox_->acknowledge("normal", 1)) << "a stale acknowledgement is harmless";
  EXPECT_EQ(pending().size(), 1u);
}

TEST_F(OutboxTest, OutboxSurvivesReopeningTheStore) {
  ASSERT_TRUE(inventory_->recordScan(scan(kT0, {seenToken(token("5A1B"), {})})));
  outbox_.reset();
  inventory_.reset();
  auto reopened = Inventory::open(dir_.file("agent.db"));
  ASSERT_TRUE(reopened);
  Outbox outbox(**reopened);
  const auto rows = outbox.pending("normal", 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].kind, "token_inserted");
}

TEST_F(OutboxTest, SnapshotHoldsEveryTokenAndEveryLink) {
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT0, {seenToken(token("5A1B"), {seenCert(ders().tuyet, "01")}),
                 seenToken(token("7C8D"), {seenCert(ders().organization, "01")})})));
  ASSERT_TRUE(inventory_->recordScan(
      scan(kT1, {seenToken(token("5A1B"), {seenCert(ders().tuyet, "01")})})));
  ASSERT_TRUE(outbox_->acknowledge("normal", 100));
  ASSERT_TRUE(outbox_->queueSnapshot(kT2));
  const auto rows = pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "snapshot");
  const auto body = parse(rows[0].body);
  const auto tokens = body->getArray("tokens");
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_TRUE(tokens->getObject(0)->getValue<bool>("present"));
  EXPECT_FALSE(tokens->getObject(1)->getValue<bool>("present"));
  const auto certificates = body->getArray("certificates");
  ASSERT_EQ(certificates->size(), 2u);
  EXPECT_EQ(certificates->getObject(1)->getValue<std::string>("token_serial"), "7C8D");
  EXPECT_EQ(unbase64(certificates->getObject(1)->getValue<std::string>("der")),
            ders().organization);
}

TEST_F(OutboxTest, SyncStateKeepsTheLastValuePerKey) {
  EXPECT_FALSE(*outbox_->state("feed_cursor"));
  ASSERT_TRUE(outbox_->setState("feed_cursor", "3"));
  ASSERT_TRUE(outbox_->setState("feed_cursor", "7"));
  EXPECT_EQ(**outbox_->state("feed_cursor"), "7");
}

}  // namespace
}  // namespace cks::store
