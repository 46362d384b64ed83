// The agent's requests on a real store file (docs/requests.md): filing writes the request, its
// first step and its outbox entry together; the conflict rules refuse without writing; a
// revocation cancels the renewal it supersedes; the hub's acknowledgement makes a request
// submitted; the province's feed applies once, and its rejection raises an alert that the
// alert rules leave alone.
#include "store/requests.h"

#include <gtest/gtest.h>

#include "core/alert_rules.h"
#include "core/time_format.h"
#include "store/alerts.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

const TimePoint kNow = *parseIsoUtc("2026-11-20T03:00:00Z");
const std::string kCert(64, 'a');

Request renewal(const std::string& fingerprint = kCert) {
  Request r;
  r.kind = RequestKind::Renewal;
  r.fingerprint_sha256 = fingerprint;
  r.handled_by = HandledBy::Province;
  return r;
}

Request revocation(const std::string& fingerprint = kCert) {
  Request r;
  r.kind = RequestKind::Revocation;
  r.fingerprint_sha256 = fingerprint;
  r.revocation_reason = RevocationReason::DeviceLost;
  return r;
}

class RequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Inventory::open((dir_.path() / "agent.db").string());
    ASSERT_TRUE(opened) << opened.error().message;
    inventory_ = std::move(*opened);
    requests_ = std::make_unique<Requests>(*inventory_);
    outbox_ = std::make_unique<Outbox>(*inventory_);
  }

  StoredRequest file(Request request) {
    auto filed = requests_->file(std::move(request), kNow);
    EXPECT_TRUE(filed) << filed.error().message;
    EXPECT_FALSE(filed->refusal) << filed->refusal->key;
    return filed->filed;
  }

  StoredRequest find(const std::string& id) {
    auto found = requests_->find(id);
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : StoredRequest{};
  }

  std::vector<OutboxRow> pending(const std::string& lane) { return *outbox_->pending(lane, 100); }

  RequestStatusUpdate status(const std::string& id, RequestState state,
                             const std::string& reason = "") {
    return {id, state, kNow + std::chrono::hours(1), "nguyen.van.b", reason, "", {}, {}};
  }

  test::TempDir dir_;
  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<Requests> requests_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(RequestsTest, FilingStoresTheRequestItsFirstStepAndItsOutboxEntryTogether) {
  const auto filed = file(renewal());
  EXPECT_EQ(filed.request.id.size(), 36u);
  EXPECT_EQ(filed.request.state, RequestState::Queued);

  const auto stored = find(filed.request.id);
  EXPECT_EQ(stored.request.kind, RequestKind::Renewal);
  EXPECT_EQ(stored.request.fingerprint_sha256, kCert);
  EXPECT_EQ(stored.request.created_at, kNow);
  ASSERT_EQ(stored.history.size(), 1u);
  EXPECT_EQ(stored.history[0].state, RequestState::Queued);
  EXPECT_EQ(stored.history[0].by, "agency");

  const auto normal = pending("normal");
  ASSERT_EQ(normal.size(), 1u);
  EXPECT_EQ(normal[0].kind, "request_filed");
  EXPECT_NE(normal[0].body.find("\"id\":\"" + filed.request.id + "\""), std::string::npos);
  EXPECT_NE(normal[0].body.find("\"state\":\"submitted\""), std::string::npos);
  EXPECT_NE(normal[0].body.find("\"form\":\"04\""), std::string::npos);
  EXPECT_TRUE(pending("urgent").empty());

  // A prefix of the id finds it too.
  EXPECT_EQ(find(filed.request.id.substr(0, 8)).request.id, filed.request.id);
}

TEST_F(RequestsTest, RevocationsAndRecoveriesTakeTheUrgentLane) {
  file(revocation());
  Request recovery;
  recovery.kind = RequestKind::DeviceRecovery;
  recovery.token_serial = "0A1B2C";
  file(recovery);
  EXPECT_EQ(pending("urgent").size(), 2u);
  EXPECT_TRUE(pending("normal").empty());
}

TEST_F(RequestsTest, AConflictIsRefusedAndNothingIsWritten) {
  file(renewal());
  auto second = requests_->file(renewal(), kNow);
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->refusal);
  EXPECT_EQ(second->refusal->key, "request.conflict_duplicate");
  EXPECT_EQ(requests_->list()->size(), 1u);
  EXPECT_EQ(pending("normal").size(), 1u);
}

// A merger's batch (docs/requests.md, "Merger batches"): all filed in one transaction, each
// checked against the stored requests and those before it; one refusal files none of them.
TEST_F(RequestsTest, ABatchIsFiledWholeOrNotAtAll) {
  const auto pending_renewal = file(renewal(std::string(64, 'c')));
  const std::vector<Request> conflicting{revocation(std::string(64, 'b')),
                                         renewal(std::string(64, 'd')),
                                         revocation(std::string(64, 'b'))};  // twice the same
  auto refused = requests_->fileBatch(conflicting, kNow);
  ASSERT_TRUE(refused) << refused.error().message;
  ASSERT_EQ(refused->refusals.size(), 1u);
  EXPECT_EQ(refused->refusals[0].first, 2u);
  EXPECT_TRUE(refused->filed.empty());
  EXPECT_EQ(requests_->list()->size(), 1u);
  EXPECT_EQ(pending("urgent").size(), 0u);
  EXPECT_EQ(pending("normal").size(), 1u);

  // The revocation of 'c' supersedes its pending renewal, inside the batch's transaction.
  const std::vector<Request> batch{revocation(std::string(64, 'b')),
                                   revocation(std::string(64, 'c')), renewal(std::string(64, 'd'))};
  auto filed = requests_->fileBatch(batch, kNow);
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_TRUE(filed->refusals.empty());
  ASSERT_EQ(filed->filed.size(), 3u);
  EXPECT_EQ(filed->filed[1].cancelled, std::vector<std::string>{pending_renewal.request.id});
  EXPECT_EQ(find(pending_renewal.request.id).request.state, RequestState::Cancelled);
  EXPECT_EQ(requests_->list()->size(), 4u);
  EXPECT_EQ(pending("urgent").size(), 2u);  // two filings (the cancellation rides 'normal')
  EXPECT_EQ(pending("normal").size(), 3u);  // the old renewal, its cancellation, the new one
}

TEST_F(RequestsTest, ARevocationCancelsThePendingRenewalInTheSameTransaction) {
  const auto renewing = file(renewal());
  auto revoked = requests_->file(revocation(), kNow);
  ASSERT_TRUE(revoked);
  ASSERT_FALSE(revoked->refusal);
  EXPECT_EQ(revoked->cancelled, std::vector<std::string>{renewing.request.id});
  EXPECT_EQ(revoked->filed.supersedes, std::vector<std::string>{renewing.request.id});

  const auto cancelled = find(renewing.request.id);
  EXPECT_EQ(cancelled.request.state, RequestState::Cancelled);
  EXPECT_NE(cancelled.request.reason.find(revoked->filed.request.id), std::string::npos);
  ASSERT_EQ(cancelled.history.size(), 2u);
  // The cancellation follows the filing in its lane, so the hub sees them in order.
  const auto normal = pending("normal");
  ASSERT_EQ(normal.size(), 2u);
  EXPECT_EQ(normal[1].kind, "request_cancelled");
  const auto urgent = pending("urgent");
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_NE(urgent[0].body.find("\"supersedes\":[\"" + renewing.request.id + "\"]"),
            std::string::npos);
  // A renewal while the revocation is open is refused.
  auto again = requests_->file(renewal(), kNow);
  ASSERT_TRUE(again && again->refusal);
  EXPECT_EQ(again->refusal->key, "request.conflict_revocation_pending");
}

TEST_F(RequestsTest, TheHubsAcknowledgementMakesAQueuedRequestSubmitted) {
  const auto filed = file(renewal());
  EXPECT_EQ(*requests_->markSubmitted(kNow), 0);
  EXPECT_EQ(find(filed.request.id).request.state, RequestState::Queued);
  ASSERT_TRUE(outbox_->acknowledge("normal", pending("normal").back().seq));
  EXPECT_EQ(*requests_->markSubmitted(kNow), 1);
  const auto sent = find(filed.request.id);
  EXPECT_EQ(sent.request.state, RequestState::Submitted);
  ASSERT_EQ(sent.history.size(), 2u);
  EXPECT_EQ(sent.history[1].state, RequestState::Submitted);
  EXPECT_EQ(*requests_->markSubmitted(kNow), 0);
}

TEST_F(RequestsTest, CancelWorksOnlyBeforeTheProvinceReceivedTheRequest) {
  const auto first = file(renewal());
  auto cancelled = requests_->cancel(first.request.id, "", kNow);
  ASSERT_TRUE(cancelled && *cancelled);
  EXPECT_FALSE((*cancelled)->refusal);
  EXPECT_EQ(find(first.request.id).request.state, RequestState::Cancelled);
  EXPECT_EQ(pending("normal").back().kind, "request_cancelled");

  const auto second = file(renewal());
  ASSERT_EQ(*requests_->applyStatus(status(second.request.id, RequestState::Received), kNow),
            StatusOutcome::Applied);
  const auto before = pending("normal").size();
  auto refused = requests_->cancel(second.request.id, "", kNow);
  ASSERT_TRUE(refused && *refused);
  ASSERT_TRUE((*refused)->refusal);
  EXPECT_EQ((*refused)->refusal->key, "request.transition_cancel_received");
  EXPECT_EQ(find(second.request.id).request.state, RequestState::Received);
  EXPECT_EQ(pending("normal").size(), before);

  auto unknown = requests_->cancel("no-such-request", "", kNow);
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(*unknown);
}

// The agency cancelled a request it had sent, while the province was already acting on it: the
// hub refuses that cancellation (HubRequestsTest), and its step wins here too, so both ends
// show the same state. The hub's receipt alone does not: the cancellation stands against it.
TEST_F(RequestsTest, AProvinceStepTakenBeforeTheCancellationArrivedWinsOverIt) {
  const auto filed = file(renewal());
  ASSERT_TRUE(outbox_->acknowledge("normal", pending("normal").back().seq));
  ASSERT_EQ(*requests_->markSubmitted(kNow), 1);
  auto cancelled = requests_->cancel(filed.request.id, "Đổi ý", kNow);
  ASSERT_TRUE(cancelled && *cancelled && !(*cancelled)->refusal);

  EXPECT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::Received), kNow),
            StatusOutcome::AlreadyPassed);
  EXPECT_EQ(find(filed.request.id).request.state, RequestState::Cancelled);

  EXPECT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::InProgress), kNow),
            StatusOutcome::Applied);
  const auto taken = find(filed.request.id);
  EXPECT_EQ(taken.request.state, RequestState::InProgress);
  EXPECT_EQ(taken.request.reason, "") << "the cancellation's reason is not the request's";
  EXPECT_EQ(taken.history.back().state, RequestState::InProgress);
  EXPECT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::Completed), kNow),
            StatusOutcome::Applied);
  EXPECT_EQ(find(filed.request.id).request.state, RequestState::Completed);
}

TEST_F(RequestsTest, TheFeedAppliesOnceAndARejectionRaisesAnAlertTheRulesLeaveAlone) {
  const auto filed = file(renewal());
  auto update = status(filed.request.id, RequestState::Received);
  update.due_date = parseDate("2026-11-25");
  update.handled_by = HandledBy::Provider;
  EXPECT_EQ(*requests_->applyStatus(update, kNow), StatusOutcome::Applied);
  EXPECT_EQ(*requests_->applyStatus(update, kNow), StatusOutcome::AlreadyPassed);
  auto received = find(filed.request.id);
  EXPECT_EQ(received.request.state, RequestState::Received);
  EXPECT_EQ(received.due_date, parseDate("2026-11-25"));
  EXPECT_EQ(received.request.handled_by, HandledBy::Provider);
  EXPECT_TRUE(received.request.received_at);

  EXPECT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::InProgress), kNow),
            StatusOutcome::Applied);
  // An old item arriving late changes nothing.
  EXPECT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::Received), kNow),
            StatusOutcome::AlreadyPassed);
  const auto rejected =
      status(filed.request.id, RequestState::Rejected, "Thiếu quyết định bổ nhiệm");
  EXPECT_EQ(*requests_->applyStatus(rejected, kNow), StatusOutcome::Applied);
  EXPECT_EQ(*requests_->applyStatus(rejected, kNow), StatusOutcome::AlreadyPassed);
  const auto done = find(filed.request.id);
  EXPECT_EQ(done.request.state, RequestState::Rejected);
  EXPECT_EQ(done.request.reason, "Thiếu quyết định bổ nhiệm");
  ASSERT_EQ(done.history.size(), 4u);
  EXPECT_EQ(done.history[3].by, "nguyen.van.b");

  EXPECT_EQ(*requests_->applyStatus(status("unknown-id", RequestState::Completed), kNow),
            StatusOutcome::UnknownRequest);

  Alerts alerts(*inventory_);
  auto open = alerts.list(false, kNow);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].kind, AlertKind::RequestRejected);
  const auto text = alertMessage(Language::Vietnamese, (*open)[0].text(), kNow);
  EXPECT_NE(text.find("Thiếu quyết định bổ nhiệm"), std::string::npos) << text;
  EXPECT_NE(text.find("Gia hạn"), std::string::npos) << text;

  // The periodic reconcile, with nothing holding, leaves it open; the officer acknowledges it.
  ASSERT_TRUE(alerts.reconcile(evaluateAlerts(AlertInputs{}, AlertPolicy{}, kNow), kNow));
  EXPECT_EQ(alerts.list(false, kNow)->size(), 1u);
  auto acked = alerts.acknowledge((*open)[0].id, kNow);
  ASSERT_TRUE(acked && *acked);
  EXPECT_EQ((*acked)->state, AlertState::Acknowledged);
}

TEST_F(RequestsTest, ACompletionRaisesItsAlertAndCountsAsARenewalDone) {
  const auto filed = file(renewal());
  EXPECT_EQ(*requests_->completedRenewals(kCert), 0);
  ASSERT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::Received), kNow),
            StatusOutcome::Applied);
  ASSERT_EQ(*requests_->applyStatus(status(filed.request.id, RequestState::Completed), kNow),
            StatusOutcome::Applied);
  EXPECT_EQ(*requests_->completedRenewals(kCert), 1);
  auto open = Alerts(*inventory_).list(false, kNow);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].kind, AlertKind::RequestCompleted);
  EXPECT_EQ((*open)[0].severity, Severity::Info);
  // Its outbox entry tells the province too.
  bool queued = false;
  for (const auto& row : pending("normal")) queued |= row.kind == "alert_raised";
  EXPECT_TRUE(queued);
}

}  // namespace
}  // namespace cks::store
