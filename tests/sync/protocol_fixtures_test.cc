// The wire format is a contract: every outbox entry body and every feed item body, as today's
// encoders wrote it (tests/sync/fixtures, captured before the protocol owned its messages),
// decodes with the protocol's message of its kind and encodes back to exactly the same JSON;
// bodies older agents send keep decoding; decoding errors name the field.
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/time_format.h"
#include "sync/protocol/alert_entry.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/inventory_entries.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"
#include "sync/protocol/report_entries.h"
#include "sync/protocol/request_entries.h"

namespace cks::sync {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(CKS_SOURCE_DIR) / "tests" / "sync" / "fixtures";

// The fixture's JSON text, without the final newline.
std::string fixture(const std::string& name) {
  std::ifstream in(kFixtures / name);
  EXPECT_TRUE(in) << "no fixture " << name;
  std::stringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

// Parsed with its keys in the order written, as the report an aggregate carries is kept.
Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

template <typename Message>
std::string roundTrip(const Result<Message>& decoded) {
  EXPECT_TRUE(decoded) << decoded.error().message;
  return decoded ? encodeBody(*decoded) : std::string();
}

const SubscriberKindRules kRules{};

TEST(ProtocolFixturesTest, AlertEntriesEncodeBackToTheSameJson) {
  for (const char* name : {"entries/alert_raised.json", "entries/alert_changed.json"}) {
    const std::string json = fixture(name);
    EXPECT_EQ(roundTrip(readAlertChange(parse(json), "entries[0].body")), json) << name;
  }
}

TEST(ProtocolFixturesTest, TokenEntriesEncodeBackToTheSameJson) {
  for (const char* name : {"entries/token_inserted.json", "entries/token_removed.json",
                           "entries/token_pin_state_changed.json"}) {
    const std::string json = fixture(name);
    EXPECT_EQ(roundTrip(readTokenChange(parse(json), "entries[0].body")), json) << name;
  }
}

TEST(ProtocolFixturesTest, CertificateEntriesEncodeBackToTheSameJson) {
  for (const std::string kind :
       {"certificate_appeared", "certificate_disappeared", "certificate_replaced"}) {
    const std::string json = fixture("entries/" + kind + ".json");
    auto decoded = readCertificateChange(kind, parse(json), "entries[0].body", kRules);
    EXPECT_EQ(roundTrip(decoded), json) << kind;
    ASSERT_TRUE(decoded);
    ASSERT_TRUE(decoded->certificate.parsed);
    EXPECT_EQ(decoded->certificate.parsed->fingerprint_sha256, decoded->certificate.fingerprint);
  }
}

TEST(ProtocolFixturesTest, SnapshotEncodesBackToTheSameJson) {
  const std::string json = fixture("entries/snapshot.json");
  auto decoded = readSnapshot(parse(json), "entries[0].body", kRules);
  EXPECT_EQ(roundTrip(decoded), json);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->tokens.size(), 1u);
  EXPECT_EQ(decoded->certificates.size(), 3u);
}

TEST(ProtocolFixturesTest, RequestEntriesEncodeBackToTheSameJson) {
  for (const char* name :
       {"entries/request_filed.json", "entries/request_filed_revocation.json",
        "entries/request_filed_new_certificate.json", "entries/request_filed_merger.json"}) {
    const std::string json = fixture(name);
    EXPECT_EQ(roundTrip(readRequestFiled(parse(json), "entries[0].body")), json) << name;
  }
  const std::string json = fixture("entries/request_cancelled.json");
  EXPECT_EQ(roundTrip(readRequestCancelled(parse(json), "entries[0].body")), json);
}

TEST(ProtocolFixturesTest, ReportEntriesEncodeBackToTheSameJson) {
  std::string json = fixture("entries/report_submitted.json");
  EXPECT_EQ(roundTrip(readReportSubmitted(parse(json), "entries[0].body")), json);
  json = fixture("entries/report_draft_saved.json");
  EXPECT_EQ(roundTrip(readReportDraftSaved(parse(json), "entries[0].body")), json);
  json = fixture("entries/province_report_submitted.json");
  auto province = readProvinceReportSubmitted(parse(json), "entries[0].body");
  EXPECT_EQ(roundTrip(province), json);
  ASSERT_TRUE(province);
  EXPECT_EQ(province->missing, std::vector<std::string>{"G11.07.06"});
}

TEST(ProtocolFixturesTest, FeedItemsEncodeBackToTheSameJson) {
  std::string json = fixture("feed/agency.json");
  EXPECT_EQ(encodeItem(readAgencyItem(*parse(json))), json);
  json = fixture("feed/agency_identity.json");
  EXPECT_EQ(encodeItem(readAgencyItem(*parse(json))), json);
  for (const char* name : {"feed/request_status.json", "feed/request_status_rejected.json"}) {
    json = fixture(name);
    auto item = readRequestStatusItem(*parse(json));
    ASSERT_TRUE(item) << item.error().message;
    EXPECT_EQ(encodeItem(*item), json) << name;
  }
  json = fixture("feed/report_deadline.json");
  auto deadline = readReportDeadlineItem(*parse(json));
  ASSERT_TRUE(deadline) << deadline.error().message;
  EXPECT_EQ(encodeItem(*deadline), json);
  json = fixture("feed/settings.json");
  EXPECT_EQ(encodeItem(readSettingsItem(*parse(json))), json);
  for (const char* name : {"feed/revocation_status.json", "feed/revocation_status_unknown.json"}) {
    json = fixture(name);
    auto status = readRevocationStatusItem(*parse(json));
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(encodeItem(*status), json) << name;
  }
  json = fixture("feed/merger.json");
  auto merger = parseMerger(parse(json));
  ASSERT_TRUE(merger) << merger.error().message;
  EXPECT_EQ(stringify(mergerJson(*merger)), json);
}

// Found by tests/fuzz (feed_items, regressions/feed_items/settings_null_member): a null member
// threw out of readSettingsItem, every sync failed before the cursor moved, and the agent's feed
// stopped for good.
TEST(ProtocolFixturesTest, ASettingsItemWithANullMemberSetsTheOthers) {
  const auto item = readSettingsItem(*parse(R"({"scan_interval":"300","reason":null,"n":5})"));
  EXPECT_EQ(item.values,
            (std::map<std::string, std::string>{{"n", "5"}, {"scan_interval", "300"}}));
}

TEST(ProtocolFixturesTest, OlderAgentsBodiesKeepDecoding) {
  auto alert = readAlertChange(parse(fixture("older/alert_raised.json")), "entries[0].body");
  ASSERT_TRUE(alert) << alert.error().message;
  EXPECT_EQ(alert->module, "/usr/lib/libshuttle_p11v220.so");
  EXPECT_FALSE(alert->fingerprint);
  EXPECT_TRUE(alert->params.empty());

  auto filed = readRequestFiled(parse(fixture("older/request_filed.json")), "entries[0].body");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->request.kind, RequestKind::Renewal);
  EXPECT_TRUE(filed->supersedes.empty());
  EXPECT_TRUE(filed->request.fields.empty());
  EXPECT_EQ(filed->merger_id, "") << "a request of no merger";

  auto cancelled =
      readRequestCancelled(parse(fixture("older/request_cancelled.json")), "entries[0].body");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->reason, "");

  auto token = readTokenChange(parse(fixture("older/token_inserted.json")), "entries[0].body");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->token.serial, "T1");
  EXPECT_FALSE(token->token.pin_state);

  auto gone = readCertificateChange("certificate_disappeared",
                                    parse(fixture("older/certificate_disappeared.json")),
                                    "entries[0].body", kRules);
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_TRUE(gone->certificate.der.empty());

  auto status = readRequestStatusItem(*parse(fixture("older/feed_request_status.json")));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->state, RequestState::Completed);
  EXPECT_FALSE(status->due_date);
  EXPECT_FALSE(status->handled_by);
}

TEST(ProtocolFixturesTest, DecodingErrorsNameTheField) {
  auto alert = readAlertChange(parse(R"({"alert": 3})"), "entries[3].body");
  ASSERT_FALSE(alert);
  EXPECT_EQ(alert.error().message, "entries[3].body.alert: expected an object");
  auto token = readTokenChange(parse(R"({"token": {"manufacturer": "x"}})"), "entries[1].body");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "entries[1].body.token.serial: missing");
  auto replaced = readCertificateChange("certificate_replaced",
                                        parse(fixture("entries/certificate_appeared.json")),
                                        "entries[2].body", kRules);
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error().message, "entries[2].body.previous_fingerprint: missing");
  EXPECT_FALSE(readRequestStatusItem(*parse(R"({"request_id": "r1", "state": "x"})")));
  EXPECT_FALSE(readReportDeadlineItem(*parse(R"({"year": 2026, "deadline": "15/12/2026"})")));
  auto revocation = readRevocationStatusItem(
      *parse(R"({"fingerprint": "ab", "status": "good", "as_of": "2/12"})"));
  ASSERT_FALSE(revocation);
  EXPECT_EQ(revocation.error().message, "as_of: expected an ISO 8601 UTC time, got \"2/12\"");
  revocation = readRevocationStatusItem(*parse(R"({"fingerprint": "ab", "status": "valid"})"));
  ASSERT_FALSE(revocation);
  EXPECT_EQ(revocation.error().message, "status: unknown revocation status \"valid\"");
}

}  // namespace
}  // namespace cks::sync
