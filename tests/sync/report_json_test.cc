// The yearly report's JSON: an agency's report goes to the hub and comes back exactly, bad input
// is refused naming the field, and the province's aggregate carries the contract's fields.
#include "sync/protocol/report_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"

namespace cks::sync {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

TimePoint at(const char* text) { return *parseIsoUtc(text); }

// A report with every field set, each count different, so a field written under one name and
// read under another cannot go unnoticed.
YearlyReport fullReport() {
  YearlyReport r;
  r.agency_code = "G11.07.05";
  r.agency_name = "UBND xã Bình Chương";
  r.year = 2026;
  r.as_of = at("2026-12-31T10:00:00Z");
  r.expiring_within_days = 60;
  r.not_seen_days = 120;
  int next = 1;
  for (CertificateCounts* counts :
       {&r.inventory.certificates.individual, &r.inventory.certificates.organization,
        &r.inventory.certificates.device, &r.inventory.certificates.unknown}) {
    for (int* field : {&counts->valid, &counts->expiring, &counts->expired, &counts->revoked,
                       &counts->not_yet_valid, &counts->unparseable}) {
      *field = next++;
    }
  }
  r.inventory.tokens = {.ok = 31, .count_low = 32, .final_try = 33, .locked = 34, .unknown = 35};
  r.inventory.tokens_not_seen = {"5403A1", "TK-Ánh"};
  r.inventory.tokens_lost = 36;
  r.inventory.tokens_damaged = 37;
  for (const RequestKind kind : allRequestKinds()) {
    KindActivity& activity = r.activity.by_kind[kind];
    activity.outcomes = {next, next + 1, next + 2, next + 3};
    activity.time_to_complete = {
        .measured = next, .median_working_days = 1.5, .worst_working_days = next + 4};
    next += 5;
  }
  r.activity.by_kind[RequestKind::Revocation].time_to_complete = {};  // nothing measured: nulls
  r.activity.time_to_complete = {
      .measured = 7, .median_working_days = 2.0, .worst_working_days = 9};
  for (KindCounts& month : r.plan.renewals_by_month) {
    month = {.individual = next, .organization = next + 1, .device = next + 2, .unknown = next + 3};
    next += 4;
  }
  r.plan.revocation_candidates = {
      {"ab12", "Nguyễn Thị Ánh Tuyết", SubscriberKind::Individual, "TK-OLD",
       at("2026-03-01T02:00:00Z")},
      {"cd34", "UBND XÃ BÌNH CHƯƠNG", SubscriberKind::Organization, "TK-OLD",
       at("2026-03-01T02:00:00Z")},
  };
  r.officer = {.expected_new_individual = 4,
               .expected_new_organization = 1,
               .expected_new_device = 2,
               .expected_new_note = "Tuyển mới công chức \"đợt 1\"",
               .expected_revocations = 3,
               .expected_revocations_note = "Sáp nhập xã",
               .tokens_to_replace = 5,
               .tokens_to_replace_note = "Token cũ hỏng",
               .difficulties = "Máy tính cũ;\nthiếu cán bộ",
               .proposals = "Đề nghị tập huấn"};
  return r;
}

std::string errorOf(const Result<YearlyReport>& result) {
  return result ? std::string() : result.error().message;
}

// The report's JSON, changed by `edit` before it is read back.
template <typename Edit>
Result<YearlyReport> parseEdited(Edit edit) {
  Object::Ptr json = reportJson(fullReport());
  edit(*json);
  return parseReport(stringify(json));
}

TEST(ReportJsonTest, ReportRoundTripsExactly) {
  const YearlyReport sent = fullReport();
  const auto got = parseReport(stringify(reportJson(sent)));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, sent);
}

TEST(ReportJsonTest, ADraftedReportRoundTripsExactly) {
  ReportInputs in;
  in.agency_code = "H21.09";
  in.agency_name = "Sở Khoa học và Công nghệ";
  in.year = 2026;
  in.as_of = at("2026-12-15T03:00:00Z");
  InventoryCertificate held;
  held.certificate.fingerprint_sha256 = "ab12";
  held.certificate.kind = SubscriberKind::Organization;
  held.certificate.not_before = at("2024-01-01T00:00:00Z");
  held.certificate.not_after = at("2027-03-01T00:00:00Z");
  held.token_serial = "TK-1";
  in.certificates = {held};
  ReportRequest done;
  done.request.kind = RequestKind::Renewal;
  done.request.state = RequestState::Completed;
  done.request.created_at = at("2026-03-05T02:00:00Z");
  done.finished_at = at("2026-03-09T02:00:00Z");
  in.requests = {done};
  const YearlyReport sent = draftReport(in);
  const auto got = parseReport(stringify(reportJson(sent)));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, sent);
}

TEST(ReportJsonTest, TheAgencysReportCarriesTheContractTotals) {
  YearlyReport report;
  report.year = 2026;
  report.inventory.certificates.individual = {.valid = 3, .expiring = 2, .expired = 1};
  report.inventory.certificates.device = {.valid = 1, .revoked = 4};
  report.inventory.tokens = {.ok = 5, .locked = 2};
  report.plan.renewals_by_month[0].individual = 2;
  report.plan.renewals_by_month[11].device = 1;
  const Object::Ptr json = reportJson(report);
  EXPECT_EQ(json->getValue<int>("schema"), 1);
  const Object::Ptr totals = json->getObject("totals");
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->getValue<int>("certificates_valid"), 6);  // valid + expiring, not revoked
  EXPECT_EQ(totals->getValue<int>("certificates_expired"), 1);
  EXPECT_EQ(totals->getValue<int>("tokens"), 7);
  EXPECT_EQ(totals->getValue<int>("tokens_locked"), 2);
  EXPECT_EQ(totals->getValue<int>("renewals_due_next_year"), 3);
  // The plan says which year it is for, and its months are 1..12.
  const Object::Ptr plan = json->getObject("plan");
  EXPECT_EQ(plan->getValue<int>("year"), 2027);
  const Array::Ptr months = plan->getArray("renewals_by_month");
  ASSERT_EQ(months->size(), 12u);
  EXPECT_EQ(months->getObject(0)->getValue<int>("month"), 1);
  EXPECT_EQ(months->getObject(0)->getValue<int>("total"), 2);
  EXPECT_EQ(months->getObject(11)->getValue<int>("device"), 1);
}

TEST(ReportJsonTest, MalformedJsonIsRefused) {
  EXPECT_EQ(errorOf(parseReport("{\"schema\": 1, \"agency\": ")).rfind("report: not JSON", 0), 0u);
  EXPECT_EQ(errorOf(parseReport("[1, 2]")), "report: expected a JSON object");
}

TEST(ReportJsonTest, AnIllTypedOrMissingFieldIsNamed) {
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("inventory")->getObject("tokens")->set("locked", "two");
            })),
            "report: inventory.tokens.locked: expected a whole number ≥ 0");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("inventory")
                  ->getObject("certificates")
                  ->getObject("device")
                  ->set("expired", -1);
            })),
            "report: inventory.certificates.device.expired: expected a whole number ≥ 0");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) { json.remove("as_of"); })),
            "report: as_of: missing");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) { json.set("as_of", "31/12/2026"); })),
            "report: as_of: expected an ISO 8601 UTC time like 2026-12-31T17:00:00Z");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("activity")->getObject("by_kind")->remove("device_recovery");
            })),
            "report: activity.by_kind.device_recovery: missing");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("plan")
                  ->getArray("revocation_candidates")
                  ->getObject(1)
                  ->set("kind", "person");
            })),
            "report: plan.revocation_candidates[1].kind: expected individual, organization, "
            "device or unknown");
  EXPECT_EQ(
      errorOf(parseEdited([](Object& json) { json.getObject("remarks")->set("proposals", 42); })),
      "report: remarks.proposals: expected a string");
}

TEST(ReportJsonTest, ThePlanMustHaveTwelveMonthsInOrder) {
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("plan")->getArray("renewals_by_month")->remove(11);
            })),
            "report: plan.renewals_by_month: expected 12 months, found 11");
  EXPECT_EQ(errorOf(parseEdited([](Object& json) {
              json.getObject("plan")->getArray("renewals_by_month")->getObject(3)->set("month", 5);
            })),
            "report: plan.renewals_by_month[3].month: expected 4");
}

TEST(ReportJsonTest, AReportOfANewerSchemaIsRefused) {
  EXPECT_EQ(errorOf(parseEdited([](Object& json) { json.set("schema", 2); })),
            "report: schema: 2 is not a version this program reads (1 to 1)");
}

TEST(ReportJsonTest, UnknownFieldsAreIgnoredSoTheShapeCanGrow) {
  const auto got = parseEdited([](Object& json) {
    json.set("signed_by", "Nguyễn Văn A");
    json.getObject("inventory")->set("tokens_by_model", Object::Ptr(new Object));
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, fullReport());
}

TEST(ReportJsonTest, TheProvincesReportHasTheContractFields) {
  YearlyReport commune = fullReport();
  YearlyReport department;
  department.agency_code = "H21.09";
  department.agency_name = "Sở Khoa học và Công nghệ";
  department.year = 2026;
  department.as_of = at("2027-01-10T03:00:00Z");
  department.inventory.certificates.organization.valid = 2;
  department.inventory.tokens.locked = 1;
  const std::vector<ExpectedAgency> expected = {
      {"G11.07.05", "UBND xã Bình Chương", std::nullopt},
      {"H21.09", "Sở Khoa học và Công nghệ", AgencyType::Department},
      {"H21.30", "UBND phường Trương Quang Trọng", std::nullopt},
  };
  const std::vector<SubmittedReport> submitted = {
      {commune, 2, at("2027-01-05T02:00:00Z")},
      {department, 1, at("2027-01-10T04:00:00Z")},
  };
  const ProvinceReport province =
      aggregateReports(2026, expected, submitted, at("2027-01-20T03:00:00Z"));

  // Through text, as a reader of `cks-hub admin report province --json` gets it.
  Poco::JSON::Parser parser;
  const Object::Ptr json =
      parser.parse(stringify(provinceReportJson(province))).extract<Object::Ptr>();
  EXPECT_EQ(json->getValue<int>("year"), 2026);
  EXPECT_EQ(json->getValue<int>("agencies_expected"), 3);
  EXPECT_EQ(json->getValue<int>("agencies_reported"), 2);
  const Array::Ptr missing = json->getArray("missing");
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_EQ(missing->getElement<std::string>(0), "H21.30");

  const ReportTotals commune_totals = totalsOf(commune);
  const Object::Ptr totals = json->getObject("totals");
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->getValue<int>("certificates_valid"), commune_totals.certificates_valid + 2);
  EXPECT_EQ(totals->getValue<int>("certificates_expired"), commune_totals.certificates_expired);
  EXPECT_EQ(totals->getValue<int>("tokens"), commune_totals.tokens + 1);
  EXPECT_EQ(totals->getValue<int>("tokens_locked"), commune_totals.tokens_locked + 1);
  EXPECT_EQ(totals->getValue<int>("renewals_due_next_year"), commune_totals.renewals_due_next_year);

  const Array::Ptr by_agency = json->getArray("by_agency");
  ASSERT_EQ(by_agency->size(), 2u);
  const Object::Ptr first = by_agency->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("agency"), "G11.07.05");
  EXPECT_EQ(first->getValue<int>("version"), 2);
  EXPECT_EQ(first->getValue<std::string>("as_of"), "2026-12-31T10:00:00Z");
  EXPECT_EQ(first->getValue<int>("staleness_days"), 19);
  EXPECT_EQ(first->getValue<std::string>("type"), "commune");
  const Object::Ptr line = first->getObject("totals");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->getValue<int>("certificates_valid"), commune_totals.certificates_valid);
  EXPECT_EQ(line->getValue<int>("certificates_expired"), commune_totals.certificates_expired);
  EXPECT_EQ(line->getValue<int>("tokens"), commune_totals.tokens);
  EXPECT_EQ(line->getValue<int>("tokens_locked"), commune_totals.tokens_locked);
  EXPECT_EQ(line->getValue<int>("renewals_due_next_year"), commune_totals.renewals_due_next_year);
  // The contract's figures are also flat on the agency's line, for readers that expect them so.
  for (const char* figure : {"certificates_valid", "certificates_expired", "tokens",
                             "tokens_locked", "renewals_due_next_year"}) {
    EXPECT_EQ(first->getValue<int>(figure), line->getValue<int>(figure)) << figure;
  }
  EXPECT_EQ(by_agency->getObject(1)->getValue<std::string>("agency"), "H21.09");
  EXPECT_EQ(by_agency->getObject(1)->getObject("totals")->getValue<int>("certificates_valid"), 2);

  const Array::Ptr by_type = json->getArray("by_type");
  ASSERT_EQ(by_type->size(), 3u);
  EXPECT_EQ(by_type->getObject(1)->getValue<std::string>("type"), "commune");
  EXPECT_EQ(by_type->getObject(1)->getValue<int>("agencies_expected"), 2);
  EXPECT_EQ(by_type->getObject(1)->getValue<int>("agencies_reported"), 1);
  const Object::Ptr plan = json->getObject("plan");
  EXPECT_EQ(plan->getValue<int>("year"), 2027);
  EXPECT_EQ(plan->getObject("expected_new")->getValue<int>("individual"), 4);
  EXPECT_EQ(plan->getArray("renewals_by_month")->size(), 12u);
}

}  // namespace
}  // namespace cks::sync
