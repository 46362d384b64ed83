// The province's console as a browser and the province's other systems meet it: the real
// cks-hub with [console] on its own HTTPS port, staff accounts made as the admin CLI makes
// them, real agents' pushes behind the lists. The first page offers a login in Vietnamese;
// every /api/v1/ call needs a session, a change also the CSRF token and the role; a one-time
// password must be changed first; wrong passwords lock an account; the console and the agents'
// sync port serve nothing of each other. Each test runs on SQLite and on PostgreSQL. The
// session table's timeouts are tested in-process on a FixedClock.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/console/session_table.h"
#include "hub/enroll_code.h"
#include "hub/hub_messages.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/json_text.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using hub::StaffRole;
using Poco::JSON::Object;

const std::string kAgency = "H21.09";
const std::string kAgencyName = "UBND xã Bình Chương";
const std::string kNewPassword = "Mật-khẩu-mới-2026";

struct Staff {
  std::string cookie;  // "cks_session=…"
  std::string csrf;
};

class ConsoleTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
  }

  std::string consoleIni() const {
    return "[console]\nport = " + std::to_string(console_port_) +
           "\nwww = " CKS_SOURCE_DIR "/hub/console/www\n";
  }

  // A staff account made as `cks-hub admin user add` makes it; its one-time password.
  std::string addUser(const std::string& name, StaffRole role) {
    auto store = openStoreAt(hub_.storeUrl());
    EXPECT_TRUE(store) << store.error().message;
    const SystemClock clock;
    auto issued =
        hub::StaffService(hub::provinceContext(**store, clock, Language::English, "cli:test"))
            .addUser(name, role);
    EXPECT_TRUE(issued) << issued.error().message;
    return issued ? issued->password : "";
  }

  HttpReply send(const std::string& method, const std::string& path, const std::string& body = "",
                 const Staff* staff = nullptr, bool with_csrf = true, int port = 0) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    if (staff != nullptr) {
      headers.emplace_back("Cookie", staff->cookie);
      if (with_csrf) headers.emplace_back("X-CSRF-Token", staff->csrf);
    }
    TlsConnection tls(port == 0 ? console_port_ : port, hub_.client());
    EXPECT_TRUE(tls.handshakeDone()) << tls.error();
    return tls.request(method, path, body, headers);
  }

  static std::string credentials(const std::string& name, const std::string& password) {
    Object body;
    body.set("name", name);
    body.set("password", password);
    return sync::stringify(body);
  }

  // Logs in; a failed login fails the test.
  Staff login(const std::string& name, const std::string& password) {
    const auto reply = send("POST", "/login", credentials(name, password));
    EXPECT_EQ(reply.status, 200) << reply.body;
    Staff staff;
    const auto cookie = reply.headers.find("set-cookie");
    EXPECT_NE(cookie, reply.headers.end());
    if (cookie == reply.headers.end() || reply.status != 200) return staff;
    // Attribute names are case-insensitive (RFC 6265).
    std::string attributes = cookie->second;
    for (char& c : attributes) c = char(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(attributes.find("; httponly"), std::string::npos) << cookie->second;
    EXPECT_NE(attributes.find("; secure"), std::string::npos) << cookie->second;
    EXPECT_NE(attributes.find("; samesite=strict"), std::string::npos) << cookie->second;
    staff.cookie = cookie->second.substr(0, cookie->second.find(';'));
    staff.csrf = reply.json()->getValue<std::string>("csrf_token");
    return staff;
  }

  // Logs in with the one-time password and replaces it, as the first login must.
  Staff firstLogin(const std::string& name, const std::string& one_time) {
    Staff staff = login(name, one_time);
    Object body;
    body.set("current", one_time);
    body.set("next", kNewPassword);
    const auto changed = send("POST", "/api/v1/password", sync::stringify(body), &staff);
    EXPECT_EQ(changed.status, 200) << changed.body;
    return staff;
  }

  // Every row of the list call `path` (2 a page, so that its filters meet the cursor).
  std::vector<Object::Ptr> everyRow(const std::string& path, const Staff& staff) {
    std::vector<Object::Ptr> rows;
    std::string cursor;
    do {
      const std::string call = path + (path.find('?') == std::string::npos ? "?" : "&") +
                               "limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor);
      const auto reply = send("GET", call, "", &staff);
      EXPECT_EQ(reply.status, 200) << call << ": " << reply.body;
      if (reply.status != 200) break;
      const auto body = reply.json();
      const auto items = body->getArray("items");
      for (const auto& item : *items) rows.push_back(item.extract<Object::Ptr>());
      const auto next = body->get("next_cursor");
      cursor = next.isEmpty() ? "" : next.convert<std::string>();
    } while (!cursor.empty());
    return rows;
  }

  // An enrolled agent of kAgency that pushed token T1 holding one certificate; its fingerprint.
  std::string agentWithACertificate() {
    const auto agent = hub_.enroll(kAgency, kAgencyName);
    const TimePoint now = SystemClock().now();
    const auto der = ca_.issue(individualSpec("Nguyễn Văn An", now - 24h * 30, now + 24h * 20));
    const auto pushed = hub_.post(
        agent, "/v1/push",
        pushJson(
            {entryJson(1, hub::newUuid(), "token_inserted", tokenBody("T1")),
             entryJson(2, hub::newUuid(), "certificate_appeared", certificateBody("T1", der))}));
    EXPECT_EQ(pushed.status, 200) << pushed.body;
    return sha256Hex(der);
  }

  static std::string error(const HttpReply& reply) {
    return reply.json()->getValue<std::string>("error");
  }

  TempDir dir_;
  const int console_port_ = freePort();
  HubUnderTest hub_{dir_.path().string(),
                    {.extra = consoleIni(), .store_url = storeUrlFor(GetParam())}};
  TestCa ca_;
};

TEST_P(ConsoleTest, TheFirstPageOffersALoginInVietnameseAndEveryApiCallNeedsASession) {
  const auto page = send("GET", "/");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.headers.at("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Đăng nhập"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Mật khẩu"), std::string::npos);
  EXPECT_EQ(page.body.find("{{"), std::string::npos) << "every text filled in";
  EXPECT_NE(page.headers.at("content-security-policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_NE(send("GET", "/?lang=en").body.find("Log in"), std::string::npos);
  EXPECT_EQ(send("GET", "/console.js").status, 200);
  EXPECT_EQ(send("GET", "/../hub.ini").status, 404);
  EXPECT_EQ(send("GET", "/nothing.html").status, 404);

  for (const char* path :
       {"/api/v1/session", "/api/v1/agencies", "/api/v1/certificates", "/api/v1/tokens",
        "/api/v1/alerts", "/api/v1/requests", "/api/v1/reports/2026", "/api/v1/audit",
        "/api/v1/audit/verify", "/api/v1/users", "/api/v1/nothing"}) {
    const auto reply = send("GET", path);
    EXPECT_EQ(reply.status, 401) << path << ": " << reply.body;
    EXPECT_EQ(error(reply), "unauthenticated") << path;
  }
  EXPECT_EQ(send("POST", "/api/v1/requests/abc/steps", "{\"to\": \"rejected\"}").status, 401);
  // A made-up session is none.
  Staff forged{"cks_session=" + std::string(64, 'a'), "x"};
  EXPECT_EQ(send("GET", "/api/v1/session", "", &forged).status, 401);
}

TEST_P(ConsoleTest, AnOfficerChangesTheOneTimePasswordThenFindsACertificateByFingerprint) {
  const std::string fingerprint = agentWithACertificate();
  const std::string one_time = addUser("canbo.so", StaffRole::Officer);
  EXPECT_EQ(send("POST", "/login", credentials("canbo.so", "sai-mat-khau")).status, 401);
  EXPECT_EQ(send("POST", "/login", credentials("khong.co", one_time)).status, 401);

  Staff staff = login("canbo.so", one_time);
  const auto session = send("GET", "/api/v1/session", "", &staff);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.json()->getValue<std::string>("role"), "officer");
  EXPECT_TRUE(session.json()->getValue<bool>("must_change_password"));
  // Nothing else until the one-time password is changed.
  const auto blocked = send("GET", "/api/v1/certificates", "", &staff);
  EXPECT_EQ(blocked.status, 403) << blocked.body;
  Object change;
  change.set("current", one_time);
  change.set("next", kNewPassword);
  EXPECT_EQ(send("POST", "/api/v1/password", sync::stringify(change), &staff, false).status, 403)
      << "no CSRF token";
  const auto changed = send("POST", "/api/v1/password", sync::stringify(change), &staff);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(changed.json()->getValue<bool>("must_change_password"));

  const auto found =
      send("GET", "/api/v1/certificates?search=" + fingerprint.substr(0, 12), "", &staff);
  ASSERT_EQ(found.status, 200) << found.body;
  const auto items = found.json()->getArray("items");
  ASSERT_EQ(items->size(), 1u) << found.body;
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("fingerprint_sha256"), fingerprint);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("agency"), kAgency);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("common_name"), "Nguyễn Văn An");
  EXPECT_TRUE(found.json()->isNull("next_cursor"));
  // By a part of the name, three characters or more (the text index's least); shorter is
  // refused, saying how many it needs.
  const auto by_name = send("GET", "/api/v1/certificates?search=V%C4%83n%20A", "", &staff);
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  EXPECT_EQ(by_name.json()->getArray("items")->size(), 1u) << by_name.body;
  const auto too_short = send("GET", "/api/v1/certificates?search=An", "", &staff);
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_EQ(error(too_short), "invalid_argument");
  EXPECT_NE(too_short.json()->getValue<std::string>("message").find("ít nhất 3 ký tự"),
            std::string::npos)
      << too_short.body;
  const auto expiring = send("GET", "/api/v1/certificates?days=30&sort=agency", "", &staff);
  EXPECT_EQ(expiring.json()->getArray("items")->size(), 1u) << expiring.body;
  EXPECT_EQ(
      send("GET", "/api/v1/certificates?days=10", "", &staff).json()->getArray("items")->size(),
      0u);
  const auto bad_limit = send("GET", "/api/v1/certificates?limit=0", "", &staff);
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(error(bad_limit), "invalid_argument");
  EXPECT_EQ(send("GET", "/api/v1/certificates?cursor=zz", "", &staff).status, 400);
  EXPECT_EQ(
      send("GET", "/api/v1/tokens?agency=" + kAgency, "", &staff).json()->getArray("items")->size(),
      1u);
  const auto agencies = send("GET", "/api/v1/agencies", "", &staff);
  ASSERT_EQ(agencies.status, 200) << agencies.body;
  EXPECT_EQ(agencies.json()->getArray("items")->getObject(0)->getValue<std::string>("name"),
            kAgencyName);
  EXPECT_EQ(send("GET", "/api/v1/reports/2026", "", &staff).status, 200);

  // Logged out, the cookie opens nothing.
  EXPECT_EQ(send("POST", "/logout", "", &staff).status, 200);
  EXPECT_EQ(send("GET", "/api/v1/session", "", &staff).status, 401);
  // The new password is the one that works now.
  EXPECT_EQ(send("POST", "/login", credentials("canbo.so", one_time)).status, 401);
  login("canbo.so", kNewPassword);
}

TEST_P(ConsoleTest, RolesAndTheCsrfTokenGuardEveryChangeAndTheAuditRecordsIt) {
  const Staff viewer = firstLogin("lanhdao", addUser("lanhdao", StaffRole::Viewer));
  const Staff officer = firstLogin("canbo", addUser("canbo", StaffRole::Officer));
  const Staff admin = firstLogin("quantri", addUser("quantri", StaffRole::Admin));
  const std::string step = "{\"to\": \"rejected\", \"reason\": \"thiếu hồ sơ\"}";

  EXPECT_EQ(send("GET", "/api/v1/requests", "", &viewer).status, 200);
  const auto by_viewer = send("POST", "/api/v1/requests/abc/steps", step, &viewer);
  EXPECT_EQ(by_viewer.status, 403) << by_viewer.body;
  EXPECT_EQ(error(by_viewer), "permission_denied");
  EXPECT_EQ(send("POST", "/api/v1/requests/abc/steps", step, &officer, false).status, 403);
  Staff wrong_token = officer;
  wrong_token.csrf = viewer.csrf;
  EXPECT_EQ(send("POST", "/api/v1/requests/abc/steps", step, &wrong_token).status, 403);
  // Through every guard to the service, which knows no such request.
  const auto unknown = send("POST", "/api/v1/requests/abc/steps", step, &officer);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(error(unknown), "not_found");

  EXPECT_EQ(send("GET", "/api/v1/users", "", &officer).status, 403);
  const auto users = send("GET", "/api/v1/users", "", &admin);
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(users.json()->getArray("items")->size(), 3u);
  EXPECT_EQ(users.body.find("password\":\""), std::string::npos) << users.body;
  EXPECT_EQ(users.body.find("$argon2"), std::string::npos) << users.body;

  // Each password change is a line of the audit trail, whose chain verifies.
  const auto audit = send("GET", "/api/v1/audit?action=user.password", "", &viewer);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json()->getArray("items")->size(), 3u) << audit.body;
  EXPECT_EQ(audit.json()->getArray("items")->getObject(0)->getValue<std::string>("actor"),
            "quantri");
  const auto verified = send("GET", "/api/v1/audit/verify", "", &viewer);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(verified.json()->getValue<bool>("intact"));
}

TEST_P(ConsoleTest, AnOfficerTakesARequestFromTheInboxToCompletedAndTheAgencyLearnsIt) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string filed =
      R"({"request": {"id": "r-1", "kind": "renewal", "state": "submitted", "form": "04", )"
      R"("fingerprint_sha256": ")" +
      std::string(64, 'a') +
      R"(", "fields": {}, "handled_by": "provider", "created_at": "2026-03-05T02:00:00Z", )"
      R"("supersedes": []}})";
  ASSERT_EQ(
      hub_.post(agent, "/v1/push", pushJson({entryJson(1, "e1", "request_filed", filed)})).status,
      200);
  const Staff officer = firstLogin("canbo", addUser("canbo", StaffRole::Officer));

  const auto inbox = send("GET", "/api/v1/requests?agency=" + kAgency, "", &officer);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.json()->getArray("items")->size(), 1u) << inbox.body;
  EXPECT_EQ(inbox.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), "r-1");
  // Whom the renewal is for: no agent of the agency reported the certificate it names, so
  // nobody is named (the browser test sees a known holder's name).
  EXPECT_EQ(inbox.json()->getArray("items")->getObject(0)->getValue<std::string>("holder"), "");

  const auto no_reason =
      send("POST", "/api/v1/requests/r-1/steps", R"({"to": "rejected"})", &officer);
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  for (const char* step :
       {R"({"to": "in_progress"})", R"({"to": "completed", "reference": "CV 123/SKHCN"})"}) {
    const auto moved = send("POST", "/api/v1/requests/r-1/steps", step, &officer);
    ASSERT_EQ(moved.status, 200) << step << ": " << moved.body;
  }
  const auto done = send("GET", "/api/v1/requests/r-1", "", &officer);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()->getValue<std::string>("state"), "completed");
  EXPECT_EQ(done.json()->getValue<std::string>("reference"), "CV 123/SKHCN");
  const auto history = done.json()->getArray("history");
  ASSERT_GE(history->size(), 3u) << done.body;
  EXPECT_EQ(history->getObject(history->size() - 1)->getValue<std::string>("by"), "canbo");
  // A finished request takes no more steps.
  EXPECT_EQ(send("POST", "/api/v1/requests/r-1/steps", R"({"to": "in_progress"})", &officer).status,
            409);

  // The agency learns it at its next sync.
  const auto pulled = hub_.post(agent, "/v1/pull", R"({"cursor": 0})");
  ASSERT_EQ(pulled.status, 200) << pulled.body;
  EXPECT_NE(pulled.body.find("\"completed\""), std::string::npos) << pulled.body;
  // Both steps are in the audit trail, by the officer, on the agency.
  const auto audit = send("GET", "/api/v1/audit?action=request.transition", "", &officer);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const auto lines = audit.json()->getArray("items");
  ASSERT_EQ(lines->size(), 2u) << audit.body;
  for (size_t i = 0; i < lines->size(); ++i) {
    EXPECT_EQ(lines->getObject(unsigned(i))->getValue<std::string>("actor"), "canbo");
    EXPECT_EQ(lines->getObject(unsigned(i))->getValue<std::string>("agency_code"), kAgency);
    EXPECT_EQ(lines->getObject(unsigned(i))->getValue<std::string>("target"), "r-1");
  }
}

TEST_P(ConsoleTest, FiveWrongPasswordsLockTheAccount) {
  const std::string one_time = addUser("canbo", StaffRole::Officer);
  for (int i = 0; i < hub::kLoginAttempts; ++i) {
    EXPECT_EQ(send("POST", "/login", credentials("canbo", "sai")).status, 401) << i;
  }
  const auto locked = send("POST", "/login", credentials("canbo", one_time));
  EXPECT_NE(locked.status, 200) << locked.body;
  EXPECT_EQ(error(locked), "failed_precondition") << locked.body;
  EXPECT_EQ(locked.headers.count("set-cookie"), 0u);
}

// A chunked body has no Content-Length to refuse it by: the console reads it only up to its
// limit and answers then, without waiting for (or keeping) the rest. The body sent here never
// ends: a console that read it whole would still be waiting when the client gives up (10 s).
TEST_P(ConsoleTest, AChunkedBodyLargerThanALoginIsRefusedWithoutReadingItWhole) {
  std::string unfinished;
  const std::string chunk(16 * 1024, 'a');
  for (int i = 0; i < 5; ++i) unfinished += "4000\r\n" + chunk + "\r\n";  // 80 KiB, no end
  TlsConnection tls(console_port_, hub_.client());
  ASSERT_TRUE(tls.handshakeDone()) << tls.error();
  const auto refused =
      tls.request("POST", "/login", unfinished,
                  {{"Content-Type", "application/json"}, {"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(refused.status, 413) << refused.body << tls.error();
}

TEST_P(ConsoleTest, TheConsoleAndTheAgentsSyncPortServeNothingOfEachOther) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  // The console asks for no client certificate: an agent's opens nothing there.
  TlsConnection as_agent(console_port_, hub_.client(agent));
  ASSERT_TRUE(as_agent.handshakeDone()) << as_agent.error();
  EXPECT_EQ(as_agent.request("GET", "/api/v1/certificates", "").status, 401);
  const int pull = send("POST", "/v1/pull", "{\"cursor\": 0}").status;
  EXPECT_TRUE(pull == 404 || pull == 405) << pull;
  // The sync port has no console path, even for an enrolled agent.
  for (const char* path : {"/", "/index.html", "/api/v1/certificates", "/login", "/messages"}) {
    TlsConnection sync(hub_.port(), hub_.client(agent));
    const auto reply = sync.request("GET", path, "");
    EXPECT_EQ(reply.status, 404) << path << ": " << reply.body;
  }
}

// ---- Agencies, agents and enrolment codes, users (issue 14 items 2, 8, 10) ----------------------

// A call's `items` array.
Poco::JSON::Array::Ptr itemsOf(const HttpReply& reply) { return reply.json()->getArray("items"); }

TEST_P(ConsoleTest, AnAdminImportsTheDirectoryAllRowsOrNoneAndOpensAnAgencysPage) {
  const Staff viewer = firstLogin("lanhdao", addUser("lanhdao", StaffRole::Viewer));
  const Staff officer = firstLogin("canbo", addUser("canbo", StaffRole::Officer));
  const Staff admin = firstLogin("quantri", addUser("quantri", StaffRole::Admin));
  const auto agent = hub_.enroll(kAgency, kAgencyName);

  Object bad;
  bad.set("file", "gia-lai.csv");
  bad.set("csv",
          "code,name,type,parent\n"
          "H21.10,UBND xã Ia Băng,commune,H21\n"
          "H21.11,,commune,\n"            // line 3: no name
          "H21.12,Sở Y tế,ministry,\n");  // line 4: bad type
  const auto refused = send("POST", "/api/v1/agencies/import", sync::stringify(bad), &admin);
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(error(refused), "invalid_argument");
  const auto problems = refused.json()->getArray("problems");
  ASSERT_EQ(problems->size(), 2u) << refused.body;
  EXPECT_EQ(problems->getObject(0)->getValue<int>("line"), 3);
  EXPECT_EQ(problems->getObject(1)->getValue<int>("line"), 4);
  EXPECT_EQ(itemsOf(send("GET", "/api/v1/agencies?search=H21.10", "", &admin))->size(), 0u)
      << "no row of a bad file is stored";

  Object good;
  good.set("file", "gia-lai.csv");
  good.set("csv",
           "code;name;type;parent\n"
           "H21.09;UBND xã Bình Chương;commune;H21\n"
           "H21.10;\"UBND xã Ia Băng <b>\";commune;H21\n");
  for (const Staff* not_admin : {&viewer, &officer}) {
    const auto denied = send("POST", "/api/v1/agencies/import", sync::stringify(good), not_admin);
    EXPECT_EQ(denied.status, 403) << denied.body;
    EXPECT_EQ(error(denied), "permission_denied");
  }
  const auto imported = send("POST", "/api/v1/agencies/import", sync::stringify(good), &admin);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json()->getValue<int>("rows"), 2);
  EXPECT_EQ(imported.json()->getValue<int>("added"), 1);
  EXPECT_EQ(imported.json()->getValue<int>("updated"), 1);  // the parent, not the name
  const auto found = send("GET", "/api/v1/agencies?search=Ia", "", &viewer);
  ASSERT_EQ(itemsOf(found)->size(), 1u) << found.body;
  EXPECT_EQ(itemsOf(found)->getObject(0)->getValue<std::string>("name"), "UBND xã Ia Băng <b>");

  // The agency's page: its entry, its PCs, and the lists behind it.
  const auto page = send("GET", "/api/v1/agencies/" + kAgency, "", &viewer);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json()->getValue<std::string>("name"), kAgencyName);
  EXPECT_EQ(page.json()->getValue<std::string>("parent"), "H21");
  const auto pcs = page.json()->getArray("agents");
  ASSERT_EQ(pcs->size(), 1u) << page.body;
  EXPECT_EQ(pcs->getObject(0)->getValue<std::string>("agent_id"), agent.agent_id);
  EXPECT_EQ(page.json()->getObject("counts")->getValue<int>("agents"), 1);
  const auto links = page.json()->getObject("links");
  for (const char* list : {"tokens", "certificates", "alerts", "requests", "audit", "reports"}) {
    const auto linked = send("GET", links->getValue<std::string>(list), "", &viewer);
    EXPECT_EQ(linked.status, 200) << list << ": " << linked.body;
  }
  EXPECT_EQ(links->getValue<std::string>("certificates"), "/api/v1/certificates?agency=" + kAgency);
  EXPECT_EQ(send("GET", "/api/v1/agencies/H21.99", "", &viewer).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/agencies/x", "", &viewer).status, 400);

  // The import is in the audit trail, by the admin.
  const auto audit = send("GET", "/api/v1/audit?action=agency.import", "", &viewer);
  ASSERT_EQ(itemsOf(audit)->size(), 1u) << audit.body;
  EXPECT_EQ(itemsOf(audit)->getObject(0)->getValue<std::string>("actor"), "quantri");
  EXPECT_EQ(itemsOf(audit)->getObject(0)->getValue<std::string>("target"), "gia-lai.csv");

  // The pages fill the texts' placeholders themselves.
  const auto texts = send("GET", "/messages");
  ASSERT_EQ(texts.status, 200) << texts.body;
  EXPECT_NE(texts.json()->getValue<std::string>("console.ui.imported").find("{4}"),
            std::string::npos)
      << texts.body;
}

TEST_P(ConsoleTest, AnAdminIssuesACodeThatEnrolsAPcThenRevokesThePcAndAnotherCode) {
  const Staff viewer = firstLogin("lanhdao", addUser("lanhdao", StaffRole::Viewer));
  const Staff officer = firstLogin("canbo", addUser("canbo", StaffRole::Officer));
  const Staff admin = firstLogin("quantri", addUser("quantri", StaffRole::Admin));
  const std::string ask = R"({"agency": "H21.09", "name": " UBND xã Bình Chương ", )"
                          R"("type": "commune", "ttl": "2h"})";
  for (const Staff* not_admin : {&viewer, &officer}) {
    EXPECT_EQ(send("POST", "/api/v1/codes", ask, not_admin).status, 403);
    EXPECT_EQ(send("GET", "/api/v1/codes", "", not_admin).status, 403);
  }
  EXPECT_EQ(
      send("POST", "/api/v1/codes", R"({"agency": "H21.09", "name": "A", "ttl": "90d"})", &admin)
          .status,
      400);
  const auto issued = send("POST", "/api/v1/codes", ask, &admin);
  ASSERT_EQ(issued.status, 200) << issued.body;
  const auto answer = issued.json();
  const std::string code = answer->getValue<std::string>("code");
  EXPECT_EQ(answer->getObject("agency")->getValue<std::string>("name"), kAgencyName);
  EXPECT_EQ(answer->getValue<std::string>("hub_url"),
            "https://hub.test.gov.vn:" + std::to_string(hub_.port()));
  EXPECT_EQ(answer->getValue<std::string>("hub_ca_pem"), hub_.serverCa());
  EXPECT_EQ(answer->getValue<std::string>("hub_ca_fingerprint").size(), 64u);
  // A name that differs from the directory's needs "rename", as --rename.
  EXPECT_EQ(
      send("POST", "/api/v1/codes", R"({"agency": "H21.09", "name": "UBND khác"})", &admin).status,
      400);

  // The code enrols a PC, as cksctl enroll does with it.
  const std::string agent_id = hub_.enrollWith(code, "PC-VANTHU").agent_id;

  const auto codes = send("GET", "/api/v1/codes", "", &admin);
  ASSERT_EQ(itemsOf(codes)->size(), 1u) << codes.body;
  EXPECT_EQ(itemsOf(codes)->getObject(0)->getValue<std::string>("state"), "used");
  EXPECT_EQ(codes.body.find(code), std::string::npos) << "a code is told once";
  const auto agents = send("GET", "/api/v1/agents", "", &viewer);
  ASSERT_EQ(itemsOf(agents)->size(), 1u) << agents.body;
  EXPECT_EQ(itemsOf(agents)->getObject(0)->getValue<std::string>("host"), "PC-VANTHU");
  EXPECT_EQ(itemsOf(send("GET", "/api/v1/agents?agency=H21.09", "", &viewer))->size(), 1u);
  EXPECT_EQ(send("GET", "/api/v1/agents?agency=H21.10", "", &viewer).status, 404);

  const std::string revoke = "/api/v1/agents/" + agent_id + "/revoke";
  EXPECT_EQ(send("POST", revoke, "", &viewer).status, 403);
  EXPECT_EQ(send("POST", revoke, "", &officer).status, 403);
  EXPECT_EQ(send("POST", revoke, "", &admin, false).status, 403) << "no CSRF token";
  const auto revoked = send("POST", revoke, "", &admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(revoked.json()->getValue<bool>("revoked"));
  EXPECT_EQ(send("POST", "/api/v1/agents/nobody/revoke", "", &admin).status, 404);

  // A second code, withdrawn before use by its id.
  const auto second = send("POST", "/api/v1/codes", R"({"agency": "H21.09"})", &admin);
  ASSERT_EQ(second.status, 200) << second.body;
  std::string id;
  // Held: a range-for over a temporary's array would outlive it.
  const auto codes_now = itemsOf(send("GET", "/api/v1/codes", "", &admin));
  for (const auto& line : *codes_now) {
    const auto c = line.extract<Object::Ptr>();
    if (c->getValue<std::string>("state") == "active") id = c->getValue<std::string>("id");
  }
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(send("POST", "/api/v1/codes/" + id + "/revoke", "", &officer).status, 403);
  const auto withdrawn = send("POST", "/api/v1/codes/" + id + "/revoke", "", &admin);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.json()->getValue<std::string>("state"), "revoked");
  EXPECT_FALSE(withdrawn.json()->getValue<bool>("already_revoked"));

  for (const char* action : {"code.issue", "agent.revoke", "code.revoke"}) {
    const auto audit = send("GET", std::string("/api/v1/audit?action=") + action, "", &viewer);
    ASSERT_GE(itemsOf(audit)->size(), 1u) << action << ": " << audit.body;
    EXPECT_EQ(itemsOf(audit)->getObject(0)->getValue<std::string>("actor"), "quantri") << action;
  }
}

TEST_P(ConsoleTest, AnAdminAddsDisablesAndResetsAccountsAndOnlyAnAdminMay) {
  const Staff officer = firstLogin("canbo", addUser("canbo", StaffRole::Officer));
  const Staff admin = firstLogin("quantri", addUser("quantri", StaffRole::Admin));
  const std::string add = R"({"name": "lanhdao.so", "role": "viewer"})";
  EXPECT_EQ(send("POST", "/api/v1/users", add, &officer).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/users", R"({"name": "x.y.z", "role": "boss"})", &admin).status,
            400);
  const auto added = send("POST", "/api/v1/users", add, &admin);
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.json()->getObject("account")->getValue<std::string>("role"), "viewer");
  const std::string one_time = added.json()->getValue<std::string>("password");
  EXPECT_EQ(send("POST", "/api/v1/users", add, &admin).status, 409) << "the name is taken";
  const Staff viewer = firstLogin("lanhdao.so", one_time);
  EXPECT_EQ(send("POST", "/api/v1/users/canbo/disable", "", &viewer).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/users/canbo/reset", "", &officer).status, 403);

  const auto disabled = send("POST", "/api/v1/users/lanhdao.so/disable", "", &admin);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json()->getValue<std::string>("state"), "disabled");
  EXPECT_EQ(send("GET", "/api/v1/session", "", &viewer).status, 401) << "its session ended";
  EXPECT_NE(send("POST", "/login", credentials("lanhdao.so", kNewPassword)).status, 200);

  const auto reset = send("POST", "/api/v1/users/lanhdao.so/reset", "", &admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.json()->getObject("account")->getValue<std::string>("state"), "active");
  login("lanhdao.so", reset.json()->getValue<std::string>("password"));
  EXPECT_EQ(send("POST", "/api/v1/users/nobody/reset", "", &admin).status, 404);

  const auto audit = send("GET", "/api/v1/audit?actor=quantri", "", &admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::vector<std::string> actions;
  const auto lines = itemsOf(audit);
  for (const auto& line : *lines) {
    actions.push_back(line.extract<Object::Ptr>()->getValue<std::string>("action"));
  }
  for (const char* action : {"user.add", "user.disable", "user.reset"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
  }
}

TEST_P(ConsoleTest, EachListFilterReturnsExactlyTheRowsItNamesAndABadValueIsRefused) {
  const Staff viewer = firstLogin("lanhdao", addUser("lanhdao", StaffRole::Viewer));
  const TimePoint now = SystemClock().now();
  // H21.09: T1 plugged in with a valid personal and an expiring organisation's certificate, T2
  // locked with an expired one, T3 taken out; a critical and a warning alert.
  const auto a = hub_.enroll(kAgency, kAgencyName);
  const auto valid = ca_.issue(individualSpec("Nguyễn Văn An", now - 24h * 30, now + 24h * 400));
  const auto expiring =
      ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now - 24h * 300, now + 24h * 10));
  const auto expired = ca_.issue(individualSpec("Trần Thị Bình", now - 24h * 400, now - 24h * 5));
  const auto locked = [](const std::string& serial) {
    return R"({"token": {"serial": ")" + serial +
           R"(", "manufacturer": "Viettel-CA", "pin_state": "locked"}})";
  };
  const auto push = [&](const EnrolledAgent& agent, const std::vector<std::string>& entries) {
    const auto pushed = hub_.post(agent, "/v1/push", pushJson(entries));
    ASSERT_EQ(pushed.status, 200) << pushed.body;
  };
  const auto alert = [](const std::string& severity) {
    return alertBody({.uuid = hub::newUuid(), .kind = "hub_unreachable", .severity = severity});
  };
  push(a, {entryJson(1, hub::newUuid(), "token_inserted", tokenBody("T1")),
           entryJson(2, hub::newUuid(), "certificate_appeared", certificateBody("T1", valid)),
           entryJson(3, hub::newUuid(), "certificate_appeared", certificateBody("T1", expiring)),
           entryJson(4, hub::newUuid(), "token_inserted", tokenBody("T2", "Token Chủ tịch")),
           entryJson(5, hub::newUuid(), "certificate_appeared", certificateBody("T2", expired)),
           entryJson(6, hub::newUuid(), "token_pin_state_changed", locked("T2")),
           entryJson(7, hub::newUuid(), "token_inserted", tokenBody("T3", "Token dự phòng")),
           entryJson(8, hub::newUuid(), "token_removed", tokenBody("T3", "Token dự phòng")),
           entryJson(9, hub::newUuid(), "alert_raised", alert("critical")),
           entryJson(10, hub::newUuid(), "alert_raised", alert("warning"))});
  // H21.10: T4 locked, plugged in, with a server's certificate; an info and a critical alert.
  const auto b = hub_.enroll("H21.10", "UBND xã Ia Băng");
  const auto device = ca_.issue(deviceSpec("dvc.h21.gov.vn", now - 24h * 30, now + 24h * 200));
  push(b, {entryJson(1, hub::newUuid(), "token_inserted", tokenBody("T4")),
           entryJson(2, hub::newUuid(), "certificate_appeared", certificateBody("T4", device)),
           entryJson(3, hub::newUuid(), "token_pin_state_changed", locked("T4")),
           entryJson(4, hub::newUuid(), "alert_raised", alert("info")),
           entryJson(5, hub::newUuid(), "alert_raised", alert("critical"))});

  // A filtered list holds exactly the rows of the whole list (`list`: its path and sort) whose
  // `field` is `value`, in the list's order, and they are `expected` (the `key` of each).
  const auto expectFiltered = [&](const std::string& list, const std::string& filter,
                                  const std::string& field, const std::string& value,
                                  const std::string& key,
                                  const std::vector<std::string>& expected) {
    const auto keys = [&](const std::vector<Object::Ptr>& rows, bool only_value) {
      std::vector<std::string> out;
      for (const auto& row : rows) {
        if (!only_value || row->get(field).convert<std::string>() == value) {
          out.push_back(row->getValue<std::string>(key));
        }
      }
      return out;
    };
    const auto whole = everyRow("/api/v1/" + list, viewer);
    const auto filtered = everyRow(
        "/api/v1/" + list + (list.find('?') == std::string::npos ? "?" : "&") + filter, viewer);
    EXPECT_EQ(keys(filtered, false), keys(whole, true)) << list << "?" << filter;
    auto sorted = keys(filtered, false);
    auto wanted = expected;
    std::sort(sorted.begin(), sorted.end());
    std::sort(wanted.begin(), wanted.end());
    EXPECT_EQ(sorted, wanted) << list << "?" << filter;
  };
  expectFiltered("tokens", "pin_state=locked", "pin_state", "locked", "serial", {"T4", "T2"});
  expectFiltered("tokens", "pin_state=ok", "pin_state", "ok", "serial", {"T1", "T3"});
  expectFiltered("tokens", "present=false", "present", "false", "serial", {"T3"});
  expectFiltered("tokens", "present=true", "present", "true", "serial", {"T4", "T2", "T1"});
  expectFiltered("tokens", "agency=H21.09&pin_state=locked&present=true", "serial", "T2", "serial",
                 {"T2"});
  expectFiltered("certificates", "kind=individual", "kind", "individual", "common_name",
                 {"Trần Thị Bình", "Nguyễn Văn An"});
  expectFiltered("certificates", "kind=organization", "kind", "organization", "common_name",
                 {"UBND XÃ BÌNH CHƯƠNG"});
  expectFiltered("certificates", "kind=device", "kind", "device", "common_name",
                 {"dvc.h21.gov.vn"});
  expectFiltered("certificates", "status=expired", "status", "expired", "common_name",
                 {"Trần Thị Bình"});
  expectFiltered("certificates", "status=expiring", "status", "expiring", "common_name",
                 {"UBND XÃ BÌNH CHƯƠNG"});
  expectFiltered("certificates?sort=common_name", "status=valid", "status", "valid", "common_name",
                 {"Nguyễn Văn An", "dvc.h21.gov.vn"});
  expectFiltered("certificates", "kind=individual&status=valid", "common_name", "Nguyễn Văn An",
                 "common_name", {"Nguyễn Văn An"});
  expectFiltered("alerts", "severity=critical", "severity", "critical", "agency",
                 {"H21.09", "H21.10"});
  expectFiltered("alerts", "severity=info", "severity", "info", "agency", {"H21.10"});
  expectFiltered("alerts", "severity=warning&agency=H21.10", "severity", "none", "agency", {});

  // The exports take the same filters.
  const auto csv =
      send("GET", "/api/v1/tokens?format=csv&pin_state=locked&agency=H21.09", "", &viewer);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("T2"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("T1"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("T4"), std::string::npos) << csv.body;
  const auto names = send("GET", "/api/v1/certificates?format=csv&kind=device", "", &viewer);
  ASSERT_EQ(names.status, 200) << names.body;
  EXPECT_NE(names.body.find("dvc.h21.gov.vn"), std::string::npos) << names.body;
  EXPECT_EQ(names.body.find("Nguyễn Văn An"), std::string::npos) << names.body;

  // A value the list does not know: 400, saying which and what it takes.
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> bad = {
      {"/api/v1/tokens?pin_state=khoa", {"console.bad_pin_state", "khoa"}},
      {"/api/v1/tokens?present=co", {"console.bad_present", "co"}},
      {"/api/v1/tokens?format=csv&present=1", {"console.bad_present", "1"}},
      {"/api/v1/certificates?kind=ca_nhan", {"console.bad_kind", "ca_nhan"}},
      {"/api/v1/certificates?status=sap_het_han", {"console.bad_status", "sap_het_han"}},
      {"/api/v1/certificates?format=xlsx&status=x", {"console.bad_status", "x"}},
      {"/api/v1/alerts?severity=urgent", {"console.bad_severity", "urgent"}}};
  for (const auto& [path, why] : bad) {
    for (const auto language : {Language::Vietnamese, Language::English}) {
      const bool english = language == Language::English;
      const auto refused = send("GET", path + (english ? "&lang=en" : ""), "", &viewer);
      ASSERT_EQ(refused.status, 400) << path << ": " << refused.body;
      EXPECT_EQ(error(refused), "invalid_argument") << path;
      EXPECT_EQ(refused.json()->getValue<std::string>("message"),
                hub::hubMessage(language, why.first, {why.second}))
          << path;
    }
  }
  // The short search keeps its own refusal among the new filters.
  const auto short_search = send("GET", "/api/v1/certificates?search=ab&kind=device", "", &viewer);
  EXPECT_EQ(short_search.status, 400) << short_search.body;
  EXPECT_NE(short_search.json()->getValue<std::string>("message").find("\"ab\""), std::string::npos)
      << short_search.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleTest, kStoreBackends, storeBackendName);

TEST(ConsoleSessionTest, ASessionEndsWhenIdleAtItsLifetimeAtLogoutAndWithItsAccount) {
  FixedClock clock(*parseIsoUtc("2026-12-01T01:00:00Z"));
  hub::SessionTable sessions(clock, 30min, 12h);
  hub::StaffAccount account;
  account.name = "canbo";
  account.role = StaffRole::Officer;
  account.must_change_password = false;

  const std::string token = sessions.open(account);
  EXPECT_EQ(token.size(), 64u);
  auto first = sessions.use(token);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->name, "canbo");
  EXPECT_NE(first->csrf_token, token);
  EXPECT_FALSE(sessions.use(token + "0"));
  EXPECT_FALSE(sessions.use(""));

  // Used every 29 minutes it lasts, up to its lifetime.
  for (int i = 0; i < 24; ++i) {
    clock.advance(29min);
    ASSERT_TRUE(sessions.use(token)) << i;
  }
  clock.advance(29min);  // 12 h 25 min after login
  EXPECT_FALSE(sessions.use(token));

  const std::string idle = sessions.open(account);
  clock.advance(30min);
  EXPECT_FALSE(sessions.use(idle));

  const std::string a = sessions.open(account);
  const std::string b = sessions.open(account);
  EXPECT_NE(sessions.use(a)->csrf_token, sessions.use(b)->csrf_token);
  sessions.close(a);
  EXPECT_FALSE(sessions.use(a));
  EXPECT_TRUE(sessions.use(b));
  sessions.closeAll("canbo");
  EXPECT_FALSE(sessions.use(b));
}

}  // namespace
}  // namespace cks::test
