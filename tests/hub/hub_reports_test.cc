// The agencies' yearly reports at the hub, through the real cks-hub over real mutual TLS and its
// admin commands: every submitted version is kept and the latest counts in the province's
// aggregate; the province sees who has reported, who has not and how stale each figure is; an
// agent cannot submit another agency's report; a replay changes nothing; a bad body is a 400
// naming the field; the aggregate is printed as the contract's JSON or written as XLSX / PDF;
// the deadline reaches every agent through its feed. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/report.h"
#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/report_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/hub/tls_client.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
namespace fs = std::filesystem;

const std::string kFinance = "H55.12";
const std::string kFinanceName = "Sở Tài chính";
const std::string kCommune = "H55.30.05";
const std::string kCommuneName = "UBND xã Bình Chương";
const std::string kSilent = "H55.30.07";  // never reports
const std::string kSilentName = "UBND xã Bình Hải";
constexpr int kYear = 2026;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A complete report of `agency` (draftReport of an empty inventory) with the headline figures
// set by hand.
YearlyReport report(const std::string& agency, const std::string& name, int valid, int locked,
                    TimePoint as_of = now() - std::chrono::days(3)) {
  ReportInputs in;
  in.agency_code = agency;
  in.agency_name = name;
  in.year = kYear;
  in.as_of = as_of;
  YearlyReport r = draftReport(in);
  r.inventory.certificates.individual.valid = valid;
  r.inventory.certificates.organization.expired = 1;
  r.inventory.tokens.ok = valid;
  r.inventory.tokens.locked = locked;
  r.plan.renewals_by_month[0].individual = 2;
  r.officer.expected_new_individual = 5;
  return r;
}

std::string submittedBody(const YearlyReport& r, int version,
                          const std::string& submitted_at = "2027-01-05T03:00:00Z") {
  return R"({"version": )" + std::to_string(version) + R"(, "submitted_at": ")" + submitted_at +
         R"(", "report": )" + sync::stringify(sync::reportJson(r)) + "}";
}

class HubReportsTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
    finance_ = hub_.enroll(kFinance, kFinanceName);
    commune_ = hub_.enroll(kCommune, kCommuneName);
    // The third agency is known to the hub (it has a code to enrol with) but never reports.
    (void)hub_.enrollCode(kSilent, kSilentName);
    // The province's directory says which line of the report each agency counts under.
    writeFile(dir_.file("agencies.csv"),
              "code,name,type\n" + kFinance + "," + kFinanceName + ",department\n" + kCommune +
                  "," + kCommuneName + ",commune\n" + kSilent + "," + kSilentName + ",commune\n");
    const auto imported = hub_.admin({"agencies", "import", dir_.file("agencies.csv")});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  HttpReply pushReply(const EnrolledAgent& agent, const std::vector<std::string>& entries) {
    return hub_.post(agent, "/v1/push", pushJson(entries, "normal"));
  }

  long push(const EnrolledAgent& agent, const std::vector<std::string>& entries) {
    const auto reply = pushReply(agent, entries);
    EXPECT_EQ(reply.status, 200) << reply.body << reply.tls_error;
    return reply.status == 200 ? reply.json()->getValue<long>("acked") : -1;
  }

  Poco::Dynamic::Var adminJson(const std::vector<std::string>& args) {
    const auto result = hub_.admin(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    Poco::JSON::Parser parser;
    return parser.parse(result.out);
  }

  // `report status --json`, by agency code.
  std::map<std::string, Object::Ptr> status() {
    const auto list = adminJson({"report", "status", "--year", std::to_string(kYear), "--json"})
                          .extract<Array::Ptr>();
    std::map<std::string, Object::Ptr> out;
    for (unsigned i = 0; i < list->size(); ++i) {
      out[list->getObject(i)->getValue<std::string>("agency")] = list->getObject(i);
    }
    return out;
  }

  Object::Ptr province() {
    return adminJson({"report", "province", "--year", std::to_string(kYear), "--json"})
        .extract<Object::Ptr>();
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
  EnrolledAgent finance_;
  EnrolledAgent commune_;
};

TEST_P(HubReportsTest, TheAggregateTakesEachAgencysLatestVersionAndListsTheMissing) {
  EXPECT_EQ(push(finance_, {entryJson(1, "f1", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 30, 1), 1))}),
            1);
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            1);
  // The department resubmits: its second version replaces the first in the aggregate.
  EXPECT_EQ(push(finance_, {entryJson(2, "f2", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 40, 0), 2,
                                                    "2027-01-08T03:00:00Z"))}),
            2);

  const auto agencies = status();
  ASSERT_EQ(agencies.size(), 3u);
  EXPECT_EQ(agencies.at(kFinance)->getValue<std::string>("state"), "submitted");
  EXPECT_EQ(agencies.at(kFinance)->getValue<int>("version"), 2);
  EXPECT_EQ(agencies.at(kFinance)->getValue<int>("versions"), 2);  // both are kept
  EXPECT_EQ(agencies.at(kFinance)->getValue<std::string>("submitted_at"), "2027-01-08T03:00:00Z");
  EXPECT_EQ(agencies.at(kFinance)->getValue<std::string>("type"), "department");
  EXPECT_EQ(agencies.at(kCommune)->getValue<std::string>("state"), "submitted");
  EXPECT_EQ(agencies.at(kCommune)->getValue<std::string>("type"), "commune");
  EXPECT_EQ(agencies.at(kSilent)->getValue<std::string>("state"), "missing");
  EXPECT_TRUE(agencies.at(kSilent)->isNull("version"));
  EXPECT_TRUE(agencies.at(kSilent)->isNull("as_of"));

  const auto aggregate = province();
  EXPECT_EQ(aggregate->getValue<int>("year"), kYear);
  EXPECT_EQ(aggregate->getValue<int>("agencies_expected"), 3);
  EXPECT_EQ(aggregate->getValue<int>("agencies_reported"), 2);
  const auto missing = aggregate->getArray("missing");
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_EQ(missing->getElement<std::string>(0), kSilent);
  const auto totals = aggregate->getObject("totals");
  EXPECT_EQ(totals->getValue<int>("certificates_valid"), 40 + 12);
  EXPECT_EQ(totals->getValue<int>("certificates_expired"), 2);
  EXPECT_EQ(totals->getValue<int>("tokens"), 40 + 12 + 2);
  EXPECT_EQ(totals->getValue<int>("tokens_locked"), 2);
  EXPECT_EQ(totals->getValue<int>("renewals_due_next_year"), 4);
  const auto by_agency = aggregate->getArray("by_agency");
  ASSERT_EQ(by_agency->size(), 2u);
  const auto finance = by_agency->getObject(0);  // by code: H55.12 first
  EXPECT_EQ(finance->getValue<std::string>("agency"), kFinance);
  EXPECT_EQ(finance->getValue<int>("version"), 2);
  EXPECT_TRUE(parseIsoUtc(finance->getValue<std::string>("as_of")).has_value());
  EXPECT_EQ(finance->getValue<int>("certificates_valid"), 40);
  EXPECT_EQ(finance->getValue<int>("tokens_locked"), 0);
  EXPECT_EQ(finance->getObject("totals")->getValue<int>("certificates_valid"), 40);
  for (const char* field : {"certificates_expired", "tokens", "renewals_due_next_year"}) {
    EXPECT_TRUE(finance->has(field)) << field;
  }
  EXPECT_EQ(by_agency->getObject(1)->getValue<std::string>("agency"), kCommune);
  EXPECT_EQ(by_agency->getObject(1)->getValue<int>("certificates_valid"), 12);
}

TEST_P(HubReportsTest, AReportForAnotherAgencyIsRefusedAndNothingIsStored) {
  const auto reply =
      pushReply(finance_, {entryJson(1, "f1", "report_submitted",
                                     submittedBody(report(kCommune, kCommuneName, 99, 9), 1))});
  EXPECT_EQ(reply.status, 400) << reply.body;
  const std::string message = reply.json()->getValue<std::string>("message");
  EXPECT_NE(message.find("entries[0].body.report.agency"), std::string::npos) << message;
  EXPECT_NE(message.find(kCommune), std::string::npos) << message;
  EXPECT_EQ(status().at(kCommune)->getValue<std::string>("state"), "missing");
  EXPECT_EQ(province()->getValue<int>("agencies_reported"), 0);
  // Nothing of the refused push was kept: the lane still starts at 1.
  EXPECT_EQ(push(finance_, {entryJson(1, "f1b", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 30, 1), 1))}),
            1);
}

TEST_P(HubReportsTest, AReplayOrAVersionSentTwiceChangesNothing) {
  const std::string entry = entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1));
  EXPECT_EQ(push(commune_, {entry}), 1);
  EXPECT_EQ(push(commune_, {entry}), 1);
  // The same version again under a new entry: the version first stored stays.
  EXPECT_EQ(push(commune_, {entryJson(2, "c2", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 77, 7), 1))}),
            2);
  const auto agencies = status();
  EXPECT_EQ(agencies.at(kCommune)->getValue<int>("versions"), 1);
  EXPECT_EQ(province()->getObject("totals")->getValue<int>("certificates_valid"), 12);
}

// A PC that re-enrolled with a fresh store (or the agency's second PC) numbers its first
// submission 1 again: the hub keeps it as the agency's next version instead of dropping it.
TEST_P(HubReportsTest, ASubmissionFromAReEnrolledPcIsKeptAsTheNextVersion) {
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            1);
  const EnrolledAgent new_pc = hub_.enroll(kCommune, kCommuneName);
  const std::string again =
      entryJson(1, "n1", "report_submitted",
                submittedBody(report(kCommune, kCommuneName, 15, 2), 1, "2027-01-09T02:00:00Z"));
  EXPECT_EQ(push(new_pc, {again}), 1);
  EXPECT_EQ(push(new_pc, {again}), 1);  // a replay stays one version
  const auto agencies = status();
  EXPECT_EQ(agencies.at(kCommune)->getValue<int>("versions"), 2);
  EXPECT_EQ(agencies.at(kCommune)->getValue<int>("version"), 2);
  EXPECT_EQ(province()->getObject("totals")->getValue<int>("certificates_valid"), 15);
}

// The hub stored a submission but its answer was lost; the PC re-enrolled (cksctl enroll
// --force with a new code) and sends the same entry, same uuid, as seq 1 of its new agent_id:
// acknowledged, stored once, still one version (docs/sync-protocol.md, "Exactly once").
TEST_P(HubReportsTest, AnEntryResentAfterAReEnrolmentIsStoredOnce) {
  const std::string entry = entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1));
  EXPECT_EQ(push(commune_, {entry}), 1);
  const EnrolledAgent re_enrolled = hub_.enroll(kCommune, kCommuneName);
  EXPECT_EQ(push(re_enrolled, {entry}), 1);
  EXPECT_EQ(push(re_enrolled, {entry}), 1);  // a replay of the resend
  EXPECT_EQ(status().at(kCommune)->getValue<int>("versions"), 1);
  {
    auto store = openStoreAt(hub_.storeUrl());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(*(*store)->ingest().entryCount(commune_.agent_id), 1);
    EXPECT_EQ(*(*store)->ingest().entryCount(re_enrolled.agent_id), 0);
  }
  // The lane goes on after it.
  EXPECT_EQ(push(re_enrolled, {entryJson(2, "c2", "report_submitted",
                                         submittedBody(report(kCommune, kCommuneName, 15, 2), 2,
                                                       "2027-01-09T02:00:00Z"))}),
            2);
  EXPECT_EQ(status().at(kCommune)->getValue<int>("versions"), 2);
  EXPECT_EQ(province()->getObject("totals")->getValue<int>("certificates_valid"), 15);
}

// Agencies never reach each other's data: an entry whose uuid another agency's agent stored
// is refused, and nothing of the push is kept.
TEST_P(HubReportsTest, AnEntryWithTheUuidOfAnotherAgencysEntryIsRefused) {
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            1);
  const auto reply =
      pushReply(finance_, {entryJson(1, "c1", "report_submitted",
                                     submittedBody(report(kFinance, kFinanceName, 30, 1), 1))});
  EXPECT_EQ(reply.status, 400) << reply.body;
  const std::string message = reply.json()->getValue<std::string>("message");
  EXPECT_NE(message.find("entries[0].uuid: c1"), std::string::npos) << message;
  EXPECT_EQ(status().at(kFinance)->getValue<std::string>("state"), "missing");
  EXPECT_EQ(status().at(kCommune)->getValue<int>("versions"), 1);
  EXPECT_EQ(push(finance_, {entryJson(1, "f1", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 30, 1), 1))}),
            1);
}

// An officer who corrects the plan and submits again within the same second (submitted_at
// counts whole seconds) gets version 2 kept, not taken for a resend of version 1.
TEST_P(HubReportsTest, ACorrectionSubmittedWithinTheSameSecondIsTheNextVersion) {
  const std::string at = "2027-01-09T02:00:00Z";
  EXPECT_EQ(
      push(commune_, {entryJson(1, "c1", "report_submitted",
                                submittedBody(report(kCommune, kCommuneName, 12, 2), 1, at)),
                      entryJson(2, "c2", "report_submitted",
                                submittedBody(report(kCommune, kCommuneName, 14, 2), 2, at))}),
      2);
  const auto agencies = status();
  EXPECT_EQ(agencies.at(kCommune)->getValue<int>("versions"), 2);
  EXPECT_EQ(province()->getObject("totals")->getValue<int>("certificates_valid"), 14);
}

TEST_P(HubReportsTest, ABadBodyIsRefusedNamingTheField) {
  YearlyReport negative = report(kCommune, kCommuneName, 12, 2);
  auto json = sync::reportJson(negative);
  json->getObject("inventory")->getObject("tokens")->set("locked", -1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"submitted_at": "2027-01-05T03:00:00Z", "report": {}})", "entries[0].body.version"},
      {R"({"version": 0, "submitted_at": "2027-01-05T03:00:00Z", "report": {}})",
       "entries[0].body.version"},
      {R"({"version": 1, "submitted_at": "yesterday", "report": {}})",
       "entries[0].body.submitted_at"},
      {R"({"version": 1, "submitted_at": "2027-01-05T03:00:00Z"})", "entries[0].body.report"},
      {R"({"version": 1, "submitted_at": "2027-01-05T03:00:00Z", "report": )" +
           sync::stringify(json) + "}",
       "entries[0].body.report: report: inventory.tokens.locked"},
  };
  for (const auto& [body, field] : cases) {
    const auto reply = pushReply(commune_, {entryJson(1, "c1", "report_submitted", body)});
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(status().at(kCommune)->getValue<std::string>("state"), "missing");
}

TEST_P(HubReportsTest, StatusShowsHowStaleEachFigureIsInVietnameseByDefault) {
  const TimePoint as_of = now() - std::chrono::days(10) - std::chrono::hours(1);
  EXPECT_EQ(
      push(commune_, {entryJson(1, "c1", "report_submitted",
                                submittedBody(report(kCommune, kCommuneName, 12, 2, as_of), 1))}),
      1);
  const auto agencies = status();
  EXPECT_EQ(agencies.at(kCommune)->getValue<long>("staleness_days"), 10);
  EXPECT_EQ(agencies.at(kCommune)->getValue<std::string>("as_of"), formatIsoUtc(as_of));
  EXPECT_TRUE(agencies.at(kFinance)->isNull("staleness_days"));

  const auto text = hub_.admin({"report", "status", "--year", std::to_string(kYear)});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Tình hình nộp báo cáo năm 2026"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Đã nộp"), std::string::npos);
  EXPECT_NE(text.out.find("Chưa nộp"), std::string::npos);
  EXPECT_NE(text.out.find("Đã báo cáo 1/3 cơ quan; chưa báo cáo 2."), std::string::npos);
  const auto english =
      hub_.admin({"--lang", "en", "report", "status", "--year", std::to_string(kYear)});
  EXPECT_NE(english.out.find("1 of 3 agencies have reported; 2 have not."), std::string::npos)
      << english.out << english.err;
  // Another year has nothing yet.
  const auto other = hub_.admin({"report", "status", "--year", "2025"});
  EXPECT_NE(other.out.find("Đã báo cáo 0/3 cơ quan"), std::string::npos) << other.out;
}

// An officer who saved figures but has not submitted: the province sees a draft in progress
// (the draft itself stays on the agent), and the aggregate still counts the agency missing.
TEST_P(HubReportsTest, AnAgencyWorkingOnItsReportShowsAsADraftUntilItSubmits) {
  const std::string first = R"({"year": 2026, "saved_at": "2026-12-10T03:00:00Z"})";
  const std::string later = R"({"year": 2026, "saved_at": "2026-12-11T03:00:00Z"})";
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_draft_saved", later),
                            entryJson(2, "c2", "report_draft_saved", first)}),
            2);
  auto agencies = status();
  EXPECT_EQ(agencies.at(kCommune)->getValue<std::string>("state"), "draft");
  // A save that arrives late does not move the latest one back.
  EXPECT_EQ(agencies.at(kCommune)->getValue<std::string>("draft_saved_at"), "2026-12-11T03:00:00Z");
  EXPECT_TRUE(agencies.at(kCommune)->isNull("version"));
  EXPECT_EQ(agencies.at(kFinance)->getValue<std::string>("state"), "missing");
  EXPECT_TRUE(agencies.at(kFinance)->isNull("draft_saved_at"));
  const auto text = hub_.admin({"report", "status", "--year", std::to_string(kYear), "--wide"});
  EXPECT_NE(text.out.find("Đang soạn, chưa nộp (lưu lúc 11/12/2026 10:00)"), std::string::npos)
      << text.out;
  const auto aggregate = hub_.admin({"report", "province", "--year", "2026", "--json"});
  EXPECT_NE(aggregate.out.find(kCommune), std::string::npos);
  EXPECT_NE(aggregate.out.find(R"("agencies_reported":0)"), std::string::npos) << aggregate.out;

  EXPECT_EQ(push(commune_, {entryJson(3, "c3", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            3);
  EXPECT_EQ(status().at(kCommune)->getValue<std::string>("state"), "submitted");

  for (const std::string& bad : {std::string(R"({"saved_at": "2026-12-10T03:00:00Z"})"),
                                 std::string(R"({"year": 2026, "saved_at": "soon"})")}) {
    const auto reply = pushReply(finance_, {entryJson(1, "f1", "report_draft_saved", bad)});
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_NE(reply.json()->getValue<std::string>("message").find("entries[0].body."),
              std::string::npos)
        << reply.body;
  }
}

TEST_P(HubReportsTest, TheAggregateIsWrittenAsAWorkbookOrAPdfByTheFilesExtension) {
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            1);
  auto firstBytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(4, '\0');
    in.read(head.data(), 4);
    return head;
  };
  const std::string xlsx = dir_.file("tong-hop-2026.xlsx");
  auto result = hub_.admin({"report", "province", "--year", "2026", "-o", xlsx});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(xlsx), std::string::npos) << result.out;
  EXPECT_EQ(firstBytes(xlsx), std::string("PK\x03\x04", 4));
  const std::string pdf = dir_.file("tong-hop-2026.pdf");
  result = hub_.admin({"report", "province", "--year", "2026", "-o", pdf});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(firstBytes(pdf), "%PDF");
  const auto text = runCommand({"pdftotext", pdf, "-"});
  EXPECT_NE(text.out.find("UBND xã Bình Hải"), std::string::npos) << text.out;  // missing

  const std::string csv = dir_.file("tong-hop-2026.csv");
  result = hub_.admin({"report", "province", "--year", "2026", "-o", csv});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(".xlsx"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(csv));
  const std::string nowhere = dir_.file("no-such-folder/tong-hop.xlsx");
  result = hub_.admin({"report", "province", "--year", "2026", "-o", nowhere});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(nowhere), std::string::npos) << result.err;

  EXPECT_EQ(hub_.admin({"report", "province", "--year", "next"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"report", "province"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"report", "summary", "--year", "2026"}).exit_code, 2);

  const auto summary = hub_.admin({"report", "province", "--year", "2026"});
  EXPECT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_NE(summary.out.find("Báo cáo tổng hợp năm 2026: 1/3 cơ quan đã báo cáo"),
            std::string::npos)
      << summary.out;
  EXPECT_NE(summary.out.find("H55.12 Sở Tài chính"), std::string::npos) << summary.out;
}

TEST_P(HubReportsTest, TheDeadlineReachesEveryAgentThroughItsFeed) {
  auto deadlineItems = [&](const EnrolledAgent& agent) {
    const auto reply = hub_.post(agent, "/v1/pull", R"({"cursor": 0})");
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<Object::Ptr> out;
    const auto items = reply.json()->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      if (items->getObject(i)->getValue<std::string>("kind") == "report_deadline") {
        out.push_back(items->getObject(i)->getObject("body"));
      }
    }
    return out;
  };
  const auto sent = hub_.admin({"report", "deadline", "--year", "2026", "--date", "2027-01-15",
                                "--remind-from", "2026-12-20"});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("tới 2 máy trạm"), std::string::npos) << sent.out;
  for (const auto& agent : {finance_, commune_}) {
    const auto items = deadlineItems(agent);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0]->getValue<int>("year"), 2026);
    EXPECT_EQ(items[0]->getValue<std::string>("deadline"), "2027-01-15");
    EXPECT_EQ(items[0]->getValue<std::string>("remind_from"), "2026-12-20");
  }
  // Without --remind-from the officer is reminded from 30 days before.
  const auto json =
      adminJson({"report", "deadline", "--year", "2026", "--date", "2027-01-15", "--json"})
          .extract<Object::Ptr>();
  EXPECT_EQ(json->getValue<std::string>("remind_from"), "2026-12-16");
  EXPECT_EQ(json->getValue<int>("agents"), 2);
  EXPECT_EQ(deadlineItems(commune_).size(), 2u);

  EXPECT_EQ(hub_.admin({"report", "deadline", "--year", "2026", "--date", "15/01/2027"}).exit_code,
            2);
  EXPECT_EQ(hub_.admin({"report", "deadline", "--year", "2026", "--date", "2027-01-15",
                        "--remind-from", "2027-02-01"})
                .exit_code,
            2);
  EXPECT_EQ(hub_.admin({"report", "deadline", "--year", "2026"}).exit_code, 2);
}

// Province → nation: the province hub's aggregate, as `report province --json` prints it,
// submitted by the province hub itself (`upstream enroll`, then `report submit`: enrolled at the
// national hub as an agent of its own code, over mutual TLS) as a province_report_submitted
// entry; the national hub keeps every version per province and sums the provinces. A national
// hub that is away leaves the version queued until `upstream sync`. Refusals are pushed by hand
// to show what the national hub checks.
TEST_P(HubReportsTest, AProvinceAggregateSubmittedUpwardIsKeptAndSummedByTheNationalHub) {
  EXPECT_EQ(push(finance_, {entryJson(1, "f1", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 30, 1), 1))}),
            1);
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            1);
  const auto aggregate = hub_.admin({"report", "province", "--year", "2026", "--json"});
  ASSERT_EQ(aggregate.exit_code, 0) << aggregate.err;
  auto upward = [&](const std::string& province, const std::string& report_json) {
    return R"({"version": 1, "submitted_at": "2027-01-20T02:00:00Z", "province": ")" + province +
           R"(", "report": )" + report_json + "}";
  };

  TempDir national_dir;
  HubUnderTest national(national_dir.path().string(), {.store_url = storeUrlFor(GetParam())});
  national.start();
  const auto quang_ngai = national.enroll("H55", "Sở KH&CN tỉnh Quảng Ngãi");
  const auto binh_dinh = national.enroll("H56", "Sở KH&CN tỉnh Bình Định");

  // Another province cannot submit Quảng Ngãi's aggregate.
  auto reply = national.post(
      binh_dinh, "/v1/push",
      pushJson({entryJson(1, "b1", "province_report_submitted", upward("H55", aggregate.out))}));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_NE(reply.json()->getValue<std::string>("message").find("entries[0].body.province"),
            std::string::npos)
      << reply.body;
  // An aggregate whose missing list does not add up is refused, naming the field.
  reply = national.post(
      quang_ngai, "/v1/push",
      pushJson({entryJson(1, "q0", "province_report_submitted",
                          upward("H55", R"({"year": 2026, "generated_at": "2027-01-20T01:00:00Z",
                                 "agencies_expected": 3, "agencies_reported": 2, "missing": [],
                                 "totals": {"certificates_valid": 1, "certificates_expired": 0,
                                 "tokens": 1, "tokens_locked": 0, "renewals_due_next_year": 0},
                                 "by_agency": []})"))}));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_NE(reply.json()->getValue<std::string>("message").find("entries[0].body.report.missing"),
            std::string::npos)
      << reply.body;

  // Before enrolment there is nowhere to send the aggregate.
  const auto unlinked = hub_.admin({"report", "submit", "--year", "2026"});
  EXPECT_EQ(unlinked.exit_code, 1);
  EXPECT_NE(unlinked.err.find("upstream enroll"), std::string::npos) << unlinked.err;

  // The province hub enrols itself with a code of the national hub and submits.
  writeFile(dir_.path() / "national-ca.pem", national.serverCa());
  const std::string national_url = "https://127.0.0.1:" + std::to_string(national.port());
  // A code the national hub never gave is refused, and nothing is left to block the real one.
  const auto wrong =
      hub_.admin({"upstream", "enroll", "--hub", national_url, "--code", "AAAA-BBBB-CCCC-DDDD",
                  "--hub-ca", (dir_.path() / "national-ca.pem").string()});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out << wrong.err;
  EXPECT_NE(wrong.err.find("Không đăng ký được với hub quốc gia"), std::string::npos) << wrong.err;
  EXPECT_EQ(hub_.admin({"upstream", "enroll", "--hub", national_url}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"upstream"}).exit_code, 2);
  const auto enrolled = hub_.admin({"upstream", "enroll", "--hub", national_url, "--code",
                                    national.enrollCode("H55", "Sở KH&CN tỉnh Quảng Ngãi"),
                                    "--hub-ca", (dir_.path() / "national-ca.pem").string()});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_NE(enrolled.out.find("H55"), std::string::npos) << enrolled.out;
  EXPECT_EQ(std::filesystem::status(dir_.path() / "upstream" / "agent.key").permissions() &
                std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto sent = hub_.admin({"report", "submit", "--year", "2026"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("bản 1 (2/3 cơ quan đã báo cáo)"), std::string::npos) << sent.out;

  const auto result = national.admin({"report", "nation", "--year", "2026", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Poco::JSON::Parser parser;
  const auto nation = parser.parse(result.out).extract<Object::Ptr>();
  EXPECT_EQ(nation->getValue<int>("provinces_reported"), 1);
  EXPECT_EQ(nation->getObject("totals")->getValue<int>("certificates_valid"), 30 + 12);
  EXPECT_EQ(nation->getObject("totals")->getValue<int>("tokens_locked"), 3);
  const auto line = nation->getArray("by_province")->getObject(0);
  EXPECT_EQ(line->getValue<std::string>("province"), "H55");
  EXPECT_EQ(line->getValue<std::string>("province_name"), "Sở KH&CN tỉnh Quảng Ngãi");
  EXPECT_EQ(line->getValue<int>("agencies_expected"), 3);
  EXPECT_EQ(line->getValue<int>("agencies_reported"), 2);
  EXPECT_EQ(line->getArray("missing")->getElement<std::string>(0), kSilent);
  EXPECT_EQ(line->getValue<int>("version"), 1);
  const auto text = national.admin({"report", "nation", "--year", "2026"});
  EXPECT_NE(text.out.find("H55 Sở KH&CN tỉnh Quảng Ngãi"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2/3"), std::string::npos) << text.out;

  // The silent agency reports after all; the national hub is away when the province submits
  // again: version 2 waits in the link's outbox and goes with the next `upstream sync`.
  EXPECT_EQ(push(hub_.enroll(kSilent, kSilentName),
                 {entryJson(1, "s1", "report_submitted",
                            submittedBody(report(kSilent, kSilentName, 5, 0), 1))}),
            1);
  ASSERT_EQ(national.stop(), 0);
  const auto queued = hub_.admin({"report", "submit", "--year", "2026"});
  EXPECT_EQ(queued.exit_code, 4) << queued.out << queued.err;
  EXPECT_NE(queued.err.find("upstream sync"), std::string::npos) << queued.err;
  EXPECT_EQ(hub_.admin({"upstream", "sync"}).exit_code, 4);
  national.start();
  const auto synced = hub_.admin({"upstream", "sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  const auto later = national.admin({"report", "nation", "--year", "2026", "--json"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  const auto now_line = Poco::JSON::Parser()
                            .parse(later.out)
                            .extract<Object::Ptr>()
                            ->getArray("by_province")
                            ->getObject(0);
  EXPECT_EQ(now_line->getValue<int>("version"), 2);
  EXPECT_EQ(now_line->getValue<int>("agencies_reported"), 3);
  EXPECT_EQ(now_line->getArray("missing")->size(), 0u);
  EXPECT_EQ(now_line->getObject("totals")->getValue<int>("certificates_valid"), 30 + 12 + 5);
}

// Issue 12, point 16: a typo such as 2062 from an agent that did not check the year must not
// show at the province as a report or a draft; the entries are acknowledged (the agent's outbox
// must not stall on them) and the hub's log says why they were not kept.
TEST_P(HubReportsTest, AReportOrADraftForAnAbsurdYearIsAcknowledgedButNotKept) {
  YearlyReport typo = report(kCommune, kCommuneName, 12, 2);
  typo.year = 2062;
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_draft_saved",
                                      R"({"year": 2062, "saved_at": "2026-12-10T03:00:00Z"})"),
                            entryJson(2, "c2", "report_submitted", submittedBody(typo, 1))}),
            2);
  const auto list =
      adminJson({"report", "status", "--year", "2062", "--json"}).extract<Array::Ptr>();
  for (unsigned i = 0; i < list->size(); ++i) {
    EXPECT_EQ(list->getObject(i)->getValue<std::string>("state"), "missing")
        << list->getObject(i)->getValue<std::string>("agency");
  }
  std::ifstream log(hub_.log());
  const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(logged.find("is for year 2062"), std::string::npos) << logged;
  // A plausible year next to it is kept as ever.
  EXPECT_EQ(push(commune_, {entryJson(3, "c3", "report_submitted",
                                      submittedBody(report(kCommune, kCommuneName, 12, 2), 1))}),
            3);
  EXPECT_EQ(status().at(kCommune)->getValue<std::string>("state"), "submitted");
}

// Issue 12, point 16: the agencies' difficulties and proposals reach the province's report, by
// agency, in its JSON, PDF and workbook.
TEST_P(HubReportsTest, TheProvincesReportCarriesEachAgencysDifficultiesAndProposals) {
  YearlyReport commune = report(kCommune, kCommuneName, 12, 2);
  commune.officer.difficulties = "Đường truyền chập chờn ở thôn Trà Bồng";
  commune.officer.proposals = "Cấp thêm token dự phòng cho văn thư";
  EXPECT_EQ(push(commune_, {entryJson(1, "c1", "report_submitted", submittedBody(commune, 1))}), 1);
  EXPECT_EQ(push(finance_, {entryJson(1, "f1", "report_submitted",
                                      submittedBody(report(kFinance, kFinanceName, 30, 0), 1))}),
            1);
  const auto lines = province()->getArray("by_agency");
  ASSERT_EQ(lines->size(), 2u);
  for (unsigned i = 0; i < lines->size(); ++i) {
    const auto line = lines->getObject(i);
    const auto remarks = line->getObject("remarks");
    ASSERT_TRUE(remarks) << line->getValue<std::string>("agency");
    const bool is_commune = line->getValue<std::string>("agency") == kCommune;
    EXPECT_EQ(remarks->getValue<std::string>("difficulties"),
              is_commune ? commune.officer.difficulties : "");
    EXPECT_EQ(remarks->getValue<std::string>("proposals"),
              is_commune ? commune.officer.proposals : "");
  }

  const std::string pdf = dir_.file("tong-hop-2026.pdf");
  ASSERT_EQ(hub_.admin({"report", "province", "--year", "2026", "-o", pdf}).exit_code, 0);
  auto text = runCommand({"pdftotext", "-raw", pdf, "-"}).out;
  std::replace(text.begin(), text.end(), '\n', ' ');
  EXPECT_NE(text.find("Khó khăn, vướng mắc và đề xuất, kiến nghị của các cơ quan"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Cấp thêm token dự phòng"), std::string::npos) << text;
  EXPECT_NE(text.find("Đường truyền chập chờn"), std::string::npos) << text;

  const std::string xlsx = dir_.file("tong-hop-2026.xlsx");
  ASSERT_EQ(hub_.admin({"report", "province", "--year", "2026", "-o", xlsx}).exit_code, 0);
  const auto sheet = runCommand({"/usr/bin/python3", "-c",
                                 "import sys, openpyxl\nsheet = "
                                 "openpyxl.load_workbook(sys.argv[1])['Kiến nghị của cơ quan']\n"
                                 "print('|'.join(str(c.value) for c in sheet[7]))",
                                 xlsx});
  ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
  EXPECT_EQ(sheet.out, kCommune + "|" + kCommuneName + "|" + commune.officer.difficulties + "|" +
                           commune.officer.proposals + "\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, HubReportsTest, kStoreBackends, storeBackendName);

// Issue 12, point 4: the province's identity comes from [province] of hub.ini: every agent
// learns its agency's identity at enrolment, and the province's own report names the Sở of the
// province under its People's Committee and ends with the director's signature block. Without
// [province] the documents say the province is not known.
TEST(HubProvinceIdentityTest, EnrolmentAndTheProvincesReportNameTheProvinceOfHubIni) {
  TempDir dir;
  HubUnderTest hub(
      dir.path().string(),
      {.extra = "[province]\nname = Đà Nẵng\nkind = thành phố\nsigner = Lê Văn Tám\n"});
  hub.start();
  const std::string code = hub.enrollCode("H48.10.02", "UBND phường Hải Châu");
  const std::string key = makeKeyPem();
  Object body;
  body.set("code", code);
  body.set("csr", makeCsrPem(key));
  body.set("host", "PC-VANTHU");
  body.set("agent_version", "0.2.0");
  const auto reply = post(hub.port(), hub.client(makeSelfSignedPem(key), key), "/v1/enroll",
                          sync::stringify(body));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto agency = reply.json()->getObject("agency");
  EXPECT_EQ(agency->getValue<std::string>("code"), "H48.10.02");
  EXPECT_EQ(agency->getValue<std::string>("name"), "UBND phường Hải Châu");
  EXPECT_EQ(agency->getValue<std::string>("parent_body"), "UBND thành phố Đà Nẵng");
  EXPECT_EQ(agency->getValue<std::string>("province"), "thành phố Đà Nẵng");
  EXPECT_EQ(agency->getValue<std::string>("place"), "Đà Nẵng");
  EXPECT_EQ(agency->getValue<std::string>("department"),
            "Sở Khoa học và Công nghệ thành phố Đà Nẵng");

  const std::string pdf = dir.file("tong-hop.pdf");
  const auto written = hub.admin({"report", "province", "--year", "2026", "-o", pdf});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  auto text = runCommand({"pdftotext", "-raw", pdf, "-"}).out;
  std::replace(text.begin(), text.end(), '\n', ' ');
  for (const char* expected :
       {"UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Đà Nẵng, ngày", "GIÁM ĐỐC",
        "(Ký, ghi rõ họ tên, đóng dấu)", "Lê Văn Tám"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("Quảng Ngãi"), std::string::npos) << text;
  // The signature block closes the document.
  EXPECT_GT(text.rfind("GIÁM ĐỐC"), text.rfind("Cơ quan chưa báo cáo")) << text;
  const std::string xlsx = dir.file("tong-hop.xlsx");
  ASSERT_EQ(hub.admin({"report", "province", "--year", "2026", "-o", xlsx}).exit_code, 0);
  const auto header = runCommand(
      {"/usr/bin/python3", "-c",
       "import sys, "
       "openpyxl\nprint(openpyxl.load_workbook(sys.argv[1]).worksheets[0].oddHeader.center.text)",
       xlsx});
  EXPECT_EQ(header.out, "Sở Khoa học và Công nghệ thành phố Đà Nẵng\n") << header.err;

  // A hub without [province]: the heading says so instead of naming a province.
  TempDir bare_dir;
  HubUnderTest bare(bare_dir.path().string());
  const std::string bare_pdf = bare_dir.file("tong-hop.pdf");
  ASSERT_EQ(bare.admin({"report", "province", "--year", "2026", "-o", bare_pdf}).exit_code, 0);
  auto bare_text = runCommand({"pdftotext", "-raw", bare_pdf, "-"}).out;
  std::replace(bare_text.begin(), bare_text.end(), '\n', ' ');
  EXPECT_NE(bare_text.find("đặt [province] name trong hub.ini"), std::string::npos) << bare_text;
  EXPECT_EQ(bare_text.find("Quảng Ngãi"), std::string::npos) << bare_text;
}

}  // namespace
}  // namespace cks::test
