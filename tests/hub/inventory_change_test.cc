// Entry bodies are checked before anything is stored: a missing or mistyped field, a DER that
// is not base64 or does not match its fingerprint is refused with the field's path. The body is
// kept as the agent sent it (pushEntryBodies finds its text in the request).
#include "hub/inventory_change.h"

#include <gtest/gtest.h>

#include "hub/sync_api.h"
#include "sync/protocol/codec.h"
#include "tests/hub/hub_under_test.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;

Result<InventoryChange> read(const std::string& kind, const std::string& body) {
  auto request = sync::decodePushRequest(test::pushJson({test::entryJson(1, "u", kind, body)}));
  CKS_CHECK(request.has_value());
  return readInventoryChange(request->entries[0], "entries[0]", SubscriberKindRules{});
}

TEST(HubInventoryChangeTest, ACertificateEntryIsParsedWithTheAgentsParser) {
  test::TestCa ca;
  const auto t0 = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca.issue(test::individualSpec("Lê Văn Cường", t0, t0 + 24h * 30));
  const auto change = read("certificate_appeared", test::certificateBody("T1", der));
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->token.serial, "T1");
  EXPECT_EQ(change->token.label, "Token Văn thư");
  ASSERT_TRUE(change->certificate && change->certificate->parsed);
  EXPECT_EQ(change->certificate->parsed->common_name, "Lê Văn Cường");
  EXPECT_EQ(change->certificate->der, der);
}

TEST(HubInventoryChangeTest, RefusalsNameTheField) {
  test::TestCa ca;
  const auto t0 = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto der = ca.issue(test::individualSpec("Lê Văn Cường", t0, t0 + 24h * 30));
  std::string wrong_fingerprint = test::certificateBody("T1", der);
  wrong_fingerprint.replace(wrong_fingerprint.find("\"fingerprint_sha256\": \"") + 23, 4, "0000");
  const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases = {
      {{"token_inserted", "{}"}, "entries[0].body.token: missing"},
      {{"token_inserted", "{\"token\": {\"manufacturer\": \"M\"}}"},
       "entries[0].body.token.serial: missing"},
      {{"token_inserted", "{\"token\": {\"serial\": 5, \"manufacturer\": \"M\"}}"},
       "entries[0].body.token.serial: expected a string"},
      {{"certificate_appeared", test::tokenBody("T1")}, "entries[0].body.certificate: missing"},
      {{"certificate_appeared",
        "{\"token\": {\"serial\": \"T\", \"manufacturer\": \"M\"}, \"certificate\": "
        "{\"fingerprint_sha256\": \"ab\", \"der\": \"%%%\"}}"},
       "entries[0].body.certificate.der: expected base64 DER"},
      {{"certificate_appeared", wrong_fingerprint},
       "entries[0].body.certificate.fingerprint_sha256: does not match the SHA-256 of der"},
      {{"certificate_replaced", test::certificateBody("T1", der)},
       "entries[0].body.previous_fingerprint: missing"},
      {{"snapshot", "{\"tokens\": [], \"certificates\": 3}"},
       "entries[0].body.certificates: expected an array"},
      {{"snapshot",
        "{\"tokens\": [{\"serial\": \"T\", \"manufacturer\": \"M\", \"present\": \"yes\", "
        "\"first_seen\": \"2026-01-01T00:00:00Z\", \"last_seen\": \"2026-01-01T00:00:00Z\"}], "
        "\"certificates\": []}"},
       "entries[0].body.tokens[0].present: expected true or false"},
  };
  for (const auto& [input, expected] : cases) {
    const auto change = read(input.first, input.second);
    ASSERT_FALSE(change) << input.second;
    EXPECT_EQ(change.error().message, expected);
  }
}

TEST(HubInventoryChangeTest, AnUnknownPinStateFromANewerAgentReadsAsUnknown) {
  std::string body = test::tokenBody("T1");
  body.replace(body.find("\"ok\""), 4, "\"sleepy\"");
  const auto change = read("token_pin_state_changed", body);
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->token.pin_state, "unknown");
}

TEST(HubInventoryChangeTest, ADerWithLineBreaksAndPaddingDecodes) {
  test::TestCa ca;
  const auto t0 = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  // 1, 2 and 3 bytes in the last group: every padding case.
  for (const int extra : {0, 1, 2}) {
    auto der = ca.issue(
        test::individualSpec("Lê Văn Cường" + std::string(size_t(extra), 'A'), t0, t0 + 24h * 30));
    std::string body = test::certificateBody("T1", der);
    // PEM-style lines: 64 characters, then \r\n (escaped in the JSON text).
    const auto start = body.find("\"der\": \"") + 8;
    const auto end = body.find('"', start);
    for (auto at = start + 64; at < end; at += 64 + 4) {
      body.insert(at, "\\r\\n");
    }
    const auto change = read("certificate_appeared", body);
    ASSERT_TRUE(change) << change.error().message;
    EXPECT_EQ(change->certificate->der, der) << "length " << der.size();
  }
}

TEST(HubInventoryChangeTest, MalformedBase64IsRefused) {
  for (const std::string der : {"QUJD=", "QUI", "QQ==QUJD", "Q===", "QUJ?D"}) {
    const auto change = read("certificate_appeared",
                             "{\"token\": {\"serial\": \"T\", \"manufacturer\": \"M\"}, "
                             "\"certificate\": {\"fingerprint_sha256\": \"ab\", \"der\": \"" +
                                 der + "\"}}");
    ASSERT_FALSE(change) << der;
    EXPECT_EQ(change.error().message, "entries[0].body.certificate.der: expected base64 DER");
  }
}

TEST(HubInventoryChangeTest, TheBodyIsKeptAsItArrived) {
  // Spacing, key order and escapes as an agent might write them; braces inside strings.
  const std::string token =
      "{ \"token\" : {\"serial\":\"T1\", \"manufacturer\": \"Viettel-CA\",\n"
      "  \"label\": \"Văn thư \\\"{[}]\\\" \\u0041\", \"model\": null, \"extra\": [1, {\"a\": "
      "[]}]}}";
  const std::string request = test::pushJson(
      {test::entryJson(1, "u1", "token_inserted", token),
       "{\"body\": {\"token\": {\"serial\": \"T2\", \"manufacturer\": \"M\"}}, \"seq\": 2, "
       "\"uuid\": \"u2\", \"kind\": \"token_removed\", \"at\": \"2026-11-22T04:50:38Z\"}"});
  auto decoded = sync::decodePushRequest(request);
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto bodies = pushEntryBodies(request);
  ASSERT_EQ(bodies.size(), 2u);
  ASSERT_TRUE(bodies[0] && bodies[1]);
  EXPECT_EQ(*bodies[0], token);
  EXPECT_EQ(*bodies[1], "{\"token\": {\"serial\": \"T2\", \"manufacturer\": \"M\"}}");
  const auto change =
      readInventoryChange(decoded->entries[0], "entries[0]", SubscriberKindRules{}, bodies[0]);
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->body_json, token);
  EXPECT_EQ(change->token.label, "Văn thư \"{[}]\" A");
}

TEST(HubInventoryChangeTest, BodiesThatCannotBeMatchedAreWrittenOutAgain) {
  // No body, a null body, and a key written with an escape: the parsed body is used instead.
  EXPECT_EQ(pushEntryBodies(test::pushJson({"{\"seq\": 1, \"body\": null}", "{\"seq\": 2}"})),
            (std::vector<std::optional<std::string_view>>{std::nullopt, std::nullopt}));
  EXPECT_TRUE(pushEntryBodies("{\"\\u0065ntries\": [{\"body\": {}}]}").empty());
  EXPECT_TRUE(pushEntryBodies("{\"lane\": \"normal\"}").empty());
  EXPECT_TRUE(pushEntryBodies("{\"entries\": [{\"body\": {\"a\": \"unterminated}]}").empty());
  // The parser keeps the last of repeated keys; so does pushEntryBodies.
  const auto last = pushEntryBodies(
      "{\"entries\": [{\"body\": {\"x\": 1}}], \"entries\": [{\"body\": {\"y\": 2}, "
      "\"body\": {\"z\": 3}}]}");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0], std::optional<std::string_view>("{\"z\": 3}"));
  const auto change =
      read("token_inserted", "{\"token\": {\"manufacturer\": \"M\", \"serial\": \"T\"}}");
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->body_json, "{\"token\":{\"manufacturer\":\"M\",\"serial\":\"T\"}}");
}

}  // namespace
}  // namespace cks::hub
