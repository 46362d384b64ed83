// The yearly report: figures of a hand-counted inventory (expired, revoked, locked and unseen
// tokens), requests by kind and outcome, time to complete in working days across a weekend,
// renewals due next year at the Vietnam year boundary, the officer's fields and their refusals,
// the agency type heuristic, and the province's aggregate (completeness, missing, by type).
#include "core/report.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/time_format.h"

namespace cks {
namespace {

TimePoint at(std::string_view iso) {
  const auto parsed = parseIsoUtc(iso);
  EXPECT_TRUE(parsed) << iso;
  return parsed.value_or(TimePoint{});
}

InventoryToken token(std::string serial, PinState pin, std::string_view last_seen,
                     std::string_view first_seen = "2025-01-10T02:00:00Z") {
  InventoryToken t;
  t.token.serial = std::move(serial);
  t.token.manufacturer = "Viettel-CA";
  t.token.pin_state = pin;
  t.first_seen = at(first_seen);
  t.last_seen = at(last_seen);
  return t;
}

InventoryCertificate certificate(std::string fingerprint, SubscriberKind kind,
                                 std::string_view not_after, std::string token_serial,
                                 std::string_view not_before = "2024-01-01T00:00:00Z") {
  InventoryCertificate ic;
  ic.certificate.fingerprint_sha256 = std::move(fingerprint);
  ic.certificate.common_name = "Nguyễn Văn " + ic.certificate.fingerprint_sha256;
  ic.certificate.kind = kind;
  ic.certificate.not_before = at(not_before);
  ic.certificate.not_after = at(not_after);
  ic.token_serial = std::move(token_serial);
  ic.first_seen = at("2025-01-10T02:00:00Z");
  ic.last_seen = at("2026-12-14T02:00:00Z");
  return ic;
}

ReportRequest revocation(std::string fingerprint, RevocationReason reason, RequestState state,
                         std::string_view created_at,
                         std::optional<std::string_view> finished_at = std::nullopt) {
  ReportRequest entry;
  entry.request.id = "rev-" + fingerprint;
  entry.request.kind = RequestKind::Revocation;
  entry.request.state = state;
  entry.request.fingerprint_sha256 = std::move(fingerprint);
  entry.request.revocation_reason = reason;
  entry.request.created_at = at(created_at);
  if (finished_at) entry.finished_at = at(*finished_at);
  return entry;
}

ReportRequest request(RequestKind kind, RequestState state, std::string_view created_at,
                      std::optional<std::string_view> received_at = std::nullopt,
                      std::optional<std::string_view> finished_at = std::nullopt) {
  ReportRequest entry;
  entry.request.id = std::string(created_at);
  entry.request.kind = kind;
  entry.request.state = state;
  entry.request.created_at = at(created_at);
  if (received_at) entry.request.received_at = at(*received_at);
  if (finished_at) entry.finished_at = at(*finished_at);
  return entry;
}

// An agency's inventory counted by hand, as of 10:00 on 15 December 2026 in Vietnam. The
// comments give each item's expected place in the report.
ReportInputs handCountedAgency() {
  ReportInputs in;
  in.agency_code = "G11.07.05";
  in.agency_name = "UBND xã Bình Chương";
  in.year = 2026;
  in.as_of = at("2026-12-15T03:00:00Z");
  in.tokens = {
      token("TK-OK", PinState::Ok, "2026-12-14T02:00:00Z"),
      token("TK-LOCKED", PinState::Locked, "2026-11-20T02:00:00Z"),
      // Last seen in 2025: not seen during 2026, and more than 180 days ago.
      token("TK-OLD", PinState::Ok, "2025-11-02T02:00:00Z"),
      // Seen in March 2026: seen during the year, but not for 289 days at the as-of instant.
      token("TK-LOW", PinState::CountLow, "2026-03-01T02:00:00Z"),
      token("TK-FINAL", PinState::FinalTry, "2026-12-10T02:00:00Z"),
      // First seen after the as-of instant: not in the report.
      token("TK-NEW", PinState::Locked, "2026-12-20T02:00:00Z", "2026-12-20T02:00:00Z"),
  };
  in.certificates = {
      // individual, valid (197 days left), due June 2027
      certificate("c1", SubscriberKind::Individual, "2027-06-30T09:00:00Z", "TK-OK"),
      // individual, expiring (48 days left), due February 2027
      certificate("c2", SubscriberKind::Individual, "2027-02-01T09:00:00Z", "TK-OK"),
      // organisation, expired in October
      certificate("c3", SubscriberKind::Organization, "2026-10-01T09:00:00Z", "TK-LOCKED"),
      // individual, revoked (completed revocation below), though its dates say valid
      certificate("c4", SubscriberKind::Individual, "2027-05-01T09:00:00Z", "TK-LOCKED"),
      // organisation, valid, due December 2027 (16:00Z is 23:00 in Vietnam); on TK-OLD:
      // a revocation candidate
      certificate("c5", SubscriberKind::Organization, "2027-12-31T16:00:00Z", "TK-OLD"),
      // device, valid, due April 2027; on TK-LOW: a revocation candidate
      certificate("c6", SubscriberKind::Device, "2027-04-20T09:00:00Z", "TK-LOW"),
      // unparseable (kind unknown)
      certificate("c7", SubscriberKind::Unknown, "2027-01-01T00:00:00Z", "TK-OK"),
      // the issuing CA's certificate on the token: nobody's subscription, not counted
      certificate("ca", SubscriberKind::Organization, "2030-01-01T00:00:00Z", "TK-OK"),
      // on the token first seen after the as-of instant: not counted
      certificate("c9", SubscriberKind::Individual, "2027-03-01T00:00:00Z", "TK-NEW"),
      // individual, expired a year ago, on TK-OLD: expired, so no candidate
      certificate("c10", SubscriberKind::Individual, "2025-12-01T09:00:00Z", "TK-OLD"),
      // individual, not valid before 2027
      certificate("c11", SubscriberKind::Individual, "2029-01-01T00:00:00Z", "TK-FINAL",
                  "2027-01-01T00:00:00Z"),
      // individual, valid, on TK-OLD but with a revocation under way: no candidate
      certificate("c12", SubscriberKind::Individual, "2028-05-05T09:00:00Z", "TK-OLD"),
  };
  in.certificates[6].certificate.parse_error = "asn1: bad length";
  in.certificates[7].certificate.is_ca = true;
  in.certificates[8].first_seen = at("2026-12-20T02:00:00Z");
  in.requests = {
      revocation("c4", RevocationReason::HolderLeft, RequestState::Completed,
                 "2026-09-01T02:00:00Z", "2026-09-10T02:00:00Z"),
      revocation("c12", RevocationReason::NoLongerNeeded, RequestState::Received,
                 "2026-12-01T02:00:00Z"),
      // TK-LOCKED reported damaged (pending): one damaged token
      revocation("c3", RevocationReason::DeviceDamaged, RequestState::InProgress,
                 "2026-08-01T02:00:00Z"),
      // a certificate the inventory no longer holds, its token lost: one lost token
      revocation("gone", RevocationReason::DeviceLost, RequestState::Completed,
                 "2026-05-01T02:00:00Z", "2026-05-06T02:00:00Z"),
      // a rejected loss report does not count
      revocation("c1", RevocationReason::DeviceLost, RequestState::Rejected, "2026-04-01T02:00:00Z",
                 "2026-04-02T02:00:00Z"),
  };
  return in;
}

TEST(ReportTest, HandCountedInventoryGivesExactFigures) {
  const YearlyReport report = draftReport(handCountedAgency());

  EXPECT_EQ(report.schema, 1);
  EXPECT_EQ(report.agency_code, "G11.07.05");
  EXPECT_EQ(report.year, 2026);

  const CertificatesByKind& certs = report.inventory.certificates;
  EXPECT_EQ(certs.individual, (CertificateCounts{.valid = 2,  // c1, c12
                                                 .expiring = 1,
                                                 .expired = 1,
                                                 .revoked = 1,
                                                 .not_yet_valid = 1}));
  EXPECT_EQ(certs.organization, (CertificateCounts{.valid = 1, .expired = 1}));
  EXPECT_EQ(certs.device, (CertificateCounts{.valid = 1}));
  EXPECT_EQ(certs.unknown, (CertificateCounts{.unparseable = 1}));

  EXPECT_EQ(report.inventory.tokens,
            (PinStateCounts{.ok = 2, .count_low = 1, .final_try = 1, .locked = 1}));
  EXPECT_EQ(report.inventory.tokens_not_seen, std::vector<std::string>{"TK-OLD"});
  EXPECT_EQ(report.inventory.tokens_lost, 1);
  EXPECT_EQ(report.inventory.tokens_damaged, 1);

  ASSERT_EQ(report.plan.revocation_candidates.size(), 2u);
  EXPECT_EQ(report.plan.revocation_candidates[0].fingerprint_sha256, "c6");
  EXPECT_EQ(report.plan.revocation_candidates[0].token_serial, "TK-LOW");
  EXPECT_EQ(report.plan.revocation_candidates[0].last_seen, at("2026-03-01T02:00:00Z"));
  EXPECT_EQ(report.plan.revocation_candidates[1].fingerprint_sha256, "c5");
  EXPECT_EQ(report.plan.revocation_candidates[1].kind, SubscriberKind::Organization);

  const ReportTotals totals = totalsOf(report);
  EXPECT_EQ(totals.certificates_valid, 5);  // 4 valid + 1 expiring; the revoked c4 is not
  EXPECT_EQ(totals.certificates_expiring, 1);
  EXPECT_EQ(totals.certificates_expired, 2);
  EXPECT_EQ(totals.certificates_revoked, 1);
  EXPECT_EQ(totals.tokens, 5);
  EXPECT_EQ(totals.tokens_locked, 1);
  EXPECT_EQ(totals.tokens_not_seen, 1);
  EXPECT_EQ(totals.tokens_lost_or_damaged, 2);
  EXPECT_EQ(totals.renewals_due_next_year, 4);  // c1, c2, c5, c6; not the revoked c4
  EXPECT_EQ(totals.revocation_candidates, 2);
}

TEST(ReportTest, RenewalsDueAreCountedByMonthAndKindAndNeverForRevokedCertificates) {
  const YearlyReport report = draftReport(handCountedAgency());
  const auto& months = report.plan.renewals_by_month;
  EXPECT_EQ(months[1], (KindCounts{.individual = 1}));     // c2, February
  EXPECT_EQ(months[3], (KindCounts{.device = 1}));         // c6, April
  EXPECT_EQ(months[4], (KindCounts{}));                    // c4 is revoked
  EXPECT_EQ(months[5], (KindCounts{.individual = 1}));     // c1, June
  EXPECT_EQ(months[11], (KindCounts{.organization = 1}));  // c5, December
}

TEST(ReportTest, RenewalsDueNextYearFollowTheVietnamCalendarDay) {
  ReportInputs in;
  in.year = 2026;
  in.as_of = at("2026-12-01T03:00:00Z");
  in.certificates = {
      // 23:00 on 31/12/2026 in Vietnam: expires in 2026, not due in 2027
      certificate("dec31-2300", SubscriberKind::Individual, "2026-12-31T16:00:00Z", "T"),
      // 00:30 on 1/1/2027 in Vietnam: due in January 2027
      certificate("dec31-1730z", SubscriberKind::Individual, "2026-12-31T17:30:00Z", "T"),
      certificate("jan1", SubscriberKind::Organization, "2027-01-01T05:00:00Z", "T"),
      // 17:00 on 31/12/2027 in Vietnam: due in December 2027
      certificate("dec31-next", SubscriberKind::Device, "2027-12-31T10:00:00Z", "T"),
      // 00:00 on 1/1/2028 in Vietnam: due in 2028, not in this plan
      certificate("jan1-after", SubscriberKind::Device, "2027-12-31T17:00:00Z", "T"),
  };
  const YearlyReport report = draftReport(in);
  const auto& months = report.plan.renewals_by_month;
  EXPECT_EQ(months[0], (KindCounts{.individual = 1, .organization = 1}));
  EXPECT_EQ(months[11], (KindCounts{.device = 1}));
  for (size_t month = 1; month < 11; ++month) EXPECT_EQ(months[month].total(), 0) << month + 1;
  EXPECT_EQ(report.plan.renewalsDue(), 3);
}

TEST(ReportTest, RequestsFiledInTheYearAreCountedByOutcomeAtTheAsOfInstant) {
  ReportInputs in;
  in.year = 2026;
  in.as_of = at("2026-12-15T03:00:00Z");
  in.requests = {
      // 01:00 on 1/1/2026 in Vietnam: filed in 2026
      request(RequestKind::Renewal, RequestState::Completed, "2025-12-31T18:00:00Z",
              "2026-01-05T02:00:00Z", "2026-01-06T02:00:00Z"),
      // 23:00 on 31/12/2025 in Vietnam: filed in 2025, not counted
      request(RequestKind::Renewal, RequestState::Completed, "2025-12-31T16:00:00Z",
              "2026-01-05T02:00:00Z", "2026-01-06T02:00:00Z"),
      request(RequestKind::Renewal, RequestState::Rejected, "2026-03-02T02:00:00Z",
              "2026-03-02T03:00:00Z", "2026-03-03T02:00:00Z"),
      // completed after the as-of instant: still pending then
      request(RequestKind::Renewal, RequestState::Completed, "2026-12-10T02:00:00Z",
              "2026-12-10T03:00:00Z", "2026-12-16T02:00:00Z"),
      request(RequestKind::NewCertificate, RequestState::ForwardedToProvider,
              "2026-11-02T02:00:00Z"),
      request(RequestKind::NewCertificate, RequestState::Queued, "2026-12-14T02:00:00Z"),
      request(RequestKind::NewCertificate, RequestState::Cancelled, "2026-06-01T02:00:00Z",
              std::nullopt, "2026-06-01T05:00:00Z"),
      // a draft was never filed
      request(RequestKind::DeviceRecovery, RequestState::Draft, "2026-07-01T02:00:00Z"),
      // filed after the as-of instant
      request(RequestKind::DeviceRecovery, RequestState::Submitted, "2026-12-20T02:00:00Z"),
  };
  const YearlyReport report = draftReport(in);
  const auto& by_kind = report.activity.by_kind;
  ASSERT_EQ(by_kind.size(), 5u);  // every kind, even without requests
  EXPECT_EQ(by_kind.at(RequestKind::Renewal).outcomes,
            (RequestOutcomes{.completed = 1, .rejected = 1, .pending = 1}));
  EXPECT_EQ(by_kind.at(RequestKind::NewCertificate).outcomes,
            (RequestOutcomes{.pending = 2, .cancelled = 1}));
  EXPECT_EQ(by_kind.at(RequestKind::DeviceRecovery).outcomes, RequestOutcomes{});
  EXPECT_EQ(by_kind.at(RequestKind::Revocation).outcomes, RequestOutcomes{});

  const ReportTotals totals = totalsOf(report);
  EXPECT_EQ(totals.requests_filed, 6);
  EXPECT_EQ(totals.requests_completed, 1);
  EXPECT_EQ(totals.requests_pending, 3);
}

TEST(ReportTest, TimeToCompleteCountsWorkingDaysAcrossAWeekend) {
  ReportInputs in;
  in.year = 2026;
  in.as_of = at("2026-12-15T03:00:00Z");
  in.requests = {
      // received Friday 6/3 10:00, completed Monday 9/3: 1 working day
      request(RequestKind::Renewal, RequestState::Completed, "2026-03-02T02:00:00Z",
              "2026-03-06T03:00:00Z", "2026-03-09T02:00:00Z"),
      // received Thursday 5/3 15:00, completed Tuesday 10/3: Fri, Mon, Tue = 3
      request(RequestKind::Renewal, RequestState::Completed, "2026-03-05T08:00:00Z",
              "2026-03-05T08:00:00Z", "2026-03-10T09:00:00Z"),
      // received Friday 13/3 18:00 (after hours: counts as Monday 16/3), completed that
      // Monday: 0
      request(RequestKind::Renewal, RequestState::Completed, "2026-03-13T11:00:00Z",
              "2026-03-13T11:00:00Z", "2026-03-16T04:00:00Z"),
      // no receipt instant: from its creation, Monday 16/3 09:00, to Wednesday 18/3: 2
      request(RequestKind::DeviceRecovery, RequestState::Completed, "2026-03-16T02:00:00Z",
              std::nullopt, "2026-03-18T02:00:00Z"),
      // completed, but when is not known: counted, not measured
      request(RequestKind::DeviceRecovery, RequestState::Completed, "2026-03-16T02:00:00Z"),
      // rejected after a long time: not a completion
      request(RequestKind::Renewal, RequestState::Rejected, "2026-03-02T02:00:00Z",
              "2026-03-02T02:00:00Z", "2026-04-30T02:00:00Z"),
  };
  const YearlyReport report = draftReport(in);

  // 0, 1, 2, 3 working days
  EXPECT_EQ(report.activity.time_to_complete,
            (CompletionTimes{.measured = 4, .median_working_days = 1.5, .worst_working_days = 3}));
  // renewals: 0, 1, 3
  EXPECT_EQ(report.activity.by_kind.at(RequestKind::Renewal).time_to_complete,
            (CompletionTimes{.measured = 3, .median_working_days = 1.0, .worst_working_days = 3}));
  EXPECT_EQ(report.activity.by_kind.at(RequestKind::DeviceRecovery).outcomes.completed, 2);
  EXPECT_EQ(report.activity.by_kind.at(RequestKind::DeviceRecovery).time_to_complete,
            (CompletionTimes{.measured = 1, .median_working_days = 2.0, .worst_working_days = 2}));
  EXPECT_EQ(report.activity.by_kind.at(RequestKind::Revocation).time_to_complete,
            CompletionTimes{});
}

TEST(ReportTest, TokensFirstSeenAfterTheYearWereNotSeenDuringIt) {
  ReportInputs in;
  in.year = 2026;
  in.as_of = at("2027-02-01T03:00:00Z");  // drafted late, after the year's end
  in.tokens = {token("BOUGHT-2027", PinState::Ok, "2027-01-31T02:00:00Z", "2027-01-10T02:00:00Z"),
               token("USED-2026", PinState::Ok, "2027-01-31T02:00:00Z", "2026-05-10T02:00:00Z")};
  const YearlyReport report = draftReport(in);
  EXPECT_EQ(report.inventory.tokens_not_seen, std::vector<std::string>{"BOUGHT-2027"});
  EXPECT_EQ(report.inventory.tokens.ok, 2);
}

TEST(ReportTest, TheOfficersEntriesAreCarriedIntoTheReport) {
  ReportInputs in = handCountedAgency();
  in.officer.expected_new_individual = 4;
  in.officer.expected_new_device = 1;
  in.officer.expected_revocations = 2;
  in.officer.tokens_to_replace = 3;
  const YearlyReport report = draftReport(in);
  EXPECT_EQ(report.officer, in.officer);
  const ReportTotals totals = totalsOf(report);
  EXPECT_EQ(totals.expected_new_certificates, 5);
  EXPECT_EQ(totals.expected_revocations, 2);
  EXPECT_EQ(totals.tokens_to_replace, 3);
}

TEST(ReportTest, SetReportFieldAcceptsCountsNotesAndRemarks) {
  OfficerEntries entries;
  EXPECT_EQ(setReportField(entries, "expected_new.individual", "12"), std::nullopt);
  EXPECT_EQ(setReportField(entries, "expected_new.organization", " 1 "), std::nullopt);
  EXPECT_EQ(setReportField(entries, "expected_new.device", "0"), std::nullopt);
  EXPECT_EQ(setReportField(entries, "expected_revocations", "100000"), std::nullopt);
  EXPECT_EQ(applyReportAssignment(entries, "tokens_to_replace=3"), std::nullopt);
  EXPECT_EQ(
      applyReportAssignment(entries, "note.expected_new=Tuyển mới 12 công chức (quý 1=cao điểm)"),
      std::nullopt);
  EXPECT_EQ(setReportField(entries, "remarks.difficulties",
                           "Máy tính cấp xã cũ, token hay bị khóa PIN.\nThiếu cán bộ CNTT."),
            std::nullopt);
  EXPECT_EQ(setReportField(entries, "remarks.proposals", "Đề nghị Sở tập huấn"), std::nullopt);

  EXPECT_EQ(entries.expected_new_individual, 12);
  EXPECT_EQ(entries.expected_new_organization, 1);
  EXPECT_EQ(entries.expected_new_device, 0);
  EXPECT_EQ(entries.expected_revocations, 100000);
  EXPECT_EQ(entries.tokens_to_replace, 3);
  // Split at the first '=' only, so a note may contain one.
  EXPECT_EQ(entries.expected_new_note, "Tuyển mới 12 công chức (quý 1=cao điểm)");
  EXPECT_EQ(entries.difficulties, "Máy tính cấp xã cũ, token hay bị khóa PIN.\nThiếu cán bộ CNTT.");
  EXPECT_EQ(entries.proposals, "Đề nghị Sở tập huấn");

  // An empty note clears it.
  EXPECT_EQ(setReportField(entries, "note.expected_new", ""), std::nullopt);
  EXPECT_EQ(entries.expected_new_note, "");
}

TEST(ReportTest, SetReportFieldRefusesAnUnknownFieldListingTheAllowedOnes) {
  OfficerEntries entries;
  const auto refusal = setReportField(entries, "expected_new.individuals", "3");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->key, "report.field_unknown");
  EXPECT_EQ(refusal->text(Language::Vietnamese),
            "Báo cáo không có mục «expected_new.individuals»; các mục nhập được: "
            "expected_new.individual, expected_new.organization, expected_new.device, "
            "expected_revocations, tokens_to_replace, note.expected_new, "
            "note.expected_revocations, note.tokens_to_replace, remarks.difficulties, "
            "remarks.proposals");
  EXPECT_EQ(
      refusal->text(Language::English)
          .rfind("The report has no field \"expected_new.individuals\"; the fields you can set "
                 "are: expected_new.individual, ",
                 0),
      0u);
  EXPECT_EQ(entries, OfficerEntries{});
}

TEST(ReportTest, SetReportFieldRefusesACountThatIsNotAWholeNumberInRange) {
  OfficerEntries entries;
  entries.expected_revocations = 7;
  for (const std::string_view bad : {"-1", "abc", "2.5", "1e3", "", "100001", "9999999", "+3"}) {
    const auto refusal = setReportField(entries, "expected_revocations", bad);
    ASSERT_TRUE(refusal) << bad;
    EXPECT_EQ(refusal->key, "report.field_not_count") << bad;
  }
  EXPECT_EQ(entries.expected_revocations, 7);  // unchanged

  const auto refusal = setReportField(entries, "expected_revocations", "-1");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text(Language::Vietnamese),
            "Số chứng thư số dự kiến thu hồi (expected_revocations) phải là số nguyên từ 0 đến "
            "100000: «-1»");
  EXPECT_EQ(refusal->text(Language::English),
            "Expected revocations (expected_revocations) must be a whole number from 0 to "
            "100000: \"-1\"");
}

TEST(ReportTest, SetReportFieldRefusesTextThatIsTooLongOrNotUtf8) {
  OfficerEntries entries;
  // 1001 Vietnamese letters: the limit is in characters, not bytes.
  std::string note;
  for (int i = 0; i < 1001; ++i) note += "ệ";
  auto refusal = setReportField(entries, "note.tokens_to_replace", note);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text(Language::English),
            "Note on the tokens to replace (note.tokens_to_replace) is 1001 characters long; at "
            "most 1000 are allowed");
  note.resize(note.size() - std::string("ệ").size());
  EXPECT_EQ(setReportField(entries, "note.tokens_to_replace", note), std::nullopt);

  refusal = setReportField(entries, "remarks.proposals", "Ch\xF9ng t\xF4i");  // Windows-1258
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->key, "report.field_not_text");
  EXPECT_EQ(refusal->text(Language::Vietnamese),
            "Đề xuất, kiến nghị (remarks.proposals) không phải văn bản UTF-8 hợp lệ — hãy nhập "
            "lại bằng bảng mã Unicode");
  EXPECT_EQ(entries.proposals, "");
}

TEST(ReportTest, AnAssignmentWithoutAnEqualsSignIsRefused) {
  OfficerEntries entries;
  for (const std::string_view bad : {"expected_revocations", "=5", " =5"}) {
    const auto refusal = applyReportAssignment(entries, bad);
    ASSERT_TRUE(refusal) << bad;
    EXPECT_EQ(refusal->key, "report.assignment_malformed") << bad;
  }
  EXPECT_EQ(applyReportAssignment(entries, "expected_revocations").value().text(Language::English),
            "\"expected_revocations\" is not of the form FIELD=VALUE (for example: "
            "expected_new.individual=5)");
}

TEST(ReportTest, EveryFieldHasALabelInBothLanguages) {
  for (const std::string_view field : reportFieldNames()) {
    const std::string key = "report.field." + std::string(field);
    EXPECT_NE(message(Language::Vietnamese, key), "[" + key + "]");
    EXPECT_NE(message(Language::English, key), "[" + key + "]");
  }
  for (const AgencyType type : {AgencyType::Department, AgencyType::Commune, AgencyType::Other}) {
    const std::string key = "report.agency_type." + std::string(toString(type));
    EXPECT_NE(message(Language::Vietnamese, key), "[" + key + "]");
  }
}

TEST(ReportTest, AgencyTypeIsGuessedFromTheName) {
  EXPECT_EQ(guessAgencyType("UBND xã Bình Chương"), AgencyType::Commune);
  EXPECT_EQ(guessAgencyType("UBND XÃ BÌNH CHƯƠNG"), AgencyType::Commune);
  EXPECT_EQ(guessAgencyType("  UBND   phường Trương Quang Trọng"), AgencyType::Commune);
  EXPECT_EQ(guessAgencyType("Ủy ban nhân dân phường Cẩm Thành"), AgencyType::Commune);
  EXPECT_EQ(guessAgencyType("UỶ BAN NHÂN DÂN ĐẶC KHU LÝ SƠN"), AgencyType::Commune);
  EXPECT_EQ(guessAgencyType("Sở Khoa học và Công nghệ"), AgencyType::Department);
  EXPECT_EQ(guessAgencyType("SỞ Y TẾ"), AgencyType::Department);
  EXPECT_EQ(guessAgencyType("Ban Dân tộc tỉnh"), AgencyType::Department);
  EXPECT_EQ(guessAgencyType("Văn phòng UBND tỉnh"), AgencyType::Department);
  EXPECT_EQ(guessAgencyType("UBND tỉnh Quảng Ngãi"), AgencyType::Other);
  EXPECT_EQ(guessAgencyType("UBND xã"), AgencyType::Other);  // names no commune
  EXPECT_EQ(guessAgencyType("Trung tâm Y tế khu vực"), AgencyType::Other);
  EXPECT_EQ(guessAgencyType("Sởi và quai bị"), AgencyType::Other);  // a word, not "Sở"
  EXPECT_EQ(guessAgencyType(""), AgencyType::Other);

  AgencyType type = AgencyType::Other;
  EXPECT_TRUE(parseAgencyType("commune", type));
  EXPECT_EQ(type, AgencyType::Commune);
  EXPECT_FALSE(parseAgencyType("xa", type));
  EXPECT_EQ(toString(AgencyType::Department), "department");
}

// A submitted report with the given figures (set directly: aggregation only adds them up).
SubmittedReport submitted(std::string code, std::string name, int version, int valid, int expired,
                          int locked, std::string_view as_of = "2026-12-31T10:00:00Z") {
  SubmittedReport s;
  s.version = version;
  s.submitted_at = at("2027-01-05T02:00:00Z");
  s.report.agency_code = std::move(code);
  s.report.agency_name = std::move(name);
  s.report.year = 2026;
  s.report.as_of = at(as_of);
  s.report.inventory.certificates.individual.valid = valid;
  s.report.inventory.certificates.organization.expired = expired;
  s.report.inventory.tokens.ok = valid;
  s.report.inventory.tokens.locked = locked;
  s.report.plan.renewals_by_month[0].individual = 1;
  s.report.officer.expected_new_individual = version;
  return s;
}

TEST(ReportTest, ProvinceAggregateCountsTheLatestVersionAndListsMissingAgencies) {
  const std::vector<ExpectedAgency> expected = {
      {"G11.07.05", "UBND xã Bình Chương", std::nullopt},  // commune, by its name
      {"H21.09", "Sở Khoa học và Công nghệ", AgencyType::Department},
      {"H21.12", "Trung tâm Y tế", AgencyType::Other},             // reported only for 2025
      {"H21.30", "UBND phường Trương Quang Trọng", std::nullopt},  // never reported
      {"H21.09", "Sở KH&CN (listed twice)", AgencyType::Department},
  };
  std::vector<SubmittedReport> reports = {
      submitted("G11.07.05", "UBND xã Bình Chương", 1, 10, 1, 1),
      // the resubmission replaces version 1
      submitted("G11.07.05", "UBND xã Bình Chương", 2, 12, 0, 2, "2027-01-02T10:00:00Z"),
      submitted("H21.09", "Sở KH&CN", 1, 30, 2, 0),
      // not in the province's list: counted, and listed
      submitted("X99.01", "Ban Quản lý dự án", 1, 5, 0, 1),
      submitted("H21.12", "Trung tâm Y tế", 3, 7, 7, 7),
  };
  reports.back().report.year = 2025;
  const TimePoint now = at("2027-01-20T03:00:00Z");

  const ProvinceReport province = aggregateReports(2026, expected, reports, now);

  EXPECT_EQ(province.year, 2026);
  EXPECT_EQ(province.agencies_expected, 4);
  EXPECT_EQ(province.agencies_reported, 2);
  ASSERT_EQ(province.missing.size(), 2u);
  EXPECT_EQ(province.missing[0].code, "H21.12");
  EXPECT_EQ(province.missing[1].code, "H21.30");
  EXPECT_EQ(province.missing[1].type, AgencyType::Commune);
  EXPECT_EQ(province.unlisted, std::vector<std::string>{"X99.01"});

  EXPECT_EQ(province.totals.certificates_valid, 12 + 30 + 5);
  EXPECT_EQ(province.totals.certificates_expired, 0 + 2 + 0);
  EXPECT_EQ(province.totals.tokens, (12 + 2) + 30 + (5 + 1));
  EXPECT_EQ(province.totals.tokens_locked, 2 + 0 + 1);
  EXPECT_EQ(province.totals.renewals_due_next_year, 3);
  EXPECT_EQ(province.plan.renewals_by_month[0].individual, 3);
  EXPECT_EQ(province.plan.expected_new.individual, 2 + 1 + 1);

  ASSERT_EQ(province.by_agency.size(), 3u);
  const AgencyReportLine& commune = province.by_agency[0];
  EXPECT_EQ(commune.agency_code, "G11.07.05");
  EXPECT_EQ(commune.version, 2);
  EXPECT_EQ(commune.type, AgencyType::Commune);
  EXPECT_EQ(commune.as_of, at("2027-01-02T10:00:00Z"));
  EXPECT_EQ(commune.staleness_days, 17);
  EXPECT_EQ(commune.totals.certificates_valid, 12);
  EXPECT_EQ(province.by_agency[1].agency_code, "H21.09");
  EXPECT_EQ(province.by_agency[1].agency_name, "Sở Khoa học và Công nghệ");  // the directory's
  EXPECT_EQ(province.by_agency[1].staleness_days, 19);
  EXPECT_EQ(province.by_agency[2].agency_code, "X99.01");
  EXPECT_FALSE(province.by_agency[2].expected);
  EXPECT_EQ(province.by_agency[2].type, AgencyType::Department);

  const auto& department = province.by_type[0];
  EXPECT_EQ(department.type, AgencyType::Department);
  EXPECT_EQ(department.agencies_expected, 1);
  EXPECT_EQ(department.agencies_reported, 1);
  EXPECT_EQ(department.agencies_unlisted, 1);
  EXPECT_EQ(department.totals.certificates_valid, 35);
  const auto& communes = province.by_type[1];
  EXPECT_EQ(communes.type, AgencyType::Commune);
  EXPECT_EQ(communes.agencies_expected, 2);
  EXPECT_EQ(communes.agencies_reported, 1);
  EXPECT_EQ(communes.totals.certificates_valid, 12);
  const auto& other = province.by_type[2];
  EXPECT_EQ(other.agencies_expected, 1);
  EXPECT_EQ(other.agencies_reported, 0);
  EXPECT_EQ(other.totals, ReportTotals{});
}

TEST(ReportTest, ProvinceAggregateWithoutReportsListsEveryExpectedAgencyAsMissing) {
  const std::vector<ExpectedAgency> expected = {{"H21.30", "UBND phường A", std::nullopt},
                                                {"G11.07.05", "UBND xã B", std::nullopt}};
  const ProvinceReport province = aggregateReports(2026, expected, {}, at("2027-01-20T03:00:00Z"));
  EXPECT_EQ(province.agencies_expected, 2);
  EXPECT_EQ(province.agencies_reported, 0);
  ASSERT_EQ(province.missing.size(), 2u);
  EXPECT_EQ(province.missing[0].code, "G11.07.05");  // by code
  EXPECT_TRUE(province.by_agency.empty());
  EXPECT_EQ(province.totals, ReportTotals{});
}

}  // namespace
}  // namespace cks
