#include "sync/protocol/codec.h"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <string>

#include "core/time_format.h"

namespace cks::sync {
namespace {

TimePoint at(const char* text) { return *parseIsoUtc(text); }

Poco::JSON::Object::Ptr tokenBody() {
  Poco::JSON::Object::Ptr token = new Poco::JSON::Object;
  token->set("serial", "54030A1B");
  token->set("manufacturer", "Viettel-CA");
  token->set("label", "Nguyễn Văn Á");
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("token", token);
  return body;
}

std::string errorOf(const auto& result) { return result ? std::string() : result.error().message; }

TEST(CodecTest, EnrollRequestRoundTrips) {
  const EnrollRequest sent{"K7Q2-9XMD", "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n", "PC-VANTHU",
                           "0.2.0"};
  const auto got = decodeEnrollRequest(encode(sent));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->code, sent.code);
  EXPECT_EQ(got->csr_pem, sent.csr_pem);
  EXPECT_EQ(got->host, sent.host);
  EXPECT_EQ(got->agent_version, sent.agent_version);
}

TEST(CodecTest, EnrollResponseRoundTripsWithVietnameseAgencyName) {
  const EnrollResponse sent{"3f1c1a2e-0000-4000-8000-000000000001",
                            "H21.09",
                            "UBND xã Bình Chương",
                            "CERT PEM",
                            "CA PEM",
                            at("2026-11-22T04:50:38Z")};
  const auto got = decodeEnrollResponse(encode(sent));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->agent_id, sent.agent_id);
  EXPECT_EQ(got->agency_code, "H21.09");
  EXPECT_EQ(got->agency_name, "UBND xã Bình Chương");
  EXPECT_EQ(got->certificate_pem, "CERT PEM");
  EXPECT_EQ(got->agent_ca_pem, "CA PEM");
  EXPECT_EQ(got->hub_time, sent.hub_time);
}

// Issue 12, point 4: the enrolment tells the agent who its agency is on documents; a hub that
// does not know its province (or an older hub) sends none of it, and the agent reads that too.
TEST(CodecTest, EnrollResponseCarriesTheAgencysIdentityWhenTheHubKnowsIt) {
  EnrollResponse sent{"3f1c1a2e-0000-4000-8000-000000000001",
                      "H48.10.02",
                      "UBND phường Hải Châu",
                      "CERT PEM",
                      "CA PEM",
                      at("2026-11-22T04:50:38Z")};
  sent.parent_body = "UBND thành phố Đà Nẵng";
  sent.province = "thành phố Đà Nẵng";
  sent.place = "Đà Nẵng";
  sent.department = "Sở Khoa học và Công nghệ thành phố Đà Nẵng";
  const std::string json = encode(sent);
  EXPECT_NE(json.find(R"("province")"), std::string::npos) << json;
  const auto got = decodeEnrollResponse(json);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->parent_body, sent.parent_body);
  EXPECT_EQ(got->province, sent.province);
  EXPECT_EQ(got->place, sent.place);
  EXPECT_EQ(got->department, sent.department);

  const EnrollResponse bare{"3f1c1a2e-0000-4000-8000-000000000001",
                            "H21.09",
                            "UBND xã Bình Chương",
                            "CERT PEM",
                            "CA PEM",
                            at("2026-11-22T04:50:38Z")};
  const std::string bare_json = encode(bare);
  EXPECT_EQ(bare_json.find("province"), std::string::npos) << bare_json;
  const auto old = decodeEnrollResponse(bare_json);
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->province, "");
  EXPECT_EQ(old->department, "");
}

TEST(CodecTest, PushRequestRoundTripsEveryEntryField) {
  PushRequest sent;
  sent.lane = "urgent";
  sent.backlog = 120;
  sent.agent_version = "0.2.0";
  sent.agent_time = at("2026-11-22T04:50:40Z");
  sent.entries.push_back(
      {41, "uuid-41", "token_inserted", at("2026-11-22T04:50:38Z"), tokenBody()});
  sent.entries.push_back(
      {42, "uuid-42", "certificate_disappeared", at("2026-11-22T04:50:39Z"), tokenBody()});
  const auto got = decodePushRequest(encode(sent));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->lane, "urgent");
  EXPECT_EQ(got->backlog, 120);
  EXPECT_EQ(got->agent_version, "0.2.0");
  EXPECT_EQ(got->agent_time, sent.agent_time);
  ASSERT_EQ(got->entries.size(), 2u);
  EXPECT_EQ(got->entries[1].seq, 42);
  EXPECT_EQ(got->entries[1].uuid, "uuid-42");
  EXPECT_EQ(got->entries[1].kind, "certificate_disappeared");
  EXPECT_EQ(got->entries[1].at, at("2026-11-22T04:50:39Z"));
  ASSERT_TRUE(got->entries[0].body);
  EXPECT_EQ(got->entries[0].body->getObject("token")->getValue<std::string>("label"),
            "Nguyễn Văn Á");
}

TEST(CodecTest, PushResponseRoundTrips) {
  const auto got = decodePushResponse(encode(PushResponse{44, at("2026-11-22T04:50:41Z")}));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->acked, 44);
  EXPECT_EQ(got->hub_time, at("2026-11-22T04:50:41Z"));
}

TEST(CodecTest, PullRequestAndResponseRoundTrip) {
  const auto request = decodePullRequest(encode(PullRequest{12}));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->cursor, 12);

  PullResponse sent;
  Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
  settings->set("expiring_days", 30);
  sent.items.push_back({13, "settings", settings});
  sent.cursor = 13;
  sent.hub_time = at("2026-11-22T04:50:41Z");
  const auto got = decodePullResponse(encode(sent));
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->items.size(), 1u);
  EXPECT_EQ(got->items[0].seq, 13);
  EXPECT_EQ(got->items[0].kind, "settings");
  EXPECT_EQ(got->items[0].body->getValue<int>("expiring_days"), 30);
  EXPECT_EQ(got->cursor, 13);
  EXPECT_EQ(got->hub_time, sent.hub_time);
}

TEST(CodecTest, DigestRequestAndResponseRoundTrip) {
  const DigestRequest sent{std::string(64, 'a'), 3, 7};
  const auto request = decodeDigestRequest(encode(sent));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->digest, sent.digest);
  EXPECT_EQ(request->tokens, 3);
  EXPECT_EQ(request->certificates, 7);

  for (const bool match : {true, false}) {
    const auto got =
        decodeDigestResponse(encode(DigestResponse{match, at("2026-11-22T04:50:41Z")}));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->match, match);
  }
}

TEST(CodecTest, ErrorBodyRoundTripsWithAndWithoutAcked) {
  const auto gap = decodeErrorBody(
      encode(ErrorBody{"sequence_gap", "first seq 9, expected 6", 5, at("2026-11-22T04:50:41Z")}));
  ASSERT_TRUE(gap) << gap.error().message;
  EXPECT_EQ(gap->error, "sequence_gap");
  EXPECT_EQ(gap->message, "first seq 9, expected 6");
  EXPECT_EQ(gap->acked, 5);
  EXPECT_EQ(gap->hub_time, at("2026-11-22T04:50:41Z"));

  const auto forbidden = decodeErrorBody(
      encode(ErrorBody{"forbidden", "agent revoked", std::nullopt, at("2026-11-22T04:50:41Z")}));
  ASSERT_TRUE(forbidden) << forbidden.error().message;
  EXPECT_FALSE(forbidden->acked);
}

TEST(CodecTest, ErrorBodyKeepsAckedZero) {
  const auto got = decodeErrorBody(R"({"error":"sequence_gap","message":"m","acked":0,)"
                                   R"("hub_time":"2026-11-22T04:50:41Z"})");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->acked, 0);
}

TEST(CodecTest, DecodeErrorNamesTheEntryAndField) {
  const std::string json =
      R"({"lane":"normal","entries":[)"
      R"({"seq":1,"uuid":"a","kind":"token_inserted","at":"2026-11-22T04:50:38Z","body":{}},)"
      R"({"seq":2,"uuid":"b","kind":"token_inserted","at":"2026-11-22T04:50:38Z","body":{}},)"
      R"({"seq":3,"uuid":"c","kind":"token_inserted","at":"2026-11-22T04:50:38Z","body":{}},)"
      R"({"seq":"4","uuid":"d","kind":"token_inserted","at":"2026-11-22T04:50:38Z","body":{}}]})";
  EXPECT_EQ(errorOf(decodePushRequest(json)), "entries[3].seq: expected an integer");
}

TEST(CodecTest, AnAgentsRequestIsHeldToTheFieldLimitsAndTheHubsAnswerIsNot) {
  const auto push = [](const std::string& label, const std::string& param) {
    return R"({"lane":"normal","entries":[)"
           R"({"seq":1,"uuid":"a","kind":"token_inserted","at":"2026-11-22T04:50:38Z","body":{)"
           R"("token":{"serial":"T1","manufacturer":"Viettel-CA","label":")" +
           label + R"("},"params":{")" + param + R"(":"x"}}}]})";
  };
  EXPECT_TRUE(decodePushRequest(push(std::string(256, 'A'), "note")));
  EXPECT_EQ(errorOf(decodePushRequest(push(std::string(257, 'A'), "note"))),
            "entries[0].body.token.label: 257 bytes, at most 256 (the hub's limit for label)");
  EXPECT_EQ(errorOf(decodePushRequest(push("Token", std::string(300, 'k')))),
            "entries[0].body.params: a member's name of 300 bytes, at most 256");
  // Free text not in the table: 16 KiB.
  const std::string remark =
      R"({"digest":")" + std::string(16 * 1024 + 1, 'd') + R"(","tokens":0,"certificates":0})";
  EXPECT_EQ(errorOf(decodeDigestRequest(remark)),
            "digest: 16385 bytes, at most 16384 (the hub's limit for digest)");
  EnrollRequest enrol{"AAAA-BBBB", "csr", std::string(300, 'P'), "0.2.0"};
  EXPECT_EQ(errorOf(decodeEnrollRequest(encode(enrol))),
            "host: 300 bytes, at most 256 (the hub's limit for host)");
  // What the hub sends is not the agent's to limit.
  ErrorBody refusal{"bad_request", std::string(20000, 'm'), std::nullopt, {}};
  EXPECT_TRUE(decodeErrorBody(encode(refusal)));
}

TEST(CodecTest, DecodeRefusesAnUnknownEntryKind) {
  const std::string json =
      R"({"lane":"normal","entries":[)"
      R"({"seq":1,"uuid":"a","kind":"token_exploded","at":"2026-11-22T04:50:38Z","body":{}}]})";
  EXPECT_EQ(errorOf(decodePushRequest(json)),
            R"(entries[0].kind: unknown entry kind "token_exploded")");
}

TEST(CodecTest, AlertEntriesAreKnownKinds) {
  const std::string json =
      R"({"lane":"normal","entries":[)"
      R"({"seq":1,"uuid":"a","kind":"alert_raised","at":"2026-11-22T04:50:38Z","body":{}},)"
      R"({"seq":2,"uuid":"b","kind":"alert_changed","at":"2026-11-22T04:50:39Z","body":{}}]})";
  const auto got = decodePushRequest(json);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->entries[0].kind, "alert_raised");
  EXPECT_EQ(got->entries[1].kind, "alert_changed");
  EXPECT_TRUE(isAlertEntryKind("alert_raised"));
  EXPECT_TRUE(isAlertEntryKind("alert_changed"));
  EXPECT_FALSE(isAlertEntryKind("alert_exploded"));
  EXPECT_FALSE(isAlertEntryKind("token_inserted"));
  EXPECT_TRUE(isKnownEntryKind("request_filed"));
  EXPECT_TRUE(isKnownEntryKind("request_cancelled"));
  EXPECT_TRUE(isKnownEntryKind("report_submitted"));
  EXPECT_TRUE(isKnownEntryKind("report_draft_saved"));
  EXPECT_TRUE(isKnownEntryKind("province_report_submitted"));
  EXPECT_FALSE(isKnownEntryKind("report_deadline"));  // a feed item, never an outbox entry
  EXPECT_TRUE(isRequestEntryKind("request_filed"));
  EXPECT_FALSE(isRequestEntryKind("request_status"));
}

TEST(CodecTest, DecodeRefusesAnUnknownLane) {
  EXPECT_EQ(errorOf(decodePushRequest(R"({"lane":"express","entries":[]})")),
            R"(lane: unknown lane "express")");
}

TEST(CodecTest, DecodeRefusesAnAnswerWithoutHubTime) {
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":3})")), "hub_time: missing");
  EXPECT_EQ(errorOf(decodeDigestResponse(R"({"match":true})")), "hub_time: missing");
  EXPECT_EQ(errorOf(decodePullResponse(R"({"items":[],"cursor":0})")), "hub_time: missing");
}

TEST(CodecTest, DecodeRefusesWrongTypes) {
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":"3","hub_time":"2026-11-22T04:50:41Z"})")),
            "acked: expected an integer");
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":3.5,"hub_time":"2026-11-22T04:50:41Z"})")),
            "acked: expected an integer");
  EXPECT_EQ(errorOf(decodeDigestResponse(R"({"match":"yes","hub_time":"2026-11-22T04:50:41Z"})")),
            "match: expected true or false");
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":3,"hub_time":1700000000})")),
            "hub_time: expected a string");
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":3,"hub_time":"2026-11-22 04:50:41"})")),
            "hub_time: expected an ISO 8601 UTC time like 2026-11-22T04:50:38Z");
  EXPECT_EQ(
      errorOf(decodePullResponse(R"({"items":{},"cursor":0,"hub_time":"2026-11-22T04:50:41Z"})")),
      "items: expected an array");
  EXPECT_EQ(
      errorOf(decodePullResponse(R"({"items":[7],"cursor":0,"hub_time":"2026-11-22T04:50:41Z"})")),
      "items[0]: expected an object");
  EXPECT_EQ(errorOf(decodeEnrollResponse(
                R"({"agent_id":"x","agency":"H21.09","certificate":"c","agent_ca":"a",)"
                R"("hub_time":"2026-11-22T04:50:41Z"})")),
            "agency: expected an object");
  EXPECT_EQ(errorOf(decodeEnrollResponse(
                R"({"agent_id":"x","agency":{"code":"H21.09"},"certificate":"c","agent_ca":"a",)"
                R"("hub_time":"2026-11-22T04:50:41Z"})")),
            "agency.name: missing");
}

TEST(CodecTest, DecodeRefusesABooleanWhereAnIntegerBelongs) {
  EXPECT_EQ(errorOf(decodePullRequest(R"({"cursor":true})")), "cursor: expected an integer");
  EXPECT_EQ(errorOf(decodePushResponse(R"({"acked":true,"hub_time":"2026-11-22T04:50:41Z"})")),
            "acked: expected an integer");
}

TEST(CodecTest, DecodeOfAnIntegerBeyondInt64IsAnErrorNotAnException) {
  Result<PullRequest> got = fail("not run");
  EXPECT_NO_THROW(got = decodePullRequest(R"({"cursor":18446744073709551615})"));
  EXPECT_FALSE(got);
}

TEST(CodecTest, DecodeRefusesWhatIsNotJson) {
  const auto got = decodePushResponse("<html>502 Bad Gateway</html>");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message.rfind("body: not JSON", 0), 0u) << got.error().message;
  EXPECT_EQ(errorOf(decodePushResponse("[1,2]")), "body: expected a JSON object");
}

TEST(CodecTest, DecodeRefusesANegativeCursorAndSeq) {
  EXPECT_EQ(errorOf(decodePullRequest(R"({"cursor":-1})")), "cursor: must be 0 or more");
  EXPECT_EQ(errorOf(decodePushRequest(
                R"({"lane":"normal","entries":[{"seq":0,"uuid":"a","kind":"snapshot",)"
                R"("at":"2026-11-22T04:50:38Z","body":{}}]})")),
            "entries[0].seq: must be 1 or more");
}

}  // namespace
}  // namespace cks::sync
