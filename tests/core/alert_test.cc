// The alert rules at their edges (docs/alerts.md): which threshold a number of days left
// crosses, the renewal deadline, tokens not seen, modules, the clock and the hub; and every
// kind's sentence in both languages.
#include "core/alert_rules.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace cks {
namespace {

using namespace std::chrono_literals;
constexpr auto kDay = std::chrono::hours(24);
const TimePoint kNow = std::chrono::sys_days{2026y / std::chrono::November / 22} + 8h;

InventoryCertificate certificate(TimePoint not_after, std::string token = "T1") {
  InventoryCertificate item;
  item.certificate.fingerprint_sha256 = "ab" + std::to_string(not_after.time_since_epoch().count());
  item.certificate.subject = "CN=Nguyễn Văn A, OU=UBND xã Bình Chương, O=UBND tỉnh Quảng Ngãi";
  item.certificate.common_name = "Nguyễn Văn A";
  item.certificate.organizational_units = {"Văn phòng", "UBND xã Bình Chương"};
  item.certificate.organization = "UBND tỉnh Quảng Ngãi";
  item.certificate.not_before = not_after - 3 * 365 * kDay;
  item.certificate.not_after = not_after;
  item.token_serial = std::move(token);
  item.token_label = "Chủ tịch";
  item.present = true;
  return item;
}

InventoryToken token(std::string serial, PinState pin, bool present, TimePoint last_seen) {
  InventoryToken item;
  item.token = Token{std::move(serial), "Feitian", "Văn thư", "ePass2003", pin};
  item.present = present;
  item.last_seen = last_seen;
  return item;
}

std::vector<AlertCondition> of(const AlertEvaluation& evaluation, AlertKind kind) {
  std::vector<AlertCondition> out;
  for (const auto& c : evaluation.conditions) {
    if (c.kind == kind) out.push_back(c);
  }
  return out;
}

std::optional<int> expiryThreshold(TimePoint not_after) {
  AlertInputs inputs;
  inputs.certificates = {certificate(not_after)};
  inputs.tokens = {token("T1", PinState::Ok, true, kNow)};
  const auto found =
      of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::CertificateExpiring);
  if (found.empty()) return std::nullopt;
  return found[0].threshold_days;
}

TEST(AlertRulesTest, DaysLeftCrossTheSmallestThresholdAtOrAboveThem) {
  EXPECT_EQ(expiryThreshold(kNow + 200 * kDay), std::nullopt);
  EXPECT_EQ(expiryThreshold(kNow + 91 * kDay), std::nullopt);
  EXPECT_EQ(expiryThreshold(kNow + 90 * kDay), 90);
  EXPECT_EQ(expiryThreshold(kNow + 31 * kDay), 60);
  EXPECT_EQ(expiryThreshold(kNow + 30 * kDay + 5h), 30);  // 30 whole days left
  EXPECT_EQ(expiryThreshold(kNow + 29 * kDay), 30);
  EXPECT_EQ(expiryThreshold(kNow + 2h), 1);  // 0 whole days left, not yet expired
  EXPECT_EQ(expiryThreshold(kNow - 1s), std::nullopt);
  AlertInputs inputs;
  inputs.certificates = {certificate(kNow - 1s)};
  const auto expired =
      of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::CertificateExpired);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(alertMessage(Language::Vietnamese, {expired[0].kind, 0, expired[0].params}, kNow),
            "Chứng thư số của Nguyễn Văn A (UBND xã Bình Chương) đã hết hạn từ ngày 22/11/2026 — "
            "không ký số được nữa, cần lập đề nghị cấp mới");
}

TEST(AlertRulesTest, SeverityFollowsTheThreshold) {
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpiring, 90), Severity::Info);
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpiring, 60), Severity::Info);
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpiring, 30), Severity::Warning);
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpiring, 14), Severity::Warning);
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpiring, 7), Severity::Critical);
  EXPECT_EQ(alertSeverity(AlertKind::CertificateExpired, 0), Severity::Critical);
  EXPECT_EQ(alertSeverity(AlertKind::RenewalDeadline, 14), Severity::Warning);
  EXPECT_EQ(alertSeverity(AlertKind::RenewalDeadline, 0), Severity::Critical);
  EXPECT_EQ(alertSeverity(AlertKind::TokenPinLocked, std::nullopt), Severity::Critical);
}

TEST(AlertRulesTest, TheRenewalDeadlineWarnsBeforeAndOnTheDayThenSettles) {
  // Expiry in 74 days: the last day to file (60 days before) is in 14 days.
  auto deadline = [](TimePoint not_after, TimePoint now) {
    AlertInputs inputs;
    inputs.certificates = {certificate(not_after)};
    return evaluateAlerts(inputs, AlertPolicy{}, now);
  };
  const TimePoint not_after = kNow + 74 * kDay + 1h;
  auto warned = of(deadline(not_after, kNow), AlertKind::RenewalDeadline);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].threshold_days, 14);
  EXPECT_EQ(alertMessage(Language::Vietnamese, {warned[0].kind, 14, warned[0].params}, kNow),
            "Hạn chót lập đề nghị gia hạn chứng thư số của Nguyễn Văn A (UBND xã Bình Chương) là "
            "ngày 06/12/2026 (còn 14 ngày)");
  EXPECT_TRUE(of(deadline(not_after, kNow - kDay), AlertKind::RenewalDeadline).empty());
  auto today = of(deadline(not_after, kNow + 14 * kDay + 30min), AlertKind::RenewalDeadline);
  ASSERT_EQ(today.size(), 1u);
  EXPECT_EQ(today[0].threshold_days, 0);
  const auto passed = deadline(not_after, kNow + 16 * kDay);
  EXPECT_TRUE(of(passed, AlertKind::RenewalDeadline).empty());
  ASSERT_EQ(passed.settled.size(), 1u);
  EXPECT_EQ(passed.settled[0].resolution, "deadline_passed");
}

TEST(AlertRulesTest, TokensModulesClockAndHub) {
  AlertInputs inputs;
  inputs.tokens = {token("OLD", PinState::Ok, false, kNow - 181 * kDay),
                   token("RECENT", PinState::Ok, false, kNow - 100 * kDay),
                   token("FINAL", PinState::FinalTry, true, kNow)};
  inputs.modules = {{"/usr/lib/vendor.so", "timeout", "no answer in 10 s", kNow - 1h},
                    {"/usr/lib/softhsm/libsofthsm2.so", "ok", "", kNow}};
  inputs.clock_offset = std::chrono::seconds(-420);
  inputs.enrolled = true;
  inputs.last_hub_contact = kNow - 3 * kDay - 1s;
  const auto evaluation = evaluateAlerts(inputs, AlertPolicy{}, kNow);

  const auto not_seen = of(evaluation, AlertKind::TokenNotSeen);
  ASSERT_EQ(not_seen.size(), 1u);
  EXPECT_EQ(not_seen[0].token_serial, "OLD");
  EXPECT_EQ(
      alertMessage(Language::Vietnamese, {AlertKind::TokenNotSeen, 180, not_seen[0].params}, kNow),
      "Token OLD (Văn thư) không được cắm vào máy từ ngày 25/05/2026 (181 ngày) — cân nhắc "
      "đề nghị thu hồi");
  ASSERT_EQ(of(evaluation, AlertKind::TokenPinFinalTry).size(), 1u);
  const auto module = of(evaluation, AlertKind::ModuleFailing);
  ASSERT_EQ(module.size(), 1u);
  EXPECT_EQ(module[0].subject(), "module:/usr/lib/vendor.so");
  const auto clock = of(evaluation, AlertKind::ClockOffset);
  ASSERT_EQ(clock.size(), 1u);
  EXPECT_EQ(alertMessage(Language::English, {AlertKind::ClockOffset, {}, clock[0].params}, kNow),
            "This PC's clock is -420 seconds off the province's server — set the time right");
  ASSERT_EQ(of(evaluation, AlertKind::HubUnreachable).size(), 1u);

  // Within tolerance, recently synced, not enrolled: nothing, and the kinds say what was judged.
  inputs.clock_offset = std::chrono::seconds(120);
  inputs.last_hub_contact = kNow - kDay;
  EXPECT_TRUE(of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::ClockOffset).empty());
  EXPECT_TRUE(of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::HubUnreachable).empty());
  inputs.enrolled = false;
  inputs.clock_offset.reset();
  const auto unjudged = evaluateAlerts(inputs, AlertPolicy{}, kNow).evaluated;
  EXPECT_EQ(std::count(unjudged.begin(), unjudged.end(), AlertKind::ClockOffset), 0);
  EXPECT_EQ(std::count(unjudged.begin(), unjudged.end(), AlertKind::HubUnreachable), 0);
}

// Issue 15, finding 2: the agent's own certificate for the hub is renewed from 90 days on; with
// 30 days left (the renewal keeps failing) local IT is told, in words with the date.
TEST(AlertRulesTest, TheAgentsOwnCertificateWithThirtyDaysLeftIsAnAlertUntilItIsRenewed) {
  AlertInputs inputs;
  inputs.enrolled = true;
  inputs.last_hub_contact = kNow - kDay;
  inputs.agent_certificate_not_after = kNow + 31 * kDay;
  EXPECT_TRUE(
      of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::AgentCertificateExpiring).empty());
  inputs.agent_certificate_not_after = kNow + 30 * kDay;
  const auto evaluation = evaluateAlerts(inputs, AlertPolicy{}, kNow);
  const auto expiring = of(evaluation, AlertKind::AgentCertificateExpiring);
  ASSERT_EQ(expiring.size(), 1u);
  EXPECT_EQ(alertSeverity(AlertKind::AgentCertificateExpiring, 30), Severity::Warning);
  EXPECT_EQ(alertMessage(Language::Vietnamese,
                         {AlertKind::AgentCertificateExpiring, 30, expiring[0].params}, kNow),
            "Chứng chỉ kết nối của máy này với Sở KH&CN hết hạn ngày 22/12/2026 (còn 30 ngày) "
            "mà chưa gia hạn được — hãy kiểm tra kết nối tới hub; nếu vẫn không được, hãy báo "
            "Sở KH&CN");
  // Renewed: the new certificate's end is far off, and the condition is gone.
  inputs.agent_certificate_not_after = kNow + 730 * kDay;
  EXPECT_TRUE(
      of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::AgentCertificateExpiring).empty());
  // Judged only once enrolled.
  inputs.enrolled = false;
  const auto unjudged = evaluateAlerts(inputs, AlertPolicy{}, kNow).evaluated;
  EXPECT_EQ(std::count(unjudged.begin(), unjudged.end(), AlertKind::AgentCertificateExpiring), 0);
}

TEST(AlertRulesTest, ACertificateDeletedFromAPluggedTokenIsNotWatched) {
  AlertInputs inputs;
  auto deleted = certificate(kNow + 10 * kDay);
  deleted.present = false;
  inputs.certificates = {deleted};
  inputs.tokens = {token("T1", PinState::Ok, true, kNow)};
  EXPECT_TRUE(evaluateAlerts(inputs, AlertPolicy{}, kNow).conditions.empty());
  // On a token that is unplugged, it is still there: watched.
  inputs.tokens = {token("T1", PinState::Ok, false, kNow - kDay)};
  EXPECT_EQ(of(evaluateAlerts(inputs, AlertPolicy{}, kNow), AlertKind::CertificateExpiring).size(),
            1u);
}

TEST(AlertTextTest, EveryKindHasItsWordsInBothLanguagesAndItsWireName) {
  for (const auto kind : allAlertKinds()) {
    AlertKind parsed{};
    ASSERT_TRUE(parseAlertKind(toString(kind), parsed));
    EXPECT_EQ(parsed, kind);
    const AlertText text{kind, 30, {{"name", "A"}, {"token", "T"}, {"module", "m.so"}}};
    for (const auto language : {Language::Vietnamese, Language::English}) {
      const auto sentence = alertMessage(language, text, kNow);
      EXPECT_EQ(sentence.find('['), std::string::npos) << toString(kind) << ": " << sentence;
      EXPECT_FALSE(sentence.empty());
    }
  }
  AlertKind unknown{};
  EXPECT_FALSE(parseAlertKind("certificate_exploded", unknown));
}

// The advice an expiry alert gives follows the request rules and the requests filed (issue 12:
// with 24 days left the alert said "file a renewal", which the rules then refused).
AlertEvaluation evaluatedWith(const InventoryCertificate& item,
                              const std::vector<Request>& requests, TimePoint now = kNow) {
  AlertInputs inputs;
  inputs.certificates = {item};
  inputs.tokens = {token("T1", PinState::Ok, true, now)};
  auto evaluation = evaluateAlerts(inputs, AlertPolicy{}, now);
  adviseOnRequests(evaluation, requests, RequestPolicy{}, now);
  return evaluation;
}

Request requestAbout(const InventoryCertificate& item, RequestKind kind, RequestState state) {
  Request request;
  request.id = "0f1e2d3c-0000-4000-8000-000000000001";
  request.kind = kind;
  request.state = state;
  request.fingerprint_sha256 = item.certificate.fingerprint_sha256;
  request.created_at = kNow - 2 * kDay;
  return request;
}

TEST(AlertAdviceTest, TooLateToRenewAdvisesANewCertificateLikeTheRequestRules) {
  const auto late = certificate(kNow + 24 * kDay);
  const auto expiring = of(evaluatedWith(late, {}), AlertKind::CertificateExpiring);
  ASSERT_EQ(expiring.size(), 1u);
  EXPECT_EQ(expiring[0].params.at("advice"), "new");
  EXPECT_FALSE(renewalAllowed(RequestPolicy{}, 24, 0));
  const AlertText text{expiring[0].kind, expiring[0].threshold_days, expiring[0].params};
  const auto vi = alertMessage(Language::Vietnamese, text, kNow);
  EXPECT_NE(vi.find("cần lập đề nghị cấp mới"), std::string::npos) << vi;
  EXPECT_EQ(vi.find("cần lập đề nghị gia hạn"), std::string::npos) << vi;
  EXPECT_NE(vi.find("60 ngày"), std::string::npos) << vi;

  // In time, and not renewed yet: a renewal; once renewed as often as allowed: a new one.
  const auto in_time = certificate(kNow + 80 * kDay);
  EXPECT_EQ(of(evaluatedWith(in_time, {}), AlertKind::CertificateExpiring)[0].params.at("advice"),
            "renew");
  const auto renewed_once = requestAbout(in_time, RequestKind::Renewal, RequestState::Completed);
  EXPECT_EQ(of(evaluatedWith(in_time, {renewed_once}), AlertKind::CertificateExpiring)[0].params.at(
                "advice"),
            "done");
}

TEST(AlertAdviceTest, AFiledRequestIsNamedInsteadOfAskingAgain) {
  const auto item = certificate(kNow + 70 * kDay);
  const auto filed = requestAbout(item, RequestKind::Renewal, RequestState::Submitted);
  const auto evaluation = evaluatedWith(item, {filed});
  const auto expiring = of(evaluation, AlertKind::CertificateExpiring);
  ASSERT_EQ(expiring.size(), 1u);
  EXPECT_EQ(expiring[0].params.at("advice"), "filed");
  EXPECT_EQ(expiring[0].params.at("request_id"), filed.id);
  const AlertText text{expiring[0].kind, expiring[0].threshold_days, expiring[0].params};
  const auto vi = alertMessage(Language::Vietnamese, text, kNow);
  EXPECT_NE(vi.find("đã lập đề nghị gia hạn chứng thư số ngày 20/11/2026 (0f1e2d3c)"),
            std::string::npos)
      << vi;
  const auto en = alertMessage(Language::English, text, kNow);
  EXPECT_NE(en.find("was filed on 20/11/2026"), std::string::npos) << en;
  // A cancelled or rejected request no longer counts: the alert asks again.
  auto cancelled = filed;
  cancelled.state = RequestState::Cancelled;
  EXPECT_EQ(
      of(evaluatedWith(item, {cancelled}), AlertKind::CertificateExpiring)[0].params.at("advice"),
      "renew");
}

TEST(AlertAdviceTest, ACompletedRenewalOrNewCertificateSettlesTheRenewalDeadline) {
  // 70 days left: the renewal deadline (60 days before expiry) is 10 days away.
  const auto item = certificate(kNow + 70 * kDay);
  ASSERT_EQ(of(evaluatedWith(item, {}), AlertKind::RenewalDeadline).size(), 1u);
  for (const auto kind : {RequestKind::Renewal, RequestKind::NewCertificate}) {
    const auto evaluation =
        evaluatedWith(item, {requestAbout(item, kind, RequestState::Completed)});
    EXPECT_TRUE(of(evaluation, AlertKind::RenewalDeadline).empty()) << toString(kind);
    ASSERT_EQ(evaluation.settled.size(), 1u);
    EXPECT_EQ(evaluation.settled[0].resolution, "request_completed");
    EXPECT_EQ(evaluation.settled[0].kinds, std::vector<AlertKind>{AlertKind::RenewalDeadline});
  }
}

}  // namespace
}  // namespace cks
