// The hub learns the CAs' revocation lists (issue 16): fetched over real HTTP from a server in
// the test process, checked against the test PKI's CAs, kept in a real store (SQLite and
// PostgreSQL), matched to the certificates agents reported.
#include "hub/province/revocation_service.h"

#include <Poco/Channel.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/messages.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/crl_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = *parseIsoUtc("2026-12-01T03:00:00Z");
const TimePoint kIssued = *parseIsoUtc("2026-01-01T00:00:00Z");

using test::CrlServer;

// Keeps what the service logs.
class RecordingChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    const std::lock_guard lock(mutex_);
    lines_.push_back(message.getText());
  }
  [[nodiscard]] std::vector<std::string> lines() {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// A URL where nothing listens: a port taken and given back.
std::string unreachableUrl() {
  Poco::Net::ServerSocket socket(0);
  const int port = socket.address().port();
  socket.close();
  return "http://127.0.0.1:" + std::to_string(port) + "/g2.crl";
}

class RevocationServiceTest : public test::StoreTest {
 protected:
  void SetUp() override {
    test::StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log_.setChannel(channel_);
    log_.setLevel("information");
    url_crl_ = server_.url("/g2.crl");
    good_ = issued("1001");
    revoked_ = issued("1002");
    ca_.revoke("1002", kNow - 72h, 1);
  }

  // A service of the test CAs fetching `urls` (beside the certificates' own points).
  RevocationService service(std::vector<std::string> urls) {
    auto cas = IssuingCas::fromDer({ca_.rootDer(), ca_.issuingDer()});
    EXPECT_TRUE(cas) << cas.error().message;
    RevocationSettings settings;
    settings.crl_urls = std::move(urls);
    FetchSettings fetch;
    fetch.timeout = 5s;
    return RevocationService(store_->revocations(), settings, std::move(*cas), fetch, clock_, log_);
  }

  Certificate issued(const std::string& serial_hex, std::vector<std::string> crl_urls = {}) {
    auto spec = test::individualSpec("Nguyễn Văn An", kIssued, kIssued + 24h * 700);
    spec.serial_hex = serial_hex;
    spec.crl_urls = std::move(crl_urls);
    ders_[serial_hex] = ca_.issue(spec);
    return parseCertificateDer(ders_[serial_hex], {});
  }

  // The one fetch of `service`'s sources; fails the test when the store failed.
  CrlSourceRecord fetchOnly(RevocationService& service) {
    auto fetched = service.fetchAll();
    EXPECT_TRUE(fetched) << fetched.error().message;
    EXPECT_EQ(fetched->size(), 1u);
    return fetched && !fetched->empty() ? fetched->front() : CrlSourceRecord{};
  }

  RevocationStatus statusOf(RevocationService& service, const Certificate& cert) {
    auto status = service.statusOf(cert.issuer, cert.serial);
    EXPECT_TRUE(status) << status.error().message;
    return status ? *status : RevocationStatus{};
  }

  // `agent` reports token T1 holding the certificates issued with `serials` (entries from `seq`).
  void report(const std::string& agent, const std::vector<std::string>& serials, long seq = 1) {
    const std::string at = formatIsoUtc(clock_.now() - 1h);
    std::vector<std::string> entries = {
        test::entryJson(seq, newUuid(), "token_inserted", test::tokenBody("T1"), at)};
    for (const auto& serial : serials) {
      entries.push_back(test::entryJson(++seq, newUuid(), "certificate_appeared",
                                        test::certificateBody("T1", ders_[serial]), at));
    }
    auto pushed =
        store_->ingest().push(agent, test::pushBatchOf(test::pushJson(entries)), clock_.now());
    ASSERT_TRUE(pushed) << pushed.error().message;
    ASSERT_EQ(pushed->kind, PushOutcome::Kind::Acked) << pushed->message;
  }

  // The revocation_status items in `agent`'s feed after `cursor` (moved past them), by serial
  // of the certificates issued here.
  std::map<std::string, RevocationStatus> told(const std::string& agent, std::int64_t& cursor) {
    auto items = store_->ingest().feedAfter(agent, cursor, sync::kMaxFeedItemsPerPull);
    EXPECT_TRUE(items) << items.error().message;
    std::map<std::string, RevocationStatus> statuses;
    for (const auto& item : items ? *items : std::vector<sync::FeedItem>{}) {
      cursor = item.seq;
      if (item.kind != "revocation_status") continue;
      auto status = sync::readRevocationStatusItem(*item.body);
      EXPECT_TRUE(status) << status.error().message;
      if (!status) continue;
      std::string serial = "?";
      for (const auto& [name, der] : ders_) {
        if (sha256Hex(der) == status->fingerprint) serial = name;
      }
      EXPECT_EQ(statuses.count(serial), 0u) << "told twice: " << serial;
      statuses[serial] = status->status;
      next_update_ = status->next_update;
    }
    return statuses;
  }

  // Whether a log line names `url` and `word`.
  bool logged(const std::string& url, const std::string& word) {
    for (const auto& line : channel_->lines()) {
      if (line.find(url) != std::string::npos && line.find(word) != std::string::npos) return true;
    }
    return false;
  }

  test::TestCa ca_;
  FixedClock clock_{kNow};
  CrlServer server_;
  Poco::AutoPtr<RecordingChannel> channel_{new RecordingChannel};
  Poco::Logger& log_ = Poco::Logger::get("revocation-test");
  std::string url_crl_;
  std::map<std::string, std::vector<std::uint8_t>> ders_;
  std::optional<TimePoint> next_update_;  // of the last revocation_status item told()
  Certificate good_;
  Certificate revoked_;
};

TEST_P(RevocationServiceTest, FetchesTheListAndTellsGoodRevokedAndUnknownApart) {
  const auto served = ca_.crl(kNow - 1h, kNow + 24h * 7, 7);
  server_.serve("/g2.crl", served);
  auto revocation = service({url_crl_});
  const CrlSourceRecord fetched = fetchOnly(revocation);
  EXPECT_EQ(fetched.outcome, CrlOutcome::Accepted) << fetched.detail;
  EXPECT_EQ(fetched.issuer, good_.issuer);
  EXPECT_EQ(fetched.last_fetch, kNow);
  EXPECT_EQ(fetched.next_fetch, kNow + 6h);
  EXPECT_TRUE(logged(url_crl_, "accepted"));

  EXPECT_EQ(statusOf(revocation, good_),
            (RevocationStatus{RevocationState::Good, kNow - 1h, std::nullopt, std::nullopt}));
  EXPECT_EQ(statusOf(revocation, revoked_),
            (RevocationStatus{RevocationState::Revoked, kNow - 1h, kNow - 72h,
                              CrlReason::KeyCompromise}));
  const test::TestCa other("CA của tổ chức khác");
  auto spec = test::individualSpec("Lê Văn Cường", kIssued, kIssued + 24h * 700);
  spec.serial_hex = "1001";  // the same serial as a good certificate, under another issuer
  const Certificate foreign = parseCertificateDer(other.issue(spec), {});
  EXPECT_EQ(statusOf(revocation, foreign).state, RevocationState::Unknown);
  EXPECT_EQ(statusOf(revocation, foreign).as_of, std::nullopt);

  auto view = revocation.view();
  ASSERT_TRUE(view) << view.error().message;
  ASSERT_EQ(view->sources.size(), 1u);
  const auto& line = view->sources[0];
  EXPECT_TRUE(line.source.configured);
  ASSERT_TRUE(line.held);
  EXPECT_EQ(line.held->entries, 1);
  EXPECT_EQ(line.held->list.crl_number, "7");
  EXPECT_EQ(line.held->list.next_update, kNow + 24h * 7);
  auto der = store_->revocations().heldDer(good_.issuer);
  ASSERT_TRUE(der) << der.error().message;
  EXPECT_EQ(*der, served);
}

TEST_P(RevocationServiceTest, CountsTheRevokedCertificatesAgentsReported) {
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow - 24h);
  const std::string at = formatIsoUtc(kNow - 24h);
  std::vector<std::string> entries = {
      test::entryJson(1, newUuid(), "token_inserted", test::tokenBody("T1"), at),
      test::entryJson(2, newUuid(), "certificate_appeared",
                      test::certificateBody("T1", ders_["1001"]), at),
      test::entryJson(3, newUuid(), "certificate_appeared",
                      test::certificateBody("T1", ders_["1002"]), at)};
  auto pushed = store_->ingest().push(agent, test::pushBatchOf(test::pushJson(entries)), kNow);
  ASSERT_TRUE(pushed) << pushed.error().message;
  ASSERT_EQ(pushed->kind, PushOutcome::Kind::Acked) << pushed->message;
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  auto view = revocation.view();
  ASSERT_TRUE(view) << view.error().message;
  ASSERT_EQ(view->sources.size(), 1u);
  EXPECT_EQ(view->sources[0].revoked_certificates, 1);
}

TEST_P(RevocationServiceTest, ARefusedListLeavesTheHeldOneInPlaceWithTheOutcomeAndALogLine) {
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);

  // Newer lists that revoke the good certificate too, but each with something wrong.
  test::TestCa impostor;  // the issuing CA's names, another key
  test::TestCa stranger("CA của tổ chức khác");
  ca_.revoke("1001", kNow - 1h, 4);
  for (test::TestCa* signer : {&impostor, &stranger}) {
    signer->revoke("1001", kNow - 1h, 4);
    signer->revoke("1002", kNow - 72h, 1);
  }
  const auto truncated = [&] {
    auto der = ca_.crl(kNow, kNow + 24h * 7, 8);
    der.resize(der.size() / 2);
    return der;
  }();
  const std::string garbage = "<html>Trang web tạm thời không truy cập được</html>";
  const struct {
    std::vector<std::uint8_t> bytes;
    CrlOutcome outcome;
  } cases[] = {
      {impostor.crl(kNow, kNow + 24h * 7, 8), CrlOutcome::BadSignature},
      {stranger.crl(kNow, kNow + 24h * 7, 8), CrlOutcome::WrongIssuer},
      {ca_.crl(kNow - 48h, kNow - 1h, 8), CrlOutcome::Expired},
      {truncated, CrlOutcome::Unreadable},
      {std::vector<std::uint8_t>(garbage.begin(), garbage.end()), CrlOutcome::Unreadable},
  };
  int failures = 0;
  for (const auto& refused : cases) {
    SCOPED_TRACE(std::string(toString(refused.outcome)));
    clock_.advance(1h);
    server_.serve("/g2.crl", refused.bytes);
    const CrlSourceRecord fetched = fetchOnly(revocation);
    EXPECT_EQ(fetched.outcome, refused.outcome) << fetched.detail;
    EXPECT_FALSE(fetched.detail.empty());
    EXPECT_EQ(fetched.last_fetch, clock_.now());
    EXPECT_EQ(fetched.failures, ++failures);
    EXPECT_TRUE(logged(url_crl_, std::string(toString(refused.outcome))));
    auto held = store_->revocations().heldFor(good_.issuer);
    ASSERT_TRUE(held && *held);
    EXPECT_EQ((*held)->list.crl_number, "7");
    EXPECT_EQ(statusOf(revocation, good_).state, RevocationState::Good);
    EXPECT_EQ(statusOf(revocation, good_).as_of, kNow - 1h);
    EXPECT_EQ(statusOf(revocation, revoked_).state, RevocationState::Revoked);
  }

  // Nothing listens at a source any more: the same.
  auto gone = service({unreachableUrl()});
  clock_.advance(1h);
  auto fetched = gone.fetchAll();
  ASSERT_TRUE(fetched) << fetched.error().message;
  const auto unreachable = std::find_if(fetched->begin(), fetched->end(), [](const auto& s) {
    return s.outcome == CrlOutcome::Unreachable;
  });
  ASSERT_NE(unreachable, fetched->end());
  EXPECT_TRUE(logged(unreachable->url, "unreachable"));
  EXPECT_EQ(statusOf(gone, good_).state, RevocationState::Good);

  // Then a good newer list is taken.
  clock_.advance(1h);
  server_.serve("/g2.crl", ca_.crl(clock_.now() - 1h, clock_.now() + 24h * 7, 9));
  auto again = service({url_crl_});
  auto taken = again.fetchAll();
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(statusOf(again, good_).state, RevocationState::Revoked);
  EXPECT_EQ(statusOf(again, good_).reason, CrlReason::Superseded);
}

TEST_P(RevocationServiceTest, AnOlderListNeverReplacesANewerOne) {
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 12));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  // A mirror still serving yesterday's list, which did not yet revoke 1002.
  server_.serve("/g2.crl", ca_.crl({kNow - 25h, kNow + 24h * 6, 11, {}}));
  clock_.advance(1h);
  const CrlSourceRecord fetched = fetchOnly(revocation);
  EXPECT_EQ(fetched.outcome, CrlOutcome::Older);
  EXPECT_TRUE(logged(url_crl_, "older"));
  EXPECT_EQ(statusOf(revocation, revoked_).state, RevocationState::Revoked);
  auto held = store_->revocations().heldFor(good_.issuer);
  ASSERT_TRUE(held && *held);
  EXPECT_EQ((*held)->list.crl_number, "c");
}

TEST_P(RevocationServiceTest, TheSameListAgainChangesNothing) {
  const auto der = ca_.crl(kNow - 1h, kNow + 24h * 7, 7);
  server_.serve("/g2.crl", der);
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  clock_.advance(6h);
  const CrlSourceRecord fetched = fetchOnly(revocation);
  EXPECT_EQ(fetched.outcome, CrlOutcome::Unchanged);
  EXPECT_EQ(fetched.next_fetch, clock_.now() + 6h);
  auto held = store_->revocations().heldFor(good_.issuer);
  ASSERT_TRUE(held && *held);
  EXPECT_EQ((*held)->accepted_at, kNow);
}

TEST_P(RevocationServiceTest, AListPastItsNextUpdateLeavesStatusesUnknownSinceThenNeverGood) {
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  EXPECT_EQ(fetchOnly(revocation).next_fetch, kNow + 6h);
  clock_.advance(24h * 30);  // a month without a newer list
  EXPECT_EQ(statusOf(revocation, good_),
            (RevocationStatus{RevocationState::Unknown, kNow + 24h, std::nullopt, std::nullopt}));
  EXPECT_EQ(describe(statusOf(revocation, good_), Language::Vietnamese),
            "Chưa rõ từ ngày 02/12/2026");
  EXPECT_EQ(statusOf(revocation, revoked_).state, RevocationState::Revoked);
  // The CA still serves the same list: refused as expired, the statuses as they were.
  const CrlSourceRecord again = fetchOnly(revocation);
  EXPECT_EQ(again.outcome, CrlOutcome::Expired) << again.detail;
  EXPECT_TRUE(logged(url_crl_, "expired"));
  EXPECT_EQ(statusOf(revocation, good_).as_of, kNow + 24h);
}

TEST_P(RevocationServiceTest, FetchesTheDistributionPointsOfCertificatesAgentsReported) {
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow - 24h);
  const Certificate pointed = issued("1003", {server_.url("/cdp/g2.crl")});
  const std::string at = formatIsoUtc(kNow - 24h);
  auto pushed = store_->ingest().push(
      agent,
      test::pushBatchOf(test::pushJson(
          {test::entryJson(1, newUuid(), "token_inserted", test::tokenBody("T1"), at),
           test::entryJson(2, newUuid(), "certificate_appeared",
                           test::certificateBody("T1", ders_["1003"]), at)})),
      kNow);
  ASSERT_TRUE(pushed) << pushed.error().message;
  ASSERT_EQ(pushed->kind, PushOutcome::Kind::Acked) << pushed->message;
  server_.serve("/cdp/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 7));
  auto revocation = service({});
  const CrlSourceRecord fetched = fetchOnly(revocation);
  EXPECT_EQ(fetched.url, server_.url("/cdp/g2.crl"));
  EXPECT_FALSE(fetched.configured);
  EXPECT_EQ(fetched.outcome, CrlOutcome::Accepted);
  EXPECT_EQ(server_.requests("/cdp/g2.crl"), 1);
  EXPECT_EQ(statusOf(revocation, pointed).state, RevocationState::Good);
}

// The feed (docs/revocation.md, "The feed"): each agency learns its own certificates' statuses,
// once per change.

TEST_P(RevocationServiceTest, EachAgencyIsToldItsOwnCertificatesStatusesOncePerChange) {
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow - 24h);
  const std::string other =
      test::enrollAgent(*store_, "QNG-BSO", "UBND xã Bình Sơn", "PC-02", kNow - 24h);
  issued("1003");
  report(agent, {"1001", "1002"});
  report(other, {"1003"});
  std::int64_t cursor = 0;
  std::int64_t other_cursor = 0;
  EXPECT_TRUE(told(agent, cursor).empty()) << "no list held yet: nothing to tell";
  EXPECT_TRUE(told(other, other_cursor).empty());

  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  EXPECT_EQ(
      told(agent, cursor),
      (std::map<std::string, RevocationStatus>{
          {"1001", {RevocationState::Good, kNow - 1h, std::nullopt, std::nullopt}},
          {"1002", {RevocationState::Revoked, kNow - 1h, kNow - 72h, CrlReason::KeyCompromise}}}));
  EXPECT_EQ(told(other, other_cursor),
            (std::map<std::string, RevocationStatus>{
                {"1003", {RevocationState::Good, kNow - 1h, std::nullopt, std::nullopt}}}))
      << "only the agency's own certificates";

  // The same list again, and an unrelated push: nothing changed, nothing queued.
  clock_.advance(6h);
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Unchanged);
  report(agent, {}, 4);
  EXPECT_TRUE(told(agent, cursor).empty());
  EXPECT_TRUE(told(other, other_cursor).empty());

  // A newer list revokes 1003: that agency hears of it; every certificate of the issuer is
  // told the newer list's times (until when its status holds, offline).
  ca_.revoke("1003", kNow + 5h, 4);
  server_.serve("/g2.crl", ca_.crl(kNow + 5h, kNow + 24h * 8, 8));
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  EXPECT_EQ(
      told(agent, cursor),
      (std::map<std::string, RevocationStatus>{
          {"1001", {RevocationState::Good, kNow + 5h, std::nullopt, std::nullopt}},
          {"1002", {RevocationState::Revoked, kNow + 5h, kNow - 72h, CrlReason::KeyCompromise}}}));
  EXPECT_EQ(
      told(other, other_cursor),
      (std::map<std::string, RevocationStatus>{
          {"1003", {RevocationState::Revoked, kNow + 5h, kNow + 5h, CrlReason::Superseded}}}));
  EXPECT_EQ(next_update_, kNow + 24h * 8);
}

TEST_P(RevocationServiceTest, AListGoneStaleTurnsGoodIntoUnknownOnceNotEveryRound) {
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow - 24h);
  report(agent, {"1001", "1002"});
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  std::int64_t cursor = 0;
  ASSERT_EQ(told(agent, cursor).size(), 2u);

  clock_.advance(24h * 30);  // the CA serves the same list a month later
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Expired);
  EXPECT_EQ(told(agent, cursor),
            (std::map<std::string, RevocationStatus>{
                {"1001", {RevocationState::Unknown, kNow + 24h, std::nullopt, std::nullopt}}}))
      << "a revocation stays; a good status becomes unknown since the list's nextUpdate";
  clock_.advance(1h);
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Expired);
  EXPECT_TRUE(told(agent, cursor).empty());
}

TEST_P(RevocationServiceTest, ACertificateReportedAfterTheListIsToldWithThePush) {
  server_.serve("/g2.crl", ca_.crl(kNow - 1h, kNow + 24h * 7, 7));
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow);
  clock_.advance(1h);
  report(agent, {"1002"});
  std::int64_t cursor = 0;
  EXPECT_EQ(
      told(agent, cursor),
      (std::map<std::string, RevocationStatus>{
          {"1002", {RevocationState::Revoked, kNow - 1h, kNow - 72h, CrlReason::KeyCompromise}}}));
  // A certificate of an issuer whose list the hub does not hold is not told: unknown.
  const test::TestCa foreign("CA của tổ chức khác");
  auto spec = test::individualSpec("Lê Văn Cường", kIssued, kIssued + 24h * 700);
  ders_["f1"] = foreign.issue(spec);
  report(agent, {"f1"}, 3);
  EXPECT_TRUE(told(agent, cursor).empty());
}

// Issue 16, "requests close themselves": the revocation the agency filed takes effect when the
// CA's list revokes the certificate; the request of a certificate still good stays open.
TEST_P(RevocationServiceTest, ARevocationRequestCompletesItselfWhenTheListRevokesTheCertificate) {
  const std::string agent =
      test::enrollAgent(*store_, "QNG-BCH", "UBND xã Bình Chương", "PC-01", kNow - 24h);
  issued("1003");
  report(agent, {"1001", "1003"});
  const auto filed = [&](const std::string& id, const std::string& serial, long seq) {
    const std::string body =
        R"({"request": {"id": ")" + id +
        R"(", "kind": "revocation", "state": "submitted", "form": "05", "fingerprint_sha256": ")" +
        sha256Hex(ders_[serial]) +
        R"(", "revocation_reason": "device_lost", "fields": {}, "handled_by": "provider", )"
        R"("created_at": "2026-11-30T02:00:00Z", "supersedes": []}})";
    auto pushed = store_->ingest().push(
        agent,
        test::pushBatchOf(test::pushJson({test::entryJson(seq, newUuid(), "request_filed", body,
                                                          formatIsoUtc(kNow - 1h))},
                                         "urgent"),
                          kNow),
        kNow);
    ASSERT_TRUE(pushed) << pushed.error().message;
    ASSERT_EQ(pushed->kind, PushOutcome::Kind::Acked) << pushed->message;
  };
  filed("r-1003", "1003", 1);
  filed("r-1001", "1001", 2);

  ca_.revoke("1003", kNow + 2h, 1);
  server_.serve("/g2.crl", ca_.crl(kNow + 3h, kNow + 24h * 7, 7));
  clock_.advance(4h);
  auto revocation = service({url_crl_});
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Accepted);

  const auto request = [&](const std::string& id) {
    auto found = store_->requestDesk().requests({"", std::nullopt, id, {}});
    EXPECT_TRUE(found && found->items.size() == 1);
    return found && found->items.size() == 1 ? found->items.front() : HubRequest{};
  };
  const HubRequest done = request("r-1003");
  EXPECT_EQ(done.request.state, RequestState::Completed);
  ASSERT_FALSE(done.history.empty());
  EXPECT_EQ(done.history.back().event, "completed");
  EXPECT_EQ(done.history.back().by, "revocation-list");
  EXPECT_EQ(done.history.back().at, kNow + 2h) << "the revocation's date";
  EXPECT_EQ(request("r-1001").request.state, RequestState::Received) << "1001 is still good";

  // The agent hears it as a step of its request.
  auto items = store_->ingest().feedAfter(agent, 0, sync::kMaxFeedItemsPerPull);
  ASSERT_TRUE(items) << items.error().message;
  std::vector<std::string> completed;
  for (const auto& item : *items) {
    if (item.kind != "request_status") continue;
    auto step = sync::readRequestStatusItem(*item.body);
    ASSERT_TRUE(step) << step.error().message;
    if (step->state == RequestState::Completed) completed.push_back(step->request_id);
  }
  EXPECT_EQ(completed, std::vector<std::string>{"r-1003"});

  // Nothing more on the next round: a completed request stays completed, told once.
  clock_.advance(6h);
  ASSERT_EQ(fetchOnly(revocation).outcome, CrlOutcome::Unchanged);
  auto again = store_->ingest().feedAfter(agent, items->back().seq, sync::kMaxFeedItemsPerPull);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty());
}

TEST_P(RevocationServiceTest, AFailingSourceIsTriedAgainAfterABackoffThatDoubles) {
  auto revocation = service({url_crl_});  // nothing served yet: 404
  for (const auto wait : {15min, 30min, 60min, 120min}) {
    auto due = revocation.fetchDue();
    ASSERT_TRUE(due) << due.error().message;
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().outcome, CrlOutcome::Unreachable);
    EXPECT_EQ(due->front().next_fetch, clock_.now() + wait);
    clock_.advance(wait - 1s);
    auto early = revocation.fetchDue();
    ASSERT_TRUE(early);
    EXPECT_TRUE(early->empty()) << "fetched before its next try";
    clock_.advance(1s);
  }
  EXPECT_EQ(server_.requests("/g2.crl"), 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, RevocationServiceTest, test::kStoreBackends,
                         test::storeBackendName);

// The real cks-hub with [revocation] set: it fetches on its own; `admin revocation` shows it.
class RevocationAdminTest : public ::testing::TestWithParam<test::StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == test::StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    const TimePoint now = SystemClock().now();
    ca_.revoke("1002", now - 72h, 1);
    server_.serve("/g2.crl", ca_.crl(now - 1h, now + 24h * 7, 7));
    std::ofstream(dir_.file("ca.pem"))
        << test::TestCa::pem(ca_.rootDer()) << test::TestCa::pem(ca_.issuingDer());
  }

  test::TestCa ca_;
  CrlServer server_;
  test::TempDir dir_;
  test::HubUnderTest hub_{
      dir_.path().string(),
      {.extra = "[revocation]\nca_files = ca.pem\ncrl_urls = " + server_.url("/g2.crl") + "\n",
       .store_url = test::storeUrlFor(GetParam())}};
};

TEST_P(RevocationAdminTest, TheHubFetchesTheListsAndTheAdminCommandShowsEachSource) {
  hub_.start();
  for (int i = 0; i < 100 && server_.requests("/g2.crl") == 0; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(server_.requests("/g2.crl"), 1) << hub_.log();
  hub_.stop();

  auto shown = hub_.admin({"revocation", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto sources = Poco::JSON::Parser().parse(shown.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(sources->size(), 1u) << shown.out;
  const auto source = sources->getObject(0);
  EXPECT_EQ(source->getValue<std::string>("url"), server_.url("/g2.crl"));
  EXPECT_EQ(source->getValue<std::string>("issuer"),
            parseCertificateDer(ca_.issuingDer(), {}).subject);
  EXPECT_EQ(source->getValue<int>("entries"), 1);
  EXPECT_EQ(source->getValue<std::string>("outcome"), "accepted");
  for (const char* key : {"this_update", "next_update", "last_fetch"}) {
    EXPECT_TRUE(parseIsoUtc(source->getValue<std::string>(key))) << key;
  }

  // The officer fetches now: the same list, unchanged; the table says so in Vietnamese.
  auto fetched = hub_.admin({"revocation", "fetch", "--wide"});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_NE(fetched.out.find("Không thay đổi"), std::string::npos) << fetched.out;
  EXPECT_NE(fetched.out.find("/g2.crl"), std::string::npos) << fetched.out;
  EXPECT_EQ(server_.requests("/g2.crl"), 2);
  EXPECT_EQ(hub_.admin({"revocation", "now"}).exit_code, 2);
}

// The issue's number: an agency of 300 certificates whose statuses have not changed pays nothing
// for them on a sync. Measured on the real hub over mutual TLS: the pull after an unchanged list
// is fetched again is byte for byte the size of the pull before it.
TEST_P(RevocationAdminTest, AnIdleSyncOfThreeHundredCertificatesCarriesNoStatusBytes) {
  hub_.start();
  for (int i = 0; i < 100 && server_.requests("/g2.crl") == 0; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(server_.requests("/g2.crl"), 1) << hub_.log();
  const auto agent = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const TimePoint issued = SystemClock().now() - 24h * 30;
  const std::string at = formatIsoUtc(issued);
  std::vector<std::string> entries = {
      test::entryJson(1, "t1", "token_inserted", test::tokenBody("T1"), at)};
  for (int i = 0; i < 300; ++i) {
    auto spec = test::individualSpec("Cán bộ " + std::to_string(i), issued, issued + 24h * 700);
    spec.serial_hex = std::to_string(1000 + i);  // 1002 is revoked
    entries.push_back(test::entryJson(long(entries.size()) + 1, "c" + std::to_string(i),
                                      "certificate_appeared",
                                      test::certificateBody("T1", ca_.issue(spec)), at));
  }
  const auto pushed = hub_.post(agent, "/v1/push", test::pushJson(entries));
  ASSERT_EQ(pushed.status, 200) << pushed.body;

  // The push told the statuses: 299 good, one revoked.
  const auto first = hub_.post(agent, "/v1/pull", R"({"cursor": 0})");
  ASSERT_EQ(first.status, 200) << first.body;
  std::map<std::string, int> states;
  const auto items = first.json()->getArray("items");
  for (unsigned i = 0; i < items->size(); ++i) {
    if (items->getObject(i)->getValue<std::string>("kind") != "revocation_status") continue;
    ++states[items->getObject(i)->getObject("body")->getValue<std::string>("status")];
  }
  EXPECT_EQ(states, (std::map<std::string, int>{{"good", 299}, {"revoked", 1}}));
  const std::string cursor =
      R"({"cursor": )" + std::to_string(first.json()->getValue<long>("cursor")) + "}";
  const auto idle = hub_.post(agent, "/v1/pull", cursor);
  ASSERT_EQ(idle.status, 200) << idle.body;

  // The officer fetches the same list again; another push of nothing new; the next pull.
  hub_.stop();
  ASSERT_EQ(hub_.admin({"revocation", "fetch"}).exit_code, 0);
  hub_.start();
  ASSERT_EQ(
      hub_.post(agent, "/v1/push",
                test::pushJson({test::entryJson(long(entries.size()) + 1, "t1-again",
                                                "token_inserted", test::tokenBody("T1"), at)}))
          .status,
      200);
  const auto after = hub_.post(agent, "/v1/pull", cursor);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json()->getArray("items")->size(), 0u) << after.body;
  EXPECT_EQ(after.body.size(), idle.body.size()) << idle.body << "\n" << after.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, RevocationAdminTest, test::kStoreBackends,
                         test::storeBackendName);

}  // namespace
}  // namespace cks::hub
