// The real cks-hub over real mutual TLS, as agents (and intruders) meet it: handshake refusals,
// enrolment, exactly-once pushes (also concurrent replays), refusals that store nothing, each
// agency kept to its own data, the projection seen through the admin commands, pull, digest,
// gzip, a clean stop and a restart. Every answer, success or refusal, carries hub_time. Each
// test runs on a SQLite store and on a PostgreSQL one (tests/hub/store_backend.h).
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <thread>

#include "core/time_format.h"
#include "hub/store/hub_store.h"
#include "sync/protocol/inventory_digest.h"
#include "sync/protocol/inventory_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Array;
using Poco::JSON::Object;

const std::string kAgency = "H21.09";
const std::string kAgencyName = "UBND xã Bình Chương";

// The reply is a protocol answer: JSON with a valid hub_time; for refusals also `error`.
void expectAnswer(const HttpReply& reply, int status, const std::string& error = "") {
  ASSERT_TRUE(reply.answered) << reply.tls_error;
  EXPECT_EQ(reply.status, status) << reply.body;
  const auto body = reply.json();
  ASSERT_TRUE(body->has("hub_time")) << reply.body;
  EXPECT_TRUE(parseIsoUtc(body->getValue<std::string>("hub_time")).has_value()) << reply.body;
  if (!error.empty()) {
    EXPECT_EQ(body->getValue<std::string>("error"), error) << reply.body;
  }
}

std::string enrollBody(const std::string& code, const std::string& csr) {
  Object o;
  o.set("code", code);
  o.set("csr", csr);
  o.set("host", "PC-VANTHU");
  o.set("agent_version", "0.2.0");
  return sync::stringify(o);
}

Array::Ptr adminArray(HubUnderTest& hub, const std::vector<std::string>& args) {
  const auto result = hub.admin(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Poco::JSON::Parser parser;
  return parser.parse(result.out).extract<Array::Ptr>();
}

class HubServerTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
  TestCa ca_;
};

TEST_P(HubServerTest, WithoutAClientCertificateTheHandshakeFails) {
  // TLS 1.3 finishes the client's side first: the refusal arrives as an alert on the first read.
  TlsConnection tls13(hub_.port(), hub_.client());
  const auto reply = tls13.request("POST", "/v1/pull", "{\"cursor\": 0}");
  EXPECT_FALSE(reply.answered);
  EXPECT_EQ(reply.status, 0);
  EXPECT_TRUE(reply.tls_reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED || reply.tls_reason == 0)
      << reply.tls_error;
  EXPECT_FALSE(reply.tls_error.empty());
  // TLS 1.2: the handshake itself fails.
  auto options = hub_.client();
  options.max_version = TLS1_2_VERSION;
  TlsConnection tls12(hub_.port(), options);
  EXPECT_FALSE(tls12.handshakeDone());
  EXPECT_EQ(tls12.reason(), SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE) << tls12.error();
  // The same client with a certificate gets through (the refusal above is about the certificate).
  const std::string key = makeKeyPem();
  options = hub_.client(makeSelfSignedPem(key), key);
  options.max_version = TLS1_2_VERSION;
  TlsConnection with_certificate(hub_.port(), options);
  EXPECT_TRUE(with_certificate.handshakeDone()) << with_certificate.error();
}

TEST_P(HubServerTest, ACertificateFromAnotherCaFailsTheHandshake) {
  const std::string key = makeKeyPem();
  auto options = hub_.client(makeForeignCertificatePem(key), key);
  options.max_version = TLS1_2_VERSION;
  TlsConnection tls12(hub_.port(), options);
  EXPECT_FALSE(tls12.handshakeDone());
  EXPECT_EQ(tls12.reason(), SSL_R_TLSV1_ALERT_UNKNOWN_CA) << tls12.error();
  // TLS 1.3: the alert (or a reset right behind it) arrives after the request went out; no HTTP
  // answer either way.
  const auto reply = post(hub_.port(), hub_.client(makeForeignCertificatePem(key), key),
                          "/v1/enroll", enrollBody(hub_.enrollCode(kAgency, kAgencyName), ""));
  EXPECT_FALSE(reply.answered);
  EXPECT_EQ(reply.status, 0);
  EXPECT_TRUE(reply.tls_reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA || reply.tls_reason == 0)
      << reply.tls_error;
  EXPECT_FALSE(reply.tls_error.empty());
}

TEST_P(HubServerTest, Tls11IsRefusedAndTls12Works) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  auto options = hub_.client(agent);
  options.legacy = true;
  options.min_version = TLS1_1_VERSION;
  options.max_version = TLS1_1_VERSION;
  TlsConnection tls11(hub_.port(), options);
  EXPECT_FALSE(tls11.handshakeDone());
  // The hub's alert, not the client's own inability to offer TLS 1.1.
  EXPECT_EQ(tls11.reason(), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) << tls11.error();
  options.max_version = TLS1_2_VERSION;
  TlsConnection tls12(hub_.port(), options);
  ASSERT_TRUE(tls12.handshakeDone()) << tls12.error();
  expectAnswer(tls12.request("POST", "/v1/pull", "{\"cursor\": 0}"), 200);
}

TEST_P(HubServerTest, TheServerIsTrustedThroughTheServerCaOnly) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  auto options = hub_.client(agent);
  options.server_ca_pem = readFile(hub_.tlsDir() + "/agent-ca.pem");
  TlsConnection wrong_anchor(hub_.port(), options);
  EXPECT_FALSE(wrong_anchor.handshakeDone());
  EXPECT_EQ(wrong_anchor.reason(), SSL_R_CERTIFICATE_VERIFY_FAILED) << wrong_anchor.error();
}

TEST_P(HubServerTest, EnrolmentIssuesTheAgentsCertificateAndTheCodeWorksOnce) {
  const std::string code = hub_.enrollCode(kAgency, kAgencyName);
  const std::string key = makeKeyPem();
  const auto reply = post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                          enrollBody(code, makeCsrPem(key)));
  expectAnswer(reply, 200);
  const auto answer = reply.json();
  const std::string agent_id = answer->getValue<std::string>("agent_id");
  EXPECT_EQ(agent_id.size(), 36u);
  EXPECT_EQ(answer->getObject("agency")->getValue<std::string>("code"), kAgency);
  EXPECT_EQ(answer->getObject("agency")->getValue<std::string>("name"), kAgencyName);
  const std::string certificate = answer->getValue<std::string>("certificate");
  EXPECT_EQ(subjectField(certificate, "CN"), agent_id);
  EXPECT_EQ(subjectField(certificate, "O"), kAgency);
  EXPECT_EQ(subjectField(certificate, "OU"), "cks-agent");
  EXPECT_TRUE(signedBy(certificate, answer->getValue<std::string>("agent_ca")));
  EXPECT_EQ(answer->getValue<std::string>("agent_ca"), readFile(hub_.tlsDir() + "/agent-ca.pem"));

  // The issued certificate is the agent's identity from now on.
  expectAnswer(post(hub_.port(), hub_.client(certificate, key), "/v1/pull", "{\"cursor\": 0}"),
               200);
  const auto agents = adminArray(hub_, {"agents", "--json"});
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("agent_id"), agent_id);
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("host"), "PC-VANTHU");

  // The code was used: another key cannot enrol with it.
  const std::string other = makeKeyPem();
  const auto again = post(hub_.port(), hub_.client(makeSelfSignedPem(other), other), "/v1/enroll",
                          enrollBody(code, makeCsrPem(other)));
  expectAnswer(again, 403, "enroll_code_invalid");
  EXPECT_NE(again.json()->getValue<std::string>("message").find("already used"), std::string::npos);
  const auto unknown = post(hub_.port(), hub_.client(makeSelfSignedPem(other), other), "/v1/enroll",
                            enrollBody("AAAA-BBBB-CCCC-DDDD", makeCsrPem(other)));
  expectAnswer(unknown, 403, "enroll_code_invalid");
  EXPECT_EQ(adminArray(hub_, {"agents", "--json"})->size(), 1u);
}

TEST_P(HubServerTest, AnExpiredCodeIsRefused) {
  const std::string code = hub_.enrollCode(kAgency, kAgencyName, "1s");
  std::this_thread::sleep_for(1100ms);
  const std::string key = makeKeyPem();
  const auto reply = post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                          enrollBody(code, makeCsrPem(key)));
  expectAnswer(reply, 403, "enroll_code_invalid");
  EXPECT_NE(reply.json()->getValue<std::string>("message").find("expired"), std::string::npos);
}

TEST_P(HubServerTest, ACodeTheProvinceWithdrewIsRefusedAndListedAsWithdrawn) {
  const std::string code = hub_.enrollCode(kAgency, kAgencyName);
  const std::string kept = hub_.enrollCode(kAgency, kAgencyName);
  auto codes = adminArray(hub_, {"codes", "--json"});
  ASSERT_EQ(codes->size(), 2u);
  for (unsigned i = 0; i < codes->size(); ++i) {
    EXPECT_EQ(codes->getObject(i)->getValue<std::string>("state"), "active");
    EXPECT_FALSE(codes->getObject(i)->getValue<bool>("used"));
    EXPECT_EQ(codes->getObject(i)->getValue<std::string>("agency"), kAgency);
  }
  const auto revoked = hub_.admin({"codes", "revoke", code});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("Đã thu hồi mã đăng ký"), std::string::npos) << revoked.out;
  const std::string key = makeKeyPem();
  const auto reply = post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                          enrollBody(code, makeCsrPem(key)));
  expectAnswer(reply, 403, "enroll_code_invalid");
  EXPECT_NE(reply.json()->getValue<std::string>("message").find("withdrew"), std::string::npos);
  // The other code still works, and is then listed as used, by the agent it enrolled.
  const auto enrolled = post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                             enrollBody(kept, makeCsrPem(key)));
  expectAnswer(enrolled, 200);
  codes = adminArray(hub_, {"codes", "--json"});
  std::map<std::string, std::string> states;
  std::string used_id;
  for (unsigned i = 0; i < codes->size(); ++i) {
    const auto c = codes->getObject(i);
    states[c->getValue<std::string>("state")] = c->getValue<std::string>("id");
    if (c->getValue<bool>("used")) {
      EXPECT_EQ(c->getValue<std::string>("used_by"),
                enrolled.json()->getValue<std::string>("agent_id"));
    }
  }
  EXPECT_EQ(states.size(), 2u);
  ASSERT_EQ(states.count("revoked"), 1u);
  ASSERT_EQ(states.count("used"), 1u);
  // A used code is not withdrawn (the agent is revoked instead); the id from the list works.
  const auto used = hub_.admin({"codes", "revoke", states["used"]});
  EXPECT_EQ(used.exit_code, 1);
  EXPECT_NE(used.err.find("revoke --agent"), std::string::npos) << used.err;
  EXPECT_EQ(hub_.admin({"codes", "revoke", states["revoked"]}).exit_code, 0);  // already
  EXPECT_EQ(hub_.admin({"codes", "revoke", "AAAA-BBBB-CCCC-DDDD"}).exit_code, 1);
}

TEST_P(HubServerTest, TheCsrMustCarryTheKeyOfTheTlsCertificate) {
  const std::string code = hub_.enrollCode(kAgency, kAgencyName);
  const std::string tls_key = makeKeyPem();
  const auto mismatch = post(hub_.port(), hub_.client(makeSelfSignedPem(tls_key), tls_key),
                             "/v1/enroll", enrollBody(code, makeCsrPem(makeKeyPem())));
  expectAnswer(mismatch, 403, "forbidden");
  EXPECT_NE(mismatch.json()->getValue<std::string>("message").find("csr"), std::string::npos);
  const auto garbage = post(hub_.port(), hub_.client(makeSelfSignedPem(tls_key), tls_key),
                            "/v1/enroll", enrollBody(code, "not a csr"));
  expectAnswer(garbage, 400, "bad_request");
  // Neither refusal used the code.
  expectAnswer(post(hub_.port(), hub_.client(makeSelfSignedPem(tls_key), tls_key), "/v1/enroll",
                    enrollBody(code, makeCsrPem(tls_key))),
               200);
}

TEST_P(HubServerTest, ASelfSignedCertificateMayOnlyEnrol) {
  const std::string key = makeKeyPem();
  const auto options = hub_.client(makeSelfSignedPem(key), key);
  expectAnswer(post(hub_.port(), options, "/v1/push", pushJson({})), 403, "forbidden");
  expectAnswer(post(hub_.port(), options, "/v1/pull", "{\"cursor\": 0}"), 403, "forbidden");
  expectAnswer(post(hub_.port(), options, "/v1/digest",
                    "{\"digest\": \"00\", \"tokens\": 0, \"certificates\": 0}"),
               403, "forbidden");
  // And an enrolled agent does not enrol again with its certificate.
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  expectAnswer(
      hub_.post(agent, "/v1/enroll",
                enrollBody(hub_.enrollCode(kAgency, kAgencyName), makeCsrPem(agent.key_pem))),
      403, "forbidden");
}

TEST_P(HubServerTest, ARevokedAgentIsRefused) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  expectAnswer(hub_.post(agent, "/v1/pull", "{\"cursor\": 0}"), 200);
  const auto revoked = hub_.admin({"revoke", "--agent", agent.agent_id});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  const auto reply = hub_.post(agent, "/v1/pull", "{\"cursor\": 0}");
  expectAnswer(reply, 403, "forbidden");
  EXPECT_NE(reply.json()->getValue<std::string>("message").find("revoked"), std::string::npos);
}

TEST_P(HubServerTest, AnUnknownPathOrMethodIs404) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  expectAnswer(hub_.post(agent, "/v1/nothing", "{}"), 404, "not_found");
  expectAnswer(hub_.post(agent, "/v2/push", pushJson({})), 404, "not_found");
  TlsConnection connection(hub_.port(), hub_.client(agent));
  expectAnswer(connection.request("GET", "/v1/pull", ""), 404, "not_found");
}

TEST_P(HubServerTest, APushIsStoredOnceAndAReplayGetsTheSameAnswer) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string batch =
      pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                entryJson(2, "u2", "token_pin_state_changed", tokenBody("T1"))});
  const auto first = hub_.post(agent, "/v1/push", batch);
  expectAnswer(first, 200);
  EXPECT_EQ(first.json()->getValue<int>("acked"), 2);
  const auto replay = hub_.post(agent, "/v1/push", batch);
  expectAnswer(replay, 200);
  EXPECT_EQ(replay.json()->getValue<int>("acked"), 2);
  const auto tokens = adminArray(hub_, {"tokens", "--agency", kAgency, "--json"});
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->getObject(0)->getValue<std::string>("serial"), "T1");
  const auto agents = adminArray(hub_, {"agents", "--json"});
  EXPECT_EQ(agents->getObject(0)->getValue<int>("last_seq"), 2);
  EXPECT_EQ(agents->getObject(0)->getValue<int>("backlog"), 3);
  EXPECT_FALSE(agents->getObject(0)->isNull("last_contact"));
  EXPECT_FALSE(agents->getObject(0)->isNull("clock_offset_seconds"));
  hub_.stop();
  auto store = openStoreAt(hub_.storeUrl());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->ingest().entryCount(agent.agent_id), 2);
}

TEST_P(HubServerTest, AGapOrAConflictIs409AndChangesNothing) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  expectAnswer(hub_.post(agent, "/v1/push",
                         pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1"))})),
               200);
  const auto gap = hub_.post(agent, "/v1/push",
                             pushJson({entryJson(3, "u3", "token_removed", tokenBody("T1"))}));
  expectAnswer(gap, 409, "sequence_gap");
  EXPECT_EQ(gap.json()->getValue<int>("acked"), 1);
  const auto conflict =
      hub_.post(agent, "/v1/push",
                pushJson({entryJson(1, "not-u1", "token_removed", tokenBody("T1")),
                          entryJson(2, "u2", "token_removed", tokenBody("T1"))}));
  expectAnswer(conflict, 409, "sequence_conflict");
  const auto tokens = adminArray(hub_, {"tokens", "--agency", kAgency, "--json"});
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE(tokens->getObject(0)->getValue<bool>("present"));
  EXPECT_EQ(adminArray(hub_, {"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 1);
}

TEST_P(HubServerTest, MalformedBodiesAre400NamingTheFieldAndNothingIsStored) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"lane\": \"normal\", \"entries\": [", "body: not JSON"},
      {"[1, 2]", "body: expected a JSON object"},
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1"))}, "slow"), "lane"},
      {"{\"lane\": \"normal\", \"entries\": [{\"seq\": \"1\", \"uuid\": \"u\", \"kind\": "
       "\"token_inserted\", \"at\": \"2026-11-22T04:50:38Z\", \"body\": {}}]}",
       "entries[0].seq: expected an integer"},
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                 entryJson(2, "u2", "token_exploded", tokenBody("T1"))}),
       "entries[1].kind: unknown entry kind \"token_exploded\""},
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                 entryJson(2, "u2", "token_inserted", "{\"token\": {\"manufacturer\": \"M\"}}")}),
       "entries[1].body.token.serial: missing"},
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                 entryJson(3, "u3", "token_inserted", tokenBody("T2"))}),
       "entries[1].seq: expected 2"},
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1"), "yesterday")}),
       "entries[0].at: expected an ISO 8601 UTC time"},
  };
  for (const auto& [body, field] : cases) {
    const auto reply = hub_.post(agent, "/v1/push", body);
    expectAnswer(reply, 400, "bad_request");
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  expectAnswer(hub_.post(agent, "/v1/pull", "{\"cursor\": \"zero\"}"), 400, "bad_request");
  expectAnswer(hub_.post(agent, "/v1/digest", "{\"digest\": 5}"), 400, "bad_request");
  EXPECT_EQ(adminArray(hub_, {"tokens", "--agency", kAgency, "--json"})->size(), 0u);
  EXPECT_EQ(adminArray(hub_, {"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 0);
}

// Issue 15, review finding 12: "\u0000" is valid JSON, but a NUL in a stored text is kept by
// SQLite and cut by PostgreSQL's text parameters, so the two stores would disagree and a label
// could end early on a screen. The push is refused naming the field; nothing is stored. (A NUL
// in a member's name never arrives: Poco's parser ends the name there, and a name the hub does
// not know is ignored.)
TEST_P(HubServerTest, ANulCharacterInAStringIs400NamingTheFieldAndNothingIsStored) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {pushJson({entryJson(1, "u1", "token_inserted", tokenBody("T1")),
                 entryJson(2, "u2", "token_inserted", tokenBody("T2", "Văn thư\\u0000 giả"))}),
       "entries[1].body.token.label: contains a NUL character"},
      {pushJson({entryJson(1, "u\\u00001", "token_inserted", tokenBody("T1"))}),
       "entries[0].uuid: contains a NUL character"},
  };
  for (const auto& [body, field] : cases) {
    const auto reply = hub_.post(agent, "/v1/push", body);
    expectAnswer(reply, 400, "bad_request");
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(adminArray(hub_, {"tokens", "--agency", kAgency, "--json"})->size(), 0u);
  EXPECT_EQ(adminArray(hub_, {"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 0);
}

// Issue 15, review finding 5: what an agency sends reached the province's terminal and hub.log
// raw. The enrolment's `host` is refused with a control character in it; a label or a name
// (the token's own truth, stored as it is) shows escaped in `cks-hub admin` and no line of
// hub.log is forged by what an agent sent.
TEST_P(HubServerTest, ControlCharactersFromAnAgentForgeNoLogLineNorRewriteTheAdminsScreen) {
  const std::string code = hub_.enrollCode(kAgency, kAgencyName);
  const std::string key = makeKeyPem();
  Object forged_host;
  forged_host.set("code", code);
  forged_host.set("csr", makeCsrPem(key));
  forged_host.set("host", "PC-VANTHU\nFORGED Error the province's CA key was deleted");
  forged_host.set("agent_version", "0.2.0");
  const auto refused = post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                            sync::stringify(forged_host));
  expectAnswer(refused, 400, "bad_request");
  EXPECT_NE(refused.json()->getValue<std::string>("message").find("host: "), std::string::npos)
      << refused.body;
  expectAnswer(post(hub_.port(), hub_.client(makeSelfSignedPem(key), key), "/v1/enroll",
                    enrollBody(code, makeCsrPem(key))),
               200);  // the code was not spent by the refusal

  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca_.issue(
      individualSpec("Nguyễn Văn An\nFORGED Error \x1b[2J", now - 24h * 300, now + 24h * 200));
  expectAnswer(
      hub_.post(
          agent, "/v1/push",
          pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1", "\\u001b[2JVăn thư")),
                    entryJson(2, "e2", "certificate_appeared", certificateBody("T1", der))})),
      200);
  for (const char* listing : {"inventory", "tokens"}) {
    const auto shown = hub_.admin({listing, "--agency", kAgency, "--wide"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_EQ(shown.out.find('\x1b'), std::string::npos) << listing << ": " << shown.out;
    EXPECT_EQ(shown.out.find("\nFORGED"), std::string::npos) << listing << ": " << shown.out;
  }
  const auto inventory = hub_.admin({"inventory", "--agency", kAgency, "--wide"});
  EXPECT_NE(inventory.out.find("Nguyễn Văn An\\nFORGED Error \\x1b[2J"), std::string::npos)
      << inventory.out;
  hub_.stop();
  const std::string log = readFile(hub_.log());
  EXPECT_EQ(log.find("\nFORGED"), std::string::npos) << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
}

TEST_P(HubServerTest, MoreThanAThousandEntriesIs413) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  std::vector<std::string> entries;
  for (int i = 1; i <= 1001; ++i) {
    entries.push_back(entryJson(i, "u" + std::to_string(i), "token_inserted", tokenBody("T1")));
  }
  expectAnswer(hub_.post(agent, "/v1/push", pushJson(entries)), 413, "too_large");
  entries.pop_back();
  const auto thousand = hub_.post(agent, "/v1/push", pushJson(entries));
  expectAnswer(thousand, 200);
  EXPECT_EQ(thousand.json()->getValue<int>("acked"), 1000);
}

TEST_P(HubServerTest, AnAgencyCanWriteOnlyItsOwnAgentsData) {
  const auto a = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const auto b = hub_.enroll("H21.10", "UBND xã Bình Hải");
  expectAnswer(hub_.post(b, "/v1/push",
                         pushJson({entryJson(1, "b1", "token_inserted", tokenBody("B-TOKEN"))})),
               200);
  // A names B in the body: the scope comes from A's certificate, the body cannot choose it.
  std::string addressed_to_b =
      pushJson({entryJson(1, "a1", "token_inserted", tokenBody("B-TOKEN")),
                entryJson(2, "a2", "token_removed", tokenBody("B-TOKEN"))});
  addressed_to_b.insert(1, "\"agent_id\": \"" + b.agent_id + "\", \"agency\": \"H21.10\", ");
  expectAnswer(hub_.post(a, "/v1/push", addressed_to_b), 200);
  const auto of_b = adminArray(hub_, {"tokens", "--agency", "H21.10", "--json"});
  ASSERT_EQ(of_b->size(), 1u);
  EXPECT_TRUE(of_b->getObject(0)->getValue<bool>("present"));
  EXPECT_EQ(of_b->getObject(0)->getValue<std::string>("agent_id"), b.agent_id);
  const auto of_a = adminArray(hub_, {"tokens", "--agency", "H21.09", "--json"});
  ASSERT_EQ(of_a->size(), 1u);
  EXPECT_FALSE(of_a->getObject(0)->getValue<bool>("present"));
  EXPECT_EQ(of_a->getObject(0)->getValue<std::string>("agent_id"), a.agent_id);
  // B's sequence was not touched by A's push either.
  const auto replay_b = hub_.post(
      b, "/v1/push", pushJson({entryJson(1, "b1", "token_inserted", tokenBody("B-TOKEN"))}));
  EXPECT_EQ(replay_b.json()->getValue<int>("acked"), 1);
}

TEST_P(HubServerTest, PushedInventoryShowsInAdminInventoryWithTheContractFields) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca_.issue(individualSpec("Nguyễn Văn An", now - 24h * 300, now + 24h * 20));
  expectAnswer(
      hub_.post(agent, "/v1/push",
                pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1")),
                          entryJson(2, "e2", "certificate_appeared", certificateBody("T1", der))})),
      200);
  auto inventory = adminArray(hub_, {"inventory", "--agency", kAgency, "--json"});
  ASSERT_EQ(inventory->size(), 1u);
  const auto cert = inventory->getObject(0);
  // Exactly the fields of `cksctl certs --json`, plus agent_id.
  InventoryCertificate sample;
  sample.certificate = parseCertificateDer(der, SubscriberKindRules{});
  std::vector<std::string> expected;
  sync::certificateJson(sample, now, 90)->getNames(expected);
  expected.push_back("agent_id");
  std::vector<std::string> names;
  cert->getNames(names);
  std::sort(expected.begin(), expected.end());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, expected);
  EXPECT_EQ(cert->getValue<std::string>("common_name"), "Nguyễn Văn An");
  EXPECT_EQ(cert->getValue<std::string>("fingerprint_sha256"), sha256Hex(der));
  EXPECT_EQ(cert->getValue<std::string>("kind"), "individual");
  EXPECT_EQ(cert->getValue<std::string>("status"), "expiring");  // 20 days < 90
  EXPECT_NEAR(cert->getValue<int>("days_left"), 20, 1);
  EXPECT_EQ(cert->getValue<std::string>("token_serial"), "T1");
  EXPECT_EQ(cert->getValue<std::string>("token_label"), "Token Văn thư");
  EXPECT_TRUE(cert->getValue<bool>("present"));
  EXPECT_EQ(cert->getValue<std::string>("agent_id"), agent.agent_id);
  const auto tokens = adminArray(hub_, {"tokens", "--agency", kAgency, "--json"});
  std::vector<std::string> token_names;
  tokens->getObject(0)->getNames(token_names);
  std::vector<std::string> token_expected;
  sync::tokenJson(InventoryToken{})->getNames(token_expected);
  token_expected.push_back("agent_id");
  std::sort(token_names.begin(), token_names.end());
  std::sort(token_expected.begin(), token_expected.end());
  EXPECT_EQ(token_names, token_expected);
  EXPECT_EQ(tokens->getObject(0)->getValue<int>("cert_count"), 1);
  EXPECT_EQ(tokens->getObject(0)->getValue<std::string>("last_host"), "PC-" + kAgency);

  const auto human = hub_.admin({"inventory", "--agency", kAgency, "--wide"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("Nguyễn Văn An"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("Sắp hết hạn"), std::string::npos) << human.out;

  expectAnswer(
      hub_.post(
          agent, "/v1/push",
          pushJson({entryJson(3, "e3", "certificate_disappeared", certificateBody("T1", der))})),
      200);
  inventory = adminArray(hub_, {"inventory", "--agency", kAgency, "--json"});
  EXPECT_FALSE(inventory->getObject(0)->getValue<bool>("present"));
  expectAnswer(hub_.post(agent, "/v1/push",
                         pushJson({entryJson(4, "e4", "token_removed", tokenBody("T1"))})),
               200);
  EXPECT_FALSE(adminArray(hub_, {"tokens", "--agency", kAgency, "--json"})
                   ->getObject(0)
                   ->getValue<bool>("present"));
}

TEST_P(HubServerTest, ASnapshotReplacesTheAgentsView) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now - 24h, now + 24h * 700));
  expectAnswer(hub_.post(agent, "/v1/push",
                         pushJson({entryJson(1, "e1", "token_inserted", tokenBody("OLD"))})),
               200);
  const std::string snapshot =
      "{\"tokens\": [{\"serial\": \"NEW\", \"manufacturer\": \"Viettel-CA\", \"label\": \"Con "
      "dấu\", \"model\": \"ePass\", \"pin_state\": \"ok\", \"present\": true, \"first_seen\": "
      "\"2026-02-01T00:00:00Z\", \"last_seen\": \"2026-11-01T00:00:00Z\"}], \"certificates\": "
      "[{\"fingerprint_sha256\": \"" +
      sha256Hex(der) + "\", \"der\": \"" + base64(der) +
      "\", \"token_serial\": \"NEW\", \"token_manufacturer\": \"Viettel-CA\", \"present\": true, "
      "\"first_seen\": \"2026-02-01T00:00:00Z\", \"last_seen\": \"2026-11-01T00:00:00Z\"}]}";
  expectAnswer(hub_.post(agent, "/v1/push", pushJson({entryJson(2, "e2", "snapshot", snapshot)})),
               200);
  const auto tokens = adminArray(hub_, {"tokens", "--agency", kAgency, "--json"});
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->getObject(0)->getValue<std::string>("serial"), "NEW");
  const auto inventory = adminArray(hub_, {"inventory", "--agency", kAgency, "--json"});
  ASSERT_EQ(inventory->size(), 1u);
  EXPECT_EQ(inventory->getObject(0)->getValue<std::string>("kind"), "organization");
  EXPECT_TRUE(inventory->getObject(0)->getValue<bool>("present"));
}

TEST_P(HubServerTest, TheDigestMatchesTheSameInventoryAndNotAfterAChange) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca_.issue(individualSpec("Phạm Thị Dung", now - 24h, now + 24h * 400));
  expectAnswer(
      hub_.post(agent, "/v1/push",
                pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1")),
                          entryJson(2, "e2", "certificate_appeared", certificateBody("T1", der))})),
      200);
  auto digestOf = [&](bool cert_present) {
    const std::string digest =
        sync::inventoryDigest({{"T1", "Viettel-CA", true}}, {{sha256Hex(der), "T1", cert_present}});
    return "{\"digest\": \"" + digest + "\", \"tokens\": 1, \"certificates\": 1}";
  };
  auto match = [&](bool cert_present) {
    const auto reply = hub_.post(agent, "/v1/digest", digestOf(cert_present));
    expectAnswer(reply, 200);
    return reply.json()->getValue<bool>("match");
  };
  EXPECT_TRUE(match(true));
  EXPECT_FALSE(match(false));
  expectAnswer(
      hub_.post(
          agent, "/v1/push",
          pushJson({entryJson(3, "e3", "certificate_disappeared", certificateBody("T1", der))})),
      200);
  EXPECT_FALSE(match(true));
  EXPECT_TRUE(match(false));
  // Another agent's digest is over its own (empty) view.
  const auto other = hub_.enroll(kAgency, kAgencyName);
  const auto empty = hub_.post(other, "/v1/digest",
                               "{\"digest\": \"" + sync::inventoryDigest({}, {}) +
                                   "\", \"tokens\": 0, \"certificates\": 0}");
  expectAnswer(empty, 200);
  EXPECT_TRUE(empty.json()->getValue<bool>("match"));
}

TEST_P(HubServerTest, PullReturnsTheAgencyAfterEnrolmentAndTheCursorAdvances) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto first = hub_.post(agent, "/v1/pull", "{\"cursor\": 0}");
  expectAnswer(first, 200);
  const auto items = first.json()->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("kind"), "agency");
  EXPECT_EQ(items->getObject(0)->getObject("body")->getValue<std::string>("code"), kAgency);
  EXPECT_EQ(items->getObject(0)->getObject("body")->getValue<std::string>("name"), kAgencyName);
  const int cursor = first.json()->getValue<int>("cursor");
  EXPECT_EQ(cursor, items->getObject(0)->getValue<int>("seq"));
  const auto nothing = hub_.post(agent, "/v1/pull", "{\"cursor\": " + std::to_string(cursor) + "}");
  expectAnswer(nothing, 200);
  EXPECT_EQ(nothing.json()->getArray("items")->size(), 0u);
  EXPECT_EQ(nothing.json()->getValue<int>("cursor"), cursor);
  // The province renames the agency: the agent learns it on its next pull.
  ASSERT_EQ(hub_.admin({"enroll-code", "--agency", kAgency, "--name", "UBND xã Bình Chương (mới)",
                        "--rename"})
                .exit_code,
            0);
  const auto renamed = hub_.post(agent, "/v1/pull", "{\"cursor\": " + std::to_string(cursor) + "}");
  const auto new_items = renamed.json()->getArray("items");
  ASSERT_EQ(new_items->size(), 1u);
  EXPECT_EQ(new_items->getObject(0)->getObject("body")->getValue<std::string>("name"),
            "UBND xã Bình Chương (mới)");
  EXPECT_GT(renamed.json()->getValue<int>("cursor"), cursor);
}

TEST_P(HubServerTest, GzipBodiesAreAcceptedAndAnswersGzippedWhenAsked) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const auto reply = hub_.post(
      agent, "/v1/push", gzip(pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"))})),
      {{"Content-Encoding", "gzip"}, {"Accept-Encoding", "gzip, deflate"}});
  expectAnswer(reply, 200);
  EXPECT_EQ(reply.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(reply.json()->getValue<int>("acked"), 1);
  const auto plain = hub_.post(agent, "/v1/pull", "{\"cursor\": 0}");
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  expectAnswer(hub_.post(agent, "/v1/push", "not gzip at all", {{"Content-Encoding", "gzip"}}), 400,
               "bad_request");
}

TEST(HubServerLimitsTest, BodiesOverMaxBodyAre413EvenCompressedOrChunked) {
  TempDir dir;
  HubUnderTest hub(dir.path().string(), {.max_body = "8K"});
  hub.start();
  const auto agent = hub.enroll(kAgency, kAgencyName);
  // Announced too large: refused before the body is read.
  TlsConnection announced(hub.port(), hub.client(agent));
  expectAnswer(announced.request("POST", "/v1/push", "", {{"Content-Length", "20000"}}), 413,
               "too_large");
  // Chunked, so the size is only known while reading.
  const std::string big(12 * 1024, ' ');
  std::ostringstream hex;
  hex << std::hex << big.size();
  TlsConnection chunked(hub.port(), hub.client(agent));
  expectAnswer(chunked.request("POST", "/v1/push", hex.str() + "\r\n" + big + "\r\n0\r\n\r\n",
                               {{"Transfer-Encoding", "chunked"}}),
               413, "too_large");
  // Small on the wire, too large once inflated.
  const auto bomb = hub.post(agent, "/v1/push", gzip(std::string(64 * 1024, '{')),
                             {{"Content-Encoding", "gzip"}});
  expectAnswer(bomb, 413, "too_large");
  // Under the limit is fine.
  std::vector<std::string> entries;
  for (int i = 1; i <= 20; ++i) {
    entries.push_back(entryJson(i, "u" + std::to_string(i), "token_inserted", tokenBody("T1")));
  }
  ASSERT_LT(pushJson(entries).size(), 8u * 1024);
  expectAnswer(hub.post(agent, "/v1/push", pushJson(entries)), 200);
}

class HubServerLifecycleTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
  }

  TempDir dir_;
  HubUnderTest hub{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
};

TEST_P(HubServerLifecycleTest, SigtermStopsTheHubWithinTwoSecondsWithAConnectionOpen) {
  hub.start();
  const auto agent = hub.enroll(kAgency, kAgencyName);
  TlsConnection idle(hub.port(), hub.client(agent));
  expectAnswer(idle.request("POST", "/v1/pull", "{\"cursor\": 0}", {}, /*close=*/false), 200);
  std::chrono::milliseconds took{};
  EXPECT_EQ(hub.stop(2s, &took), 0) << readFile(hub.log());
  EXPECT_LT(took, 2s);
  EXPECT_NE(readFile(hub.log()).find("stopping"), std::string::npos);
}

TEST_P(HubServerLifecycleTest, DataSurvivesARestartAndTheStoreIsIntact) {
  hub.start();
  const auto agent = hub.enroll(kAgency, kAgencyName);
  expectAnswer(hub.post(agent, "/v1/push",
                        pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"))})),
               200);
  const std::string server_ca = hub.serverCa();
  ASSERT_EQ(hub.stop(), 0);
  hub.start();
  // Same CA, same agent certificate, same sequence.
  EXPECT_EQ(hub.admin({"server-ca"}).out, server_ca);
  const auto replay = hub.post(agent, "/v1/push",
                               pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"))}));
  expectAnswer(replay, 200);
  EXPECT_EQ(replay.json()->getValue<int>("acked"), 1);
  EXPECT_EQ(adminArray(hub, {"tokens", "--agency", kAgency, "--json"})->size(), 1u);
  ASSERT_EQ(hub.stop(), 0);
  auto store = openStoreAt(hub.storeUrl());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->integrityCheck(), "ok");
}

TEST_P(HubServerTest, ConcurrentReplaysOfOneBatchAreAllAnsweredWithTheSameAck) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  std::vector<std::string> entries;
  for (int i = 1; i <= 50; ++i) {
    entries.push_back(entryJson(i, "u" + std::to_string(i), "token_inserted", tokenBody("T1")));
  }
  const std::string batch = pushJson(entries);
  std::vector<HttpReply> replies(6);
  std::vector<std::thread> agents;
  for (auto& reply : replies) {
    agents.emplace_back([&] { reply = hub_.post(agent, "/v1/push", batch); });
  }
  for (auto& thread : agents) thread.join();
  for (const auto& reply : replies) {
    expectAnswer(reply, 200);
    EXPECT_EQ(reply.json()->getValue<int>("acked"), 50) << reply.body;
  }
  EXPECT_EQ(adminArray(hub_, {"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 50);
  ASSERT_EQ(hub_.stop(), 0);
  auto store = openStoreAt(hub_.storeUrl());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->ingest().entryCount(agent.agent_id), 50);
}

// PostgreSQL only: the database server is a separate thing that can be unreachable.
class HubServerPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override { CKS_REQUIRE_POSTGRES(); }
};

TEST_F(HubServerPostgresTest, AnUnreachableDatabaseStopsStartUpWithExitOneNamingTheHost) {
  const std::string port = std::to_string(freePort());  // nothing listens there
  const std::string url = "postgresql://cks_hub:" + std::string(PostgresServer::kPassword) +
                          "@127.0.0.1:" + port + "/cks_hub";
  TempDir dir;
  HubUnderTest hub(dir.path().string(), {.store_url = url});
  const std::string expected =
      "cks-hub: store: postgresql://cks_hub@127.0.0.1:" + port + "/cks_hub: cannot connect: ";
  const auto run = runCommand({hubBinary(), "--config", hub.config()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err.rfind(expected, 0), 0u) << run.err;  // the first line
  EXPECT_EQ(run.err.find(PostgresServer::kPassword), std::string::npos) << run.err;
  EXPECT_EQ(run.out.find(PostgresServer::kPassword), std::string::npos) << run.out;
  // Straight to the program: HubUnderTest::admin would first start a hub to create the store.
  const auto admin = runCommand({hubBinary(), "--config", hub.config(), "admin", "agents"});
  EXPECT_EQ(admin.exit_code, 1) << admin.err;
  EXPECT_NE(admin.err.find(expected.substr(9)), std::string::npos) << admin.err;
  EXPECT_EQ(admin.err.find(PostgresServer::kPassword), std::string::npos) << admin.err;
}

TEST_F(HubServerPostgresTest, TheDatabaseGoingAwayIs500AndTheHubRecoversWhenItIsBack) {
  PostgresServer server;  // its own: this test stops it
  TempDir dir;
  HubUnderTest hub(dir.path().string(), {.store_url = server.url(server.createDatabase())});
  hub.start();
  const auto agent = hub.enroll(kAgency, kAgencyName);
  const std::string first = pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1"))});
  const std::string second = pushJson({entryJson(1, "e1", "token_inserted", tokenBody("T1")),
                                       entryJson(2, "e2", "token_removed", tokenBody("T1"))});
  expectAnswer(hub.post(agent, "/v1/push", first), 200);

  server.stop();
  const auto down = hub.post(agent, "/v1/push", second);
  expectAnswer(down, 500, "internal");
  EXPECT_NE(down.json()->getValue<std::string>("message").find("nothing was stored"),
            std::string::npos);
  expectAnswer(hub.post(agent, "/v1/pull", "{\"cursor\": 0}"), 500, "internal");
  EXPECT_TRUE(hub.running());

  server.start();
  const auto back = hub.post(agent, "/v1/push", second);
  expectAnswer(back, 200);
  EXPECT_EQ(back.json()->getValue<int>("acked"), 2);
  const auto replay = hub.post(agent, "/v1/push", second);
  expectAnswer(replay, 200);
  EXPECT_EQ(replay.json()->getValue<int>("acked"), 2);
  EXPECT_FALSE(adminArray(hub, {"tokens", "--agency", kAgency, "--json"})
                   ->getObject(0)
                   ->getValue<bool>("present"));
  ASSERT_EQ(hub.stop(), 0);
  const std::string log = readFile(hub.log());
  EXPECT_NE(log.find(agent.agent_id + ": store: postgresql://cks_hub@127.0.0.1:"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find(PostgresServer::kPassword), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubServerTest, kStoreBackends, storeBackendName);
INSTANTIATE_TEST_SUITE_P(Backends, HubServerLifecycleTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
