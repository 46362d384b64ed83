// Entry bodies are checked before anything is stored: a missing or mistyped field, a DER that
// is not base64 or does not match its fingerprint is refused with the field's path.
#include "hub/inventory_change.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cks::hub
