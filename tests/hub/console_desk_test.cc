// The province's desk in the console (issue 14, items 3, 5–7), through the real cks-hub on its
// console port: a request's official form printed at the hub, a merger published and each
// unit's batch followed as a real agent on SoftHSM tokens files it, the yearly
// reports (one agency's in full with its remarks, the aggregate as JSON, XLSX and PDF, the
// deadline, the submission upward refused before the hub enrolled with a national hub) and the
// certificate and token lists exported whole as CSV and XLSX. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/report.h"
#include "hub/enroll_code.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/report_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using hub::StaffRole;
using Poco::JSON::Object;

const std::string kAgency = "H21.09";
const std::string kAgencyName = "UBND xã Bình Chương";
constexpr int kYear = 2026;

class ConsoleDeskTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  struct Staff {
    std::string cookie;
    std::string csrf;
  };

  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
    agent_ = hub_.enroll(kAgency, kAgencyName);
  }

  // A staff account of `role`, made as the admin CLI makes it, logged in with its password
  // changed as the first login must.
  Staff staff(const std::string& name, StaffRole role) {
    auto store = openStoreAt(hub_.storeUrl());
    EXPECT_TRUE(store) << store.error().message;
    const SystemClock clock;
    auto issued =
        hub::StaffService(hub::provinceContext(**store, clock, Language::English, "cli:test"))
            .addUser(name, role);
    EXPECT_TRUE(issued) << issued.error().message;
    Object credentials;
    credentials.set("name", name);
    credentials.set("password", issued->password);
    const auto reply = send("POST", "/login", sync::stringify(credentials));
    EXPECT_EQ(reply.status, 200) << reply.body;
    Staff in{reply.headers.at("set-cookie").substr(0, reply.headers.at("set-cookie").find(';')),
             reply.json()->getValue<std::string>("csrf_token")};
    Object change;
    change.set("current", issued->password);
    change.set("next", "Mật-khẩu-mới-2026");
    EXPECT_EQ(send("POST", "/api/v1/password", sync::stringify(change), &in).status, 200);
    return in;
  }

  HttpReply send(const std::string& method, const std::string& path, const std::string& body = "",
                 const Staff* staff = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    if (staff != nullptr) {
      headers.emplace_back("Cookie", staff->cookie);
      headers.emplace_back("X-CSRF-Token", staff->csrf);
    }
    TlsConnection tls(console_port_, hub_.client());
    EXPECT_TRUE(tls.handshakeDone()) << tls.error();
    return tls.request(method, path, body, headers);
  }

  void push(const std::vector<std::string>& entries) {
    const auto pushed = hub_.post(agent_, "/v1/push", pushJson(entries));
    ASSERT_EQ(pushed.status, 200) << pushed.body;
  }

  // The agent's token T1 holding one certificate of "Nguyễn Văn An"; its fingerprint.
  std::string certificateOnAToken() {
    const TimePoint now = SystemClock().now();
    const auto der = ca_.issue(individualSpec("Nguyễn Văn An", now - 24h * 30, now + 24h * 20));
    push({entryJson(1, hub::newUuid(), "token_inserted", tokenBody("T1")),
          entryJson(2, hub::newUuid(), "certificate_appeared", certificateBody("T1", der))});
    return sha256Hex(der);
  }

  // The text of a PDF the console sent.
  std::string pdfText(const std::string& bytes) {
    const std::string file = dir_.file("answer.pdf");
    writeFile(file, bytes);
    return runCommand({"pdftotext", "-raw", file, "-"}).out;
  }

  static void expectDownload(const HttpReply& reply, const std::string& type,
                             const std::string& name, const std::string& magic) {
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_NE(reply.headers.at("content-type").find(type), std::string::npos);
    EXPECT_NE(reply.headers.at("content-disposition").find(name), std::string::npos)
        << reply.headers.at("content-disposition");
    EXPECT_EQ(reply.body.substr(0, magic.size()), magic);
  }

  TempDir dir_;
  const int console_port_ = freePort();
  HubUnderTest hub_{dir_.path().string(),
                    {.extra = "[console]\nport = " + std::to_string(console_port_) +
                              "\nwww = " CKS_SOURCE_DIR "/hub/console/www\n"
                              "[province]\nname = Quảng Ngãi\n",
                     .store_url = storeUrlFor(GetParam())}};
  EnrolledAgent agent_;
  TestCa ca_;
};

TEST_P(ConsoleDeskTest, TheHubPrintsARequestsOfficialFormNamingTheAgency) {
  const std::string fingerprint = certificateOnAToken();
  push({entryJson(
      3, "e3", "request_filed",
      R"({"request": {"id": "r-1", "kind": "renewal", "state": "submitted", "form": "04", )"
      R"("fingerprint_sha256": ")" +
          fingerprint +
          R"(", "fields": {}, "handled_by": "province", "created_at": "2026-03-05T02:00:00Z", )"
          R"("supersedes": []}})")});
  const Staff viewer = staff("lanhdao", StaffRole::Viewer);

  const auto inbox = send("GET", "/api/v1/requests?overdue=true", "", &viewer);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  const auto form = send("GET", "/api/v1/requests/r-1/form.pdf", "", &viewer);
  expectDownload(form, "application/pdf", "mau-04-r-1.pdf", "%PDF");
  const std::string text = pdfText(form.body);
  EXPECT_NE(text.find("BÌNH CHƯƠNG"), std::string::npos) << text;
  EXPECT_NE(text.find(kAgency), std::string::npos) << text;
  EXPECT_NE(text.find("Mẫu số 04"), std::string::npos) << text;
  EXPECT_NE(text.find("Quảng Ngãi"), std::string::npos) << text;
  EXPECT_EQ(send("GET", "/api/v1/requests/nothing/form.pdf", "", &viewer).status, 404);
}

TEST_P(ConsoleDeskTest, AnOfficerPublishesAMergerAndTheDeadlineAViewerMayNot) {
  const Staff viewer = staff("lanhdao", StaffRole::Viewer);
  const Staff officer = staff("canbo", StaffRole::Officer);
  const std::string merger =
      R"({"from": [{"code": ")" + kAgency +
      R"("}, {"code": "H21.10", "name": "UBND xã Bình Hải"}], )"
      R"("into": {"code": "H21.11", "name": "UBND xã Bình Sơn"}, "decision": "NQ 1/2025"})";
  EXPECT_EQ(send("POST", "/api/v1/mergers", merger, &viewer).status, 403);
  const auto published = send("POST", "/api/v1/mergers", merger, &officer);
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_NE(published.body.find("UBND xã Bình Sơn"), std::string::npos) << published.body;
  EXPECT_EQ(send("POST", "/api/v1/mergers", R"({"from": []})", &officer).status, 400);

  const std::string path = "/api/v1/reports/" + std::to_string(kYear) + "/deadline";
  const std::string deadline = R"({"deadline": "2027-01-15", "remind_from": "2027-01-02"})";
  EXPECT_EQ(send("POST", path, deadline, &viewer).status, 403);
  const auto announced = send("POST", path, deadline, &officer);
  ASSERT_EQ(announced.status, 200) << announced.body;
  EXPECT_NE(announced.body.find("2027-01-15"), std::string::npos) << announced.body;
  const auto bad = send("POST", path, R"({"deadline": "15/01/2027"})", &officer);
  EXPECT_EQ(bad.status, 400) << bad.body;
  // The agent learns both at its next pull.
  const auto pulled = hub_.post(agent_, "/v1/pull", R"({"cursor": 0})");
  EXPECT_NE(pulled.body.find("UBND xã Bình Sơn"), std::string::npos) << pulled.body;
  EXPECT_NE(pulled.body.find("2027-01-15"), std::string::npos) << pulled.body;
}

// Sáp nhập, followed: the officer publishes a merger of H21.09 and H21.10 into H21.11 through
// the API; the PC of H21.10 (a real agent on a SoftHSM token holding the commune's organisation
// certificate) plans from the announcement, files its batch and syncs. The merger then shows
// H21.10's batch arrived, counted by kind and state as the agent filed it, and the other units'
// batches not yet.
TEST_P(ConsoleDeskTest, AMergersPageShowsEachUnitsBatchOnceItArrived) {
  SoftHsm hsm(dir_.path());
  hsm.createToken("Văn thư");
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(SystemClock().now());
  hsm.writeCertificate(
      "Văn thư", ca_.issue(organizationSpec("UBND XÃ BÌNH HẢI", now - 24h * 100, now + 24h * 600)),
      "CTS UBND xa", "01");
  AgentUnderTest pc(dir_.path(), "binhhai", {.modules = {SoftHsm::kModule}});
  pc.start();
  writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
  const auto enrolled =
      pc.ctl({"enroll", "--hub", "https://127.0.0.1:" + std::to_string(hub_.port()), "--code",
              hub_.enrollCode("H21.10", "UBND xã Bình Hải"), "--hub-ca", dir_.file("hub-ca.pem")});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  const Staff viewer = staff("lanhdao", StaffRole::Viewer);
  const Staff officer = staff("canbo", StaffRole::Officer);

  const auto published = send("POST", "/api/v1/mergers",
                              R"({"from": [{"code": "H21.09"}, {"code": "H21.10"}], )"
                              R"("into": {"code": "H21.11", "name": "UBND xã Bình Sơn"}, )"
                              R"("decision": "Nghị quyết 1/2025"})",
                              &officer);
  ASSERT_EQ(published.status, 201) << published.body;
  const std::string id = published.json()->getObject("merger")->getValue<std::string>("id");
  const auto units = [&](const HttpReply& reply) { return reply.json()->getArray("units"); };
  const auto before = send("GET", "/api/v1/mergers/" + id, "", &viewer);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json()->getValue<std::string>("published_by"), "canbo");
  EXPECT_EQ(before.json()->getValue<int>("units_arrived"), 0) << before.body;
  ASSERT_EQ(units(before)->size(), 3u) << "two merged units and the new one";

  ASSERT_EQ(pc.ctl({"sync"}).exit_code, 0);
  const std::string plan = dir_.file("plan.json");
  const auto planned = pc.ctl({"merger", "plan", "-o", plan});
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  const auto applied = pc.ctl({"merger", "apply", plan, "--json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const auto filed = Poco::JSON::Parser()
                         .parse(applied.out.substr(0, applied.out.find('\n')))
                         .extract<Object::Ptr>()
                         ->getArray("filed");
  ASSERT_GE(filed->size(), 1u) << applied.out;
  std::map<std::string, int> filed_kinds;
  for (size_t i = 0; i < filed->size(); ++i) {
    ++filed_kinds[filed->getObject(unsigned(i))->getValue<std::string>("kind")];
  }
  ASSERT_EQ(pc.ctl({"sync"}).exit_code, 0);

  const auto after = send("GET", "/api/v1/mergers/" + id, "", &viewer);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json()->getValue<int>("units_arrived"), 1) << after.body;
  std::map<std::string, Object::Ptr> by_code;
  for (size_t i = 0; i < units(after)->size(); ++i) {
    const auto unit = units(after)->getObject(unsigned(i));
    by_code[unit->getValue<std::string>("code")] = unit;
  }
  EXPECT_EQ(by_code.at("H21.09")->getValue<std::string>("name"), kAgencyName);
  EXPECT_TRUE(by_code.at("H21.09")->isNull("batch")) << "its PC filed nothing yet";
  EXPECT_TRUE(by_code.at("H21.11")->getValue<bool>("new"));
  EXPECT_TRUE(by_code.at("H21.11")->isNull("batch"));
  const auto batch = by_code.at("H21.10")->getObject("batch");
  ASSERT_TRUE(batch) << after.body;
  EXPECT_EQ(batch->getValue<int>("requests"), int(filed->size()));
  EXPECT_FALSE(batch->isNull("arrived_at"));
  std::map<std::string, int> arrived_kinds;
  const auto counts = batch->getArray("counts");
  for (size_t i = 0; i < counts->size(); ++i) {
    const auto count = counts->getObject(unsigned(i));
    EXPECT_EQ(count->getValue<std::string>("state"), "received");
    arrived_kinds[count->getValue<std::string>("kind")] += count->getValue<int>("count");
  }
  EXPECT_EQ(arrived_kinds, filed_kinds);

  // The list holds it too, and the admin CLI says the same.
  const auto list = send("GET", "/api/v1/mergers", "", &viewer);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()->getArray("items")->size(), 1u);
  const auto listed = hub_.admin({"merger", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(
      sync::stringify(*Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>()),
      sync::stringify(*list.json()->getArray("items")));
  EXPECT_EQ(send("GET", "/api/v1/mergers/no-such-merger", "", &viewer).status, 404);
}

TEST_P(ConsoleDeskTest, TheYearlyReportsInFullAndTheAggregateAsJsonXlsxAndPdf) {
  ReportInputs in;
  in.agency_code = kAgency;
  in.agency_name = kAgencyName;
  in.year = kYear;
  in.as_of = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
             std::chrono::days(3);
  YearlyReport report = draftReport(in);
  report.officer.difficulties = "<b>Thiếu token</b> cho cán bộ mới";
  push({entryJson(1, "c1", "report_submitted",
                  R"({"version": 1, "submitted_at": "2027-01-05T03:00:00Z", "report": )" +
                      sync::stringify(sync::reportJson(report)) + "}")});
  const Staff viewer = staff("lanhdao", StaffRole::Viewer);
  const Staff officer = staff("canbo", StaffRole::Officer);
  const std::string base = "/api/v1/reports/" + std::to_string(kYear);

  const auto full = send("GET", base + "/agencies/" + kAgency, "", &viewer);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(full.json()->getValue<std::string>("state"), "submitted");
  EXPECT_EQ(
      full.json()->getObject("report")->getObject("remarks")->getValue<std::string>("difficulties"),
      "<b>Thiếu token</b> cho cán bộ mới");
  EXPECT_EQ(send("GET", base + "/agencies/H99.99", "", &viewer).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/reports/19/province", "", &viewer).status, 400);

  const auto aggregate = send("GET", base + "/province", "", &viewer);
  ASSERT_EQ(aggregate.status, 200) << aggregate.body;
  EXPECT_EQ(aggregate.json()->getValue<int>("agencies_reported"), 1) << aggregate.body;
  expectDownload(send("GET", base + "/province.xlsx", "", &viewer), "spreadsheetml",
                 "bao-cao-tinh-2026.xlsx", "PK");
  const auto pdf = send("GET", base + "/province.pdf", "", &viewer);
  expectDownload(pdf, "application/pdf", "bao-cao-tinh-2026.pdf", "%PDF");
  EXPECT_NE(pdfText(pdf.body).find("Quảng Ngãi"), std::string::npos);

  // Upward: an officer's call, refused with a reason before the hub enrolled with the nation.
  EXPECT_EQ(send("POST", base + "/submit", "{}", &viewer).status, 403);
  const auto upward = send("POST", base + "/submit", "{}", &officer);
  EXPECT_EQ(upward.status, 409) << upward.body;
  EXPECT_NE(upward.body.find("upstream enroll"), std::string::npos) << upward.body;
}

TEST_P(ConsoleDeskTest, TheCertificateAndTokenListsExportWholeAsCsvAndXlsx) {
  const std::string fingerprint = certificateOnAToken();
  const Staff viewer = staff("lanhdao", StaffRole::Viewer);

  const auto csv = send("GET", "/api/v1/certificates?format=csv&agency=" + kAgency, "", &viewer);
  expectDownload(csv, "text/csv", "certificates.csv",
                 "\xEF\xBB\xBF"
                 "Tên,Tổ chức,Đơn vị,");
  EXPECT_NE(csv.body.find("Nguyễn Văn An"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(fingerprint), std::string::npos) << csv.body;
  const auto none = send("GET", "/api/v1/certificates?format=csv&days=1", "", &viewer);
  EXPECT_EQ(none.body.find("Nguyễn Văn An"), std::string::npos) << "the filters hold";
  expectDownload(send("GET", "/api/v1/certificates?format=xlsx", "", &viewer), "spreadsheetml",
                 "certificates.xlsx", "PK");
  const auto tokens = send("GET", "/api/v1/tokens?format=csv", "", &viewer);
  expectDownload(tokens, "text/csv", "tokens.csv",
                 "\xEF\xBB\xBF"
                 "Đơn vị,Số hiệu,");
  EXPECT_NE(tokens.body.find("T1"), std::string::npos) << tokens.body;
  expectDownload(send("GET", "/api/v1/tokens?format=xlsx", "", &viewer), "spreadsheetml",
                 "tokens.xlsx", "PK");
  EXPECT_EQ(send("GET", "/api/v1/tokens?format=pdf", "", &viewer).status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleDeskTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
