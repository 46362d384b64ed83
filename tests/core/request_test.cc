// The request model (docs/requests.md): wire names, forms, every transition of the state
// machine (allowed and refused, with the refusal's words), and the conflict rules between
// requests for the same certificate.
#include "core/request.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace cks {
namespace {

using S = RequestState;

Request request(std::string id, RequestKind kind, std::string fingerprint, S state = S::Queued) {
  Request r;
  r.id = std::move(id);
  r.kind = kind;
  r.fingerprint_sha256 = std::move(fingerprint);
  r.state = state;
  return r;
}

std::string vi(const std::optional<Refusal>& refusal) {
  return refusal ? refusal->text(Language::Vietnamese) : "(allowed)";
}
std::string en(const std::optional<Refusal>& refusal) {
  return refusal ? refusal->text(Language::English) : "(allowed)";
}

TEST(RequestTest, WireNamesAreTheContractsAndRoundTrip) {
  EXPECT_EQ(toString(RequestKind::NewCertificate), "new_certificate");
  EXPECT_EQ(toString(RequestKind::Renewal), "renewal");
  EXPECT_EQ(toString(RequestKind::ChangeOfInformation), "change_of_information");
  EXPECT_EQ(toString(RequestKind::Revocation), "revocation");
  EXPECT_EQ(toString(RequestKind::DeviceRecovery), "device_recovery");
  EXPECT_EQ(toString(S::ForwardedToProvider), "forwarded_to_provider");
  EXPECT_EQ(toString(S::InProgress), "in_progress");
  EXPECT_EQ(toString(HandledBy::Province), "province");
  EXPECT_EQ(toString(HandledBy::Provider), "provider");

  for (const RequestKind kind : allRequestKinds()) {
    RequestKind back{};
    ASSERT_TRUE(parseRequestKind(toString(kind), back)) << toString(kind);
    EXPECT_EQ(back, kind);
  }
  for (const S state : allRequestStates()) {
    S back{};
    ASSERT_TRUE(parseRequestState(toString(state), back)) << toString(state);
    EXPECT_EQ(back, state);
  }
  for (const ChangeCase change_case : allChangeCases()) {
    ChangeCase back{};
    ASSERT_TRUE(parseChangeCase(toString(change_case), back));
    EXPECT_EQ(back, change_case);
  }
  for (const RevocationReason reason : allRevocationReasons()) {
    RevocationReason back{};
    ASSERT_TRUE(parseRevocationReason(toString(reason), back));
    EXPECT_EQ(back, reason);
  }
  HandledBy handled_by{};
  EXPECT_TRUE(parseHandledBy("province", handled_by));
  EXPECT_EQ(handled_by, HandledBy::Province);
  EXPECT_EQ(allRequestStates().size(), 9u);
}

TEST(RequestTest, UnknownNamesAreRefusedAndLeaveTheValueAlone) {
  RequestKind kind = RequestKind::Renewal;
  EXPECT_FALSE(parseRequestKind("renew", kind));
  EXPECT_FALSE(parseRequestKind("", kind));
  EXPECT_FALSE(parseRequestKind("Renewal", kind));
  EXPECT_EQ(kind, RequestKind::Renewal);
  S state = S::Draft;
  EXPECT_FALSE(parseRequestState("forwarded", state));
  EXPECT_EQ(state, S::Draft);
  Form form = Form::Revocation;
  EXPECT_FALSE(parseForm("07", form));
  EXPECT_FALSE(parseForm("4", form));
  EXPECT_EQ(form, Form::Revocation);
  ChangeCase change_case = ChangeCase::DeviceName;
  EXPECT_FALSE(parseChangeCase("email", change_case));
  EXPECT_EQ(change_case, ChangeCase::DeviceName);
}

TEST(RequestTest, EachKindIsFiledOnItsForm) {
  Request r;
  r.kind = RequestKind::NewCertificate;
  r.subscriber = SubscriberKind::Individual;
  EXPECT_EQ(toString(*formOf(r)), "01");
  r.subscriber = SubscriberKind::Organization;
  EXPECT_EQ(toString(*formOf(r)), "02");
  r.subscriber = SubscriberKind::Device;
  EXPECT_EQ(toString(*formOf(r)), "03");
  r.subscriber = SubscriberKind::Unknown;
  EXPECT_EQ(formOf(r), std::nullopt);
  r.kind = RequestKind::Renewal;
  EXPECT_EQ(toString(*formOf(r)), "04");
  r.kind = RequestKind::ChangeOfInformation;
  EXPECT_EQ(toString(*formOf(r)), "04");
  r.kind = RequestKind::Revocation;
  EXPECT_EQ(toString(*formOf(r)), "05");
  r.kind = RequestKind::DeviceRecovery;
  EXPECT_EQ(toString(*formOf(r)), "06");

  Form form{};
  ASSERT_TRUE(parseForm("06", form));
  EXPECT_EQ(form, Form::DeviceRecovery);
}

TEST(RequestTest, ARevocationIsFollowedByAHandoverRecordOrALostDeviceRecord) {
  Request r = request("r1", RequestKind::Revocation, "ab");
  r.revocation_reason = RevocationReason::HolderLeft;
  ASSERT_EQ(followUpForms(r).size(), 1u);
  EXPECT_EQ(toString(followUpForms(r)[0]), "08");
  r.revocation_reason = RevocationReason::DeviceLost;
  ASSERT_EQ(followUpForms(r).size(), 1u);
  EXPECT_EQ(toString(followUpForms(r)[0]), "09");
  EXPECT_TRUE(followUpForms(request("r2", RequestKind::Renewal, "ab")).empty());
}

TEST(RequestTest, ExactlyTheProcedureSStepsAreAllowed) {
  const std::set<std::pair<S, S>> allowed{
      {S::Draft, S::Queued},
      {S::Draft, S::Cancelled},
      {S::Queued, S::Submitted},
      {S::Queued, S::Cancelled},
      {S::Submitted, S::Received},
      {S::Submitted, S::Cancelled},
      {S::Received, S::InProgress},
      {S::Received, S::ForwardedToProvider},
      {S::Received, S::Rejected},
      {S::InProgress, S::Completed},
      {S::InProgress, S::Rejected},
      {S::ForwardedToProvider, S::Completed},
      {S::ForwardedToProvider, S::Rejected},
  };
  int refused = 0;
  for (const S from : allRequestStates()) {
    for (const S to : allRequestStates()) {
      const auto refusal = checkTransition(from, to);
      const bool expected = allowed.contains({from, to});
      EXPECT_EQ(!refusal.has_value(), expected) << toString(from) << " -> " << toString(to);
      if (!refusal) continue;
      ++refused;
      // Every refusal reads as a sentence in both languages, with both states named.
      EXPECT_EQ(vi(refusal).find('['), std::string::npos) << vi(refusal);
      EXPECT_EQ(en(refusal).find('{'), std::string::npos) << en(refusal);
    }
  }
  EXPECT_EQ(refused, 81 - 13);
}

TEST(RequestTest, AFinishedRequestGoesNowhere) {
  for (const S done : {S::Completed, S::Rejected, S::Cancelled}) {
    EXPECT_TRUE(isTerminal(done));
    for (const S to : allRequestStates()) {
      const auto refusal = checkTransition(done, to);
      ASSERT_TRUE(refusal);
      EXPECT_EQ(refusal->key, "request.transition_finished");
    }
  }
  EXPECT_EQ(vi(checkTransition(S::Completed, S::Cancelled)),
            "Đề nghị đã kết thúc («Hoàn thành»), không thể chuyển sang «Đã hủy»");
  EXPECT_EQ(en(checkTransition(S::Rejected, S::InProgress)),
            "The request is finished (\"Rejected\") and cannot become \"In progress\"");
  for (const S open :
       {S::Draft, S::Queued, S::Submitted, S::Received, S::InProgress, S::ForwardedToProvider}) {
    EXPECT_FALSE(isTerminal(open)) << toString(open);
  }
}

TEST(RequestTest, CancellingIsRefusedOnceTheProvinceHasTheRequest) {
  for (const S before : {S::Draft, S::Queued, S::Submitted}) {
    EXPECT_FALSE(checkTransition(before, S::Cancelled)) << toString(before);
  }
  for (const S after : {S::Received, S::InProgress, S::ForwardedToProvider}) {
    const auto refusal = checkTransition(after, S::Cancelled);
    ASSERT_TRUE(refusal) << toString(after);
    EXPECT_EQ(refusal->key, "request.transition_cancel_received");
  }
  EXPECT_EQ(vi(checkTransition(S::Received, S::Cancelled)),
            "Không thể hủy đề nghị ở trạng thái «Sở KH&CN đã tiếp nhận»: Sở KH&CN đã tiếp nhận — "
            "hãy đề nghị Sở từ chối đề nghị này");
  EXPECT_EQ(en(checkTransition(S::ForwardedToProvider, S::Cancelled)),
            "A request in state \"Forwarded to the provider\" cannot be cancelled: the province "
            "has received it — ask the province to reject it");
}

TEST(RequestTest, StayingInTheSameStateIsNotATransition) {
  for (const S state :
       {S::Draft, S::Queued, S::Submitted, S::Received, S::InProgress, S::ForwardedToProvider}) {
    const auto refusal = checkTransition(state, state);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->key, "request.transition_same");
  }
  EXPECT_EQ(vi(checkTransition(S::Queued, S::Queued)), "Đề nghị đã ở trạng thái «Chờ gửi»");
  EXPECT_EQ(en(checkTransition(S::Queued, S::Queued)), "The request is already \"Queued\"");
}

TEST(RequestTest, SkippingOrReversingAStepIsRefusedNamingBothStates) {
  for (const auto& [from, to] :
       std::vector<std::pair<S, S>>{{S::Draft, S::Submitted},
                                    {S::Queued, S::Received},
                                    {S::Submitted, S::InProgress},
                                    {S::Submitted, S::Rejected},
                                    {S::Received, S::Completed},
                                    {S::InProgress, S::Received},
                                    {S::InProgress, S::ForwardedToProvider},
                                    {S::ForwardedToProvider, S::InProgress},
                                    {S::Queued, S::Draft}}) {
    const auto refusal = checkTransition(from, to);
    ASSERT_TRUE(refusal) << toString(from) << " -> " << toString(to);
    EXPECT_EQ(refusal->key, "request.transition_not_allowed");
  }
  EXPECT_EQ(vi(checkTransition(S::Draft, S::Submitted)),
            "Không thể chuyển đề nghị từ «Bản nháp» sang «Đã gửi»");
  EXPECT_EQ(en(checkTransition(S::Received, S::Completed)),
            "A request cannot go from \"Received by the province\" to \"Completed\"");
}

TEST(RequestTest, ARequestWalksThroughTheProvinceOrTheProvider) {
  Request at_province = request("r1", RequestKind::Renewal, "ab", S::Draft);
  for (const S step : {S::Queued, S::Submitted, S::Received, S::InProgress, S::Completed}) {
    EXPECT_FALSE(applyTransition(at_province, step)) << toString(step);
    EXPECT_EQ(at_province.state, step);
  }
  Request at_provider = request("r2", RequestKind::Revocation, "ab", S::Received);
  EXPECT_FALSE(applyTransition(at_provider, S::ForwardedToProvider));
  EXPECT_FALSE(applyTransition(at_provider, S::Completed));
  EXPECT_EQ(at_provider.state, S::Completed);
}

TEST(RequestTest, ARejectionMustSayWhyAndKeepsTheReason) {
  Request r = request("r1", RequestKind::Renewal, "ab", S::InProgress);
  const auto refusal = applyTransition(r, S::Rejected, "  ");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->key, "request.reject_reason_missing");
  EXPECT_EQ(vi(refusal), "Từ chối đề nghị phải nêu rõ lý do (--reason)");
  EXPECT_EQ(en(refusal), "A rejection must give its reason (--reason)");
  EXPECT_EQ(r.state, S::InProgress);
  EXPECT_TRUE(r.reason.empty());

  EXPECT_FALSE(applyTransition(r, S::Rejected, "Chứng thư số còn hơn 60 ngày? Không: đã hết hạn"));
  EXPECT_EQ(r.state, S::Rejected);
  EXPECT_EQ(r.reason, "Chứng thư số còn hơn 60 ngày? Không: đã hết hạn");
}

TEST(RequestTest, ARefusedTransitionLeavesTheRequestUnchanged) {
  Request r = request("r1", RequestKind::Renewal, "ab", S::Received);
  const auto refusal = applyTransition(r, S::Cancelled, "không cần nữa");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(r.state, S::Received);
  EXPECT_TRUE(r.reason.empty());
  Request draft = request("r2", RequestKind::Renewal, "ab", S::Draft);
  EXPECT_FALSE(applyTransition(draft, S::Cancelled, "nhập nhầm"));
  EXPECT_EQ(draft.state, S::Cancelled);
  EXPECT_EQ(draft.reason, "nhập nhầm");
}

TEST(RequestTest, TwoOpenRequestsOfOneKindForOneCertificateAreRefused) {
  const std::vector<Request> existing{request("r1", RequestKind::Renewal, "aa", S::Submitted)};
  const auto check = checkConflicts(request("r2", RequestKind::Renewal, "aa"), existing);
  ASSERT_TRUE(check.refusal);
  EXPECT_EQ(check.refusal->key, "request.conflict_duplicate");
  EXPECT_EQ(check.refusal->text(Language::Vietnamese),
            "Đã có đề nghị «Gia hạn chứng thư số» cho aa đang mở (mã r1, trạng thái: Đã gửi) — "
            "không lập thêm đề nghị trùng");
  EXPECT_EQ(check.refusal->text(Language::English),
            "An open \"Certificate renewal\" request for aa already exists (ID r1, state: "
            "Submitted) — no duplicate is filed");
  EXPECT_TRUE(check.supersedes.empty());
}

TEST(RequestTest, FinishedRequestsOtherCertificatesAndOtherKindsDoNotConflict) {
  const std::vector<Request> existing{
      request("done", RequestKind::Renewal, "aa", S::Completed),
      request("rejected", RequestKind::Renewal, "aa", S::Rejected),
      request("cancelled", RequestKind::Renewal, "aa", S::Cancelled),
      request("other", RequestKind::Renewal, "bb", S::Queued),
      request("change", RequestKind::ChangeOfInformation, "aa", S::InProgress),
  };
  const auto check = checkConflicts(request("new", RequestKind::Renewal, "aa"), existing);
  EXPECT_FALSE(check.refusal) << check.refusal->text(Language::English);
  EXPECT_TRUE(check.supersedes.empty());
}

TEST(RequestTest, ARequestDoesNotConflictWithItself) {
  const Request r = request("r1", RequestKind::Renewal, "aa");
  const std::vector<Request> existing{r};
  EXPECT_FALSE(checkConflicts(r, existing).refusal);
}

TEST(RequestTest, ARevocationSupersedesTheOpenRenewalsAndChangesOfItsCertificate) {
  const std::vector<Request> existing{
      request("renew", RequestKind::Renewal, "aa", S::Queued),
      request("change", RequestKind::ChangeOfInformation, "aa", S::ForwardedToProvider),
      request("renew-done", RequestKind::Renewal, "aa", S::Completed),
      request("change-cancelled", RequestKind::ChangeOfInformation, "aa", S::Cancelled),
      request("renew-rejected", RequestKind::Renewal, "aa", S::Rejected),
      request("other-cert", RequestKind::Renewal, "bb", S::Queued),
      request("recovery", RequestKind::DeviceRecovery, "", S::Queued),
  };
  Request revoke = request("rv", RequestKind::Revocation, "aa");
  revoke.revocation_reason = RevocationReason::UnitReorganized;
  const auto check = checkConflicts(revoke, existing);
  EXPECT_FALSE(check.refusal);
  EXPECT_EQ(check.supersedes, (std::vector<std::string>{"renew", "change"}));
  EXPECT_EQ(supersededBy("rv").text(Language::Vietnamese), "Được thay thế bởi đề nghị thu hồi rv");
  EXPECT_EQ(supersededBy("rv").text(Language::English), "Superseded by revocation request rv");
}

TEST(RequestTest, ASecondRevocationIsRefusedAndSupersedesNothing) {
  const std::vector<Request> existing{
      request("renew", RequestKind::Renewal, "aa", S::Queued),
      request("rv1", RequestKind::Revocation, "aa", S::Received),
  };
  const auto check = checkConflicts(request("rv2", RequestKind::Revocation, "aa"), existing);
  ASSERT_TRUE(check.refusal);
  EXPECT_EQ(check.refusal->key, "request.conflict_duplicate");
  EXPECT_TRUE(check.supersedes.empty());
}

TEST(RequestTest, NoRenewalOrChangeForACertificateBeingRevoked) {
  const std::vector<Request> existing{request("rv", RequestKind::Revocation, "aa", S::Submitted)};
  for (const RequestKind kind : {RequestKind::Renewal, RequestKind::ChangeOfInformation}) {
    const auto check = checkConflicts(request("x", kind, "aa"), existing);
    ASSERT_TRUE(check.refusal) << toString(kind);
    EXPECT_EQ(check.refusal->key, "request.conflict_revocation_pending");
  }
  const auto check = checkConflicts(request("x", RequestKind::Renewal, "aa"), existing);
  EXPECT_EQ(check.refusal->text(Language::Vietnamese),
            "Chứng thư số aa đang có đề nghị thu hồi (mã rv) — không lập đề nghị «Gia hạn chứng "
            "thư số» cho chứng thư số sắp bị thu hồi");
  EXPECT_EQ(check.refusal->text(Language::English),
            "Certificate aa has an open revocation request (ID rv) — no \"Certificate renewal\" "
            "request is filed for a certificate being revoked");
  // Once the revocation is rejected, the certificate may be renewed again.
  const std::vector<Request> rejected{request("rv", RequestKind::Revocation, "aa", S::Rejected)};
  EXPECT_FALSE(checkConflicts(request("x", RequestKind::Renewal, "aa"), rejected).refusal);
}

TEST(RequestTest, RecoveriesConflictByTokenAndNewCertificatesByPersonOrName) {
  Request recovery = request("rc1", RequestKind::DeviceRecovery, "");
  recovery.token_serial = "0A1B2C";
  Request again = recovery;
  again.id = "rc2";
  EXPECT_TRUE(checkConflicts(again, std::vector<Request>{recovery}).refusal);
  again.token_serial = "FFFF";
  EXPECT_FALSE(checkConflicts(again, std::vector<Request>{recovery}).refusal);

  Request person = request("n1", RequestKind::NewCertificate, "");
  person.subscriber = SubscriberKind::Individual;
  person.fields = {{"id_number", "051090001234"}, {"full_name", "Nguyễn Văn A"}};
  Request same_person = person;
  same_person.id = "n2";
  same_person.fields["full_name"] = "Nguyễn Văn An";
  EXPECT_TRUE(checkConflicts(same_person, std::vector<Request>{person}).refusal);
  same_person.fields["id_number"] = "051090009999";
  EXPECT_FALSE(checkConflicts(same_person, std::vector<Request>{person}).refusal);

  Request commune = request("n3", RequestKind::NewCertificate, "");
  commune.subscriber = SubscriberKind::Organization;
  commune.fields = {{"name", "UBND PHƯỜNG CẨM THÀNH"}};
  Request twice = commune;
  twice.id = "n4";
  EXPECT_TRUE(checkConflicts(twice, std::vector<Request>{commune}).refusal);
  // Without an ID number or name there is nothing to compare: validation refuses it instead.
  Request blank = request("n5", RequestKind::NewCertificate, "");
  blank.subscriber = SubscriberKind::Individual;
  EXPECT_FALSE(checkConflicts(blank, std::vector<Request>{blank, person}).refusal);
}

TEST(RequestTest, EveryStateKindCaseAndReasonHasALabelInBothLanguages) {
  std::vector<std::string> keys;
  for (const S state : allRequestStates())
    keys.push_back("request.state." + std::string(toString(state)));
  for (const RequestKind kind : allRequestKinds())
    keys.push_back("request.kind." + std::string(toString(kind)));
  for (const ChangeCase c : allChangeCases())
    keys.push_back("request.change_case." + std::string(toString(c)));
  for (const RevocationReason r : allRevocationReasons()) {
    keys.push_back("request.revocation_reason." + std::string(toString(r)));
  }
  for (const HandledBy h : {HandledBy::Province, HandledBy::Provider}) {
    keys.push_back("request.handled_by." + std::string(toString(h)));
  }
  for (const std::string& key : keys) {
    EXPECT_NE(message(Language::Vietnamese, key), "[" + key + "]");
    EXPECT_NE(message(Language::English, key), "[" + key + "]");
  }
  EXPECT_EQ(message(Language::Vietnamese, "request.change_case.individual_agency"),
            "Cá nhân chuyển cơ quan, tổ chức công tác");
  EXPECT_EQ(message(Language::Vietnamese, "request.handled_by.province"),
            "Sở Khoa học và Công nghệ");
}

TEST(RequestTest, ChangeCasesBelongToTheSubscriberKindsOfArticle15) {
  EXPECT_EQ(subscriberOf(ChangeCase::IndividualAgency), SubscriberKind::Individual);
  EXPECT_EQ(subscriberOf(ChangeCase::IndividualEmail), SubscriberKind::Individual);
  EXPECT_EQ(subscriberOf(ChangeCase::OrganizationName), SubscriberKind::Organization);
  EXPECT_EQ(subscriberOf(ChangeCase::OrganizationAddress), SubscriberKind::Organization);
  EXPECT_EQ(subscriberOf(ChangeCase::DeviceName), SubscriberKind::Device);
  EXPECT_EQ(subscriberOf(ChangeCase::DeviceUpgrade), SubscriberKind::Device);
}

}  // namespace
}  // namespace cks
