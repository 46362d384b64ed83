// The real transport (cpprestsdk) against a real HTTPS server with mutual TLS.
#include "sync/client/hub_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "core/time_format.h"
#include "sync/client/internal/gzip.h"
#include "sync/client/sync_session.h"
#include "sync/protocol/codec.h"
#include "tests/sync/sync_fakes.h"
#include "tests/sync/tls_fixtures.h"

namespace cks::sync {
namespace {

using test::Reply;
using test::SeenRequest;
using test::TestHubServer;
using test::TlsFiles;
using Kind = TransportError::Kind;

const TimePoint kHubTime = *parseIsoUtc("2026-11-22T04:50:41Z");

TransportSettings settingsFor(const std::string& url) {
  const TlsFiles& files = TlsFiles::get();
  TransportSettings settings;
  settings.hub_url = url;
  settings.hub_ca_file = files.hub_ca;
  settings.client_cert_file = files.client_cert;
  settings.client_key_file = files.client_key;
  settings.timeout = std::chrono::seconds(5);
  return settings;
}

TestHubServer::Options serverWith(const std::string& cert, const std::string& key) {
  return {cert, key, false};
}

TestHubServer::Options goodServer() {
  return serverWith(TlsFiles::get().server_cert, TlsFiles::get().server_key);
}

Reply pushAnswer(const SeenRequest&) { return {200, encode(PushResponse{44, kHubTime})}; }

std::string bigJson() {
  PushRequest request;
  for (int seq = 1; seq <= 40; ++seq) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("label", "Chữ ký số UBND xã Bình Chương " + std::to_string(seq));
    request.entries.push_back(
        {seq, "uuid-" + std::to_string(seq), "token_inserted", kHubTime, body});
  }
  return encode(request);
}

// Clears proxy variables a developer's shell may carry, for tests that mean a direct connection.
class HubTransportTest : public ::testing::Test {
 protected:
  test::ScopedEnv https_proxy_{"https_proxy", nullptr};
  test::ScopedEnv https_proxy_upper_{"HTTPS_PROXY", nullptr};
  test::ScopedEnv no_proxy_{"no_proxy", nullptr};
  test::ScopedEnv no_proxy_upper_{"NO_PROXY", nullptr};
};

TEST_F(HubTransportTest, PresentsTheClientCertificateAndReturnsTheAnswer) {
  TestHubServer server(goodServer(), pushAnswer);
  const auto transport = makeHubTransport(settingsFor(server.url()));
  const auto answer = transport->post("/v1/push", R"({"lane":"normal"})");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  const auto response = decodePushResponse(answer->body);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->acked, 44);
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "/v1/push");
  EXPECT_EQ(seen[0].client_cn, "agent-1");
  EXPECT_EQ(seen[0].body, R"({"lane":"normal"})");
}

TEST_F(HubTransportTest, ReusesOneTransportForSeveralRequests) {
  TestHubServer server(goodServer(), pushAnswer);
  const auto transport = makeHubTransport(settingsFor(server.url()));
  for (int i = 0; i < 3; ++i) {
    const auto answer = transport->post("/v1/push", "{}");
    ASSERT_TRUE(answer) << answer.error().message;
  }
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(HubTransportTest, ErrorStatusesAreAnswersNotErrors) {
  TestHubServer server(goodServer(), [](const SeenRequest&) {
    return Reply{409, encode(ErrorBody{"sequence_gap", "gap", 5, kHubTime})};
  });
  const auto answer = makeHubTransport(settingsFor(server.url()))->post("/v1/push", "{}");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 409);
  const auto refusal = decodeErrorBody(answer->body);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->acked, 5);
}

TEST_F(HubTransportTest, LargeBodiesTravelGzippedBothWays) {
  const std::string json = bigJson();
  ASSERT_GT(json.size(), internal::kGzipThreshold);
  TestHubServer server(goodServer(), [&](const SeenRequest&) { return Reply{200, json}; });
  const auto answer = makeHubTransport(settingsFor(server.url()))->post("/v1/push", json);
  ASSERT_TRUE(answer) << answer.error().message;
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].content_encoding, "gzip");
  EXPECT_EQ(seen[0].raw_body.substr(0, 2), "\x1f\x8b");  // the gzip magic
  EXPECT_LT(seen[0].raw_body.size(), json.size());
  EXPECT_EQ(seen[0].body, json);
  EXPECT_EQ(answer->bytes_sent, seen[0].raw_body.size());
  // The answer came gzipped (the server honours Accept-Encoding) and was decompressed.
  EXPECT_EQ(seen[0].accept_encoding, "gzip");
  EXPECT_EQ(answer->body, json);
  EXPECT_LT(answer->bytes_received, json.size());
}

TEST_F(HubTransportTest, SmallBodiesAndGzipOffTravelPlain) {
  TestHubServer server(goodServer(), pushAnswer);
  auto settings = settingsFor(server.url());
  ASSERT_TRUE(makeHubTransport(settings)->post("/v1/pull", R"({"cursor":12})"));
  settings.gzip = false;
  const std::string json = bigJson();
  const auto answer = makeHubTransport(settings)->post("/v1/push", json);
  ASSERT_TRUE(answer) << answer.error().message;
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].content_encoding, "");
  EXPECT_EQ(seen[0].raw_body, R"({"cursor":12})");
  EXPECT_EQ(seen[1].content_encoding, "");
  EXPECT_EQ(seen[1].accept_encoding, "");
  EXPECT_EQ(answer->bytes_sent, json.size());
}

TEST_F(HubTransportTest, ServerCertificateFromAnotherCaIsATlsError) {
  // Even when the system's trust store (here SSL_CERT_FILE) trusts that other CA: the agent
  // trusts hub_ca_file only.
  test::ScopedEnv system_store("SSL_CERT_FILE", TlsFiles::get().rogue_ca.c_str());
  TestHubServer server(
      serverWith(TlsFiles::get().rogue_server_cert, TlsFiles::get().rogue_server_key), pushAnswer);
  const auto answer = makeHubTransport(settingsFor(server.url()))->post("/v1/push", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Tls) << answer.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HubTransportTest, WrongHostNameIsATlsError) {
  TestHubServer server(serverWith(TlsFiles::get().wrong_host_cert, TlsFiles::get().wrong_host_key),
                       pushAnswer);
  const auto answer = makeHubTransport(settingsFor(server.url()))->post("/v1/push", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Tls) << answer.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HubTransportTest, ClientCertificateTheHubDoesNotTrustIsNotAnAnswer) {
  TestHubServer server(goodServer(), pushAnswer);
  auto settings = settingsFor(server.url());
  settings.client_cert_file = TlsFiles::get().wrong_host_cert;  // from the server CA, not agent CA
  settings.client_key_file = TlsFiles::get().wrong_host_key;
  const auto answer = makeHubTransport(settings)->post("/v1/push", "{}");
  ASSERT_FALSE(answer);
  // With TLS 1.3 the client's handshake completes before the server checks the client's
  // certificate: its refusal arrives as an alert (Tls) or, racing it, as a reset (Other).
  EXPECT_NE(answer.error().kind, Kind::Unreachable) << answer.error().message;
  EXPECT_NE(answer.error().kind, Kind::Timeout) << answer.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HubTransportTest, NothingListeningIsUnreachable) {
  const auto answer =
      makeHubTransport(settingsFor("https://localhost:" + std::to_string(test::closedPort())))
          ->post("/v1/pull", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Unreachable) << answer.error().message;
}

int threadCount() {
  int count = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    (void)task;
    ++count;
  }
  return count;
}

TEST_F(HubTransportTest, UsesAFewThreadsNotCpprestsdksForty) {
  const int before = threadCount();
  const auto answer =
      makeHubTransport(settingsFor("https://localhost:" + std::to_string(test::closedPort())))
          ->post("/v1/pull", "{}");
  ASSERT_FALSE(answer);
  // Two pool threads and boost.asio's resolver thread.
  EXPECT_LE(threadCount() - before, 3);
}

TEST_F(HubTransportTest, UnknownHostIsUnreachable) {
  const auto answer =
      makeHubTransport(settingsFor("https://hub.invalid:8443"))->post("/v1/pull", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Unreachable) << answer.error().message;
}

TEST_F(HubTransportTest, ServerThatNeverAnswersTimesOut) {
  test::SilentServer silent;
  auto settings = settingsFor("https://localhost:" + std::to_string(silent.port()));
  settings.timeout = std::chrono::seconds(1);
  const auto started = std::chrono::steady_clock::now();
  const auto answer = makeHubTransport(settings)->post("/v1/pull", "{}");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Timeout) << answer.error().message;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(HubTransportTest, MissingKeyFileIsReportedByName) {
  TestHubServer server(goodServer(), pushAnswer);
  auto settings = settingsFor(server.url());
  settings.client_key_file = "/nonexistent/agent.key";
  const auto answer = makeHubTransport(settings)->post("/v1/pull", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Other);
  EXPECT_NE(answer.error().message.find("/nonexistent/agent.key"), std::string::npos)
      << answer.error().message;
  EXPECT_FALSE(checkTransportSettings(settings));
}

TEST_F(HubTransportTest, CheckSettingsAcceptsGoodOnesAndNamesTheProblem) {
  EXPECT_TRUE(checkTransportSettings(settingsFor("https://hub.quangngai.gov.vn:8443")));
  const auto plain = checkTransportSettings(settingsFor("http://hub:8443"));
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().message, "hub_url \"http://hub:8443\": expected https://host:port");
  auto settings = settingsFor("https://hub:8443");
  settings.proxy = "socks5://proxy:1080";
  EXPECT_FALSE(checkTransportSettings(settings));
}

TEST_F(HubTransportTest, ProxyFromEnvironmentCarriesTheTunnel) {
  TestHubServer server(goodServer(), pushAnswer);
  test::ConnectProxy proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  test::ScopedEnv env("https_proxy", proxy_url.c_str());
  auto settings = settingsFor(server.url());
  settings.proxy = "env";
  const auto answer = makeHubTransport(settings)->post("/v1/push", "{}");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(proxy.requestLines(),
            (std::vector<std::string>{"CONNECT localhost:" + std::to_string(server.port()) +
                                      " HTTP/1.1"}));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].client_cn, "agent-1");  // TLS end to end through the tunnel
}

TEST_F(HubTransportTest, NoProxyBypassesTheProxyFromEnvironment) {
  TestHubServer server(goodServer(), pushAnswer);
  test::ConnectProxy proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  test::ScopedEnv env("https_proxy", proxy_url.c_str());
  test::ScopedEnv bypass("no_proxy", "localhost");
  auto settings = settingsFor(server.url());
  settings.proxy = "env";
  ASSERT_TRUE(makeHubTransport(settings)->post("/v1/push", "{}"));
  EXPECT_TRUE(proxy.requestLines().empty());
}

TEST_F(HubTransportTest, ProxyIgnoredUnlessTheSettingAsks) {
  TestHubServer server(goodServer(), pushAnswer);
  test::ConnectProxy proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  test::ScopedEnv env("https_proxy", proxy_url.c_str());
  ASSERT_TRUE(makeHubTransport(settingsFor(server.url()))->post("/v1/push", "{}"));
  EXPECT_TRUE(proxy.requestLines().empty());
}

TEST_F(HubTransportTest, DeadProxyIsUnreachable) {
  auto settings = settingsFor("https://localhost:8443");
  settings.proxy = "http://127.0.0.1:" + std::to_string(test::closedPort());
  const auto answer = makeHubTransport(settings)->post("/v1/pull", "{}");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, Kind::Unreachable) << answer.error().message;
  EXPECT_NE(answer.error().message.find("via proxy"), std::string::npos) << answer.error().message;
}

// The whole client over the real transport: an idle sync fits the protocol's byte budget.
TEST_F(HubTransportTest, IdleSyncOverHttpsStaysWithinFiveHundredTwelveBytes) {
  TestHubServer server(goodServer(), [](const SeenRequest& request) {
    if (request.path == "/v1/pull") {
      return Reply{200, encode(PullResponse{{}, 12, kHubTime})};
    }
    return Reply{200, encode(DigestResponse{true, kHubTime})};
  });
  test::MemorySyncState state;
  state.cursor = 12;
  state.digest_value = {std::string(64, 'f'), 14, 31};
  const FixedClock clock(kHubTime);
  const auto transport = makeHubTransport(settingsFor(server.url()));
  const auto report = SyncSession().run(*transport, state, clock, "0.2.0");
  ASSERT_EQ(report.outcome, SyncReport::Outcome::Ok) << report.message;
  EXPECT_EQ(report.requests, 2);
  EXPECT_LE(report.bytes_sent + report.bytes_received, 512u)
      << report.bytes_sent << " sent, " << report.bytes_received << " received";
  EXPECT_EQ(report.clock_offset, std::chrono::seconds(0));
}

}  // namespace
}  // namespace cks::sync
