// The province's staff accounts and audit trail (hub/store/staff_roster.h, audit_trail.h,
// hub/province/staff_service.h), on SQLite and PostgreSQL: accounts round trip, the audit
// trail pages newest first and its hash chain finds a line edited or removed in the database,
// concurrent appends keep one chain; logins, lockout, one-time passwords and the audit line a
// request transition leaves.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/province/agency_service.h"
#include "hub/province/enrolment_service.h"
#include "hub/province/merger_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/staff_service.h"
#include "hub/request_change.h"
#include "hub/store/audit_trail.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");

class StaffStoreTest : public test::StoreTest {
 protected:
  AuditRecord line(const std::string& actor, const std::string& action,
                   const std::string& agency = "", const std::string& detail = "") {
    AuditRecord r;
    r.at = kNow;
    r.actor = actor;
    r.action = action;
    r.agency_code = agency;
    r.target = "t";
    r.detail = detail;
    return r;
  }

  // Every line `query` names, page after page of `limit`.
  std::vector<AuditRecord> walk(AuditQuery query, int limit) {
    std::vector<AuditRecord> all;
    query.page = {limit, ""};
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->audit().lines(query);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      EXPECT_LE(page->items.size(), size_t(limit));
      all.insert(all.end(), page->items.begin(), page->items.end());
      if (page->next_cursor.empty()) break;
      query.page.cursor = page->next_cursor;
    }
    return all;
  }

  // Runs `statement` on the database itself, as someone editing it behind the hub's back.
  void sql(const std::string& statement) {
    store_.reset();
    {
      auto raw = GetParam() == test::StoreBackend::Postgresql
                     ? openPostgresPool(url_, postgresMigrations())
                     : openSqlitePool(url_, sqliteMigrations());
      ASSERT_TRUE(raw) << raw.error().message;
      auto lease = (*raw)->acquire();
      ASSERT_TRUE(lease);
      ASSERT_TRUE((*lease)->run(statement));
    }
    auto reopened = test::openStoreAt(url_);
    ASSERT_TRUE(reopened) << reopened.error().message;
    store_ = std::move(*reopened);
  }
};

TEST_P(StaffStoreTest, AnAccountRoundTrips) {
  StaffRoster& roster = store_->staff();
  const StaffRecord account{"nguyen.van.a", "officer", "$argon2id$x", false, true, kNow,
                            std::nullopt,   0,         std::nullopt,  "",    ""};
  ASSERT_TRUE(*roster.add(account));
  EXPECT_FALSE(*roster.add(account));  // the name is taken
  auto got = roster.account("nguyen.van.a");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->role, "officer");
  EXPECT_EQ((*got)->password_hash, "$argon2id$x");
  EXPECT_TRUE((*got)->must_change_password);
  EXPECT_EQ((*got)->created_at, kNow);
  EXPECT_FALSE((*got)->last_login);
  EXPECT_FALSE(*roster.account("nobody"));

  EXPECT_EQ(*roster.recordFailedLogin("nguyen.van.a"), 1);
  EXPECT_EQ(*roster.recordFailedLogin("nguyen.van.a"), 2);
  EXPECT_EQ(*roster.recordFailedLogin("nobody"), 0);
  ASSERT_TRUE(*roster.lock("nguyen.van.a", kNow + 15min));
  got = roster.account("nguyen.van.a");
  EXPECT_EQ((*got)->failed_logins, 0);
  EXPECT_EQ((*got)->locked_until, kNow + 15min);
  ASSERT_TRUE(*roster.recordLogin("nguyen.van.a", kNow + 20min));
  ASSERT_TRUE(*roster.setPassword("nguyen.van.a", "$argon2id$y", false));
  ASSERT_TRUE(*roster.disable("nguyen.van.a"));
  got = roster.account("nguyen.van.a");
  EXPECT_EQ((*got)->last_login, kNow + 20min);
  EXPECT_FALSE((*got)->locked_until);
  EXPECT_FALSE((*got)->must_change_password);
  EXPECT_TRUE((*got)->disabled);
  ASSERT_TRUE(*roster.reset("nguyen.van.a", "$argon2id$z"));
  got = roster.account("nguyen.van.a");
  EXPECT_FALSE((*got)->disabled);
  EXPECT_TRUE((*got)->must_change_password);
  EXPECT_EQ((*got)->password_hash, "$argon2id$z");
  EXPECT_FALSE(*roster.disable("nobody"));

  ASSERT_TRUE(*roster.add({"admin", "admin", "h", false, true, kNow, {}, 0, {}}));
  auto all = roster.accounts();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().name, "admin");
}

TEST_P(StaffStoreTest, TheAuditTrailPagesNewestFirstWithFiltersAndVerifies) {
  AuditTrail& audit = store_->audit();
  for (int i = 0; i < 7; ++i) {
    auto appended = audit.append(line(i % 2 ? "ana" : "binh", i % 3 ? "code.issue" : "user.add",
                                      i < 4 ? "H21.09" : "H21.10", "line " + std::to_string(i)));
    ASSERT_TRUE(appended) << appended.error().message;
    EXPECT_EQ(appended->seq, i + 1);
    EXPECT_EQ(appended->hash, auditHash(*appended));
  }
  const auto all = walk({}, 3);
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, std::int64_t(7 - i));
  EXPECT_EQ(all[0].prev_hash, all[1].hash);
  EXPECT_TRUE(all[6].prev_hash.empty());
  const auto ana = walk({"ana", "", "", {}}, 2);
  ASSERT_EQ(ana.size(), 3u);
  for (const auto& l : ana) EXPECT_EQ(l.actor, "ana");
  EXPECT_EQ(walk({"", "H21.09", "", {}}, 1).size(), 4u);
  const auto issued = walk({"", "", "code.issue", {}}, 10);
  EXPECT_EQ(issued.size(), 4u);
  EXPECT_EQ(walk({"binh", "H21.10", "user.add", {}}, 10).size(), 1u);
  auto bad = audit.lines({"", "", "", {1, "0a"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);

  auto check = audit.verify();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->lines, 7);
  EXPECT_FALSE(check->first_broken);
}

TEST_P(StaffStoreTest, AFieldRunIntoTheNextGivesAnotherHash) {
  AuditRecord a = line("ab", "c");
  AuditRecord b = line("a", "bc");
  EXPECT_NE(auditHash(a), auditHash(b));
}

TEST_P(StaffStoreTest, AnEditedLineBreaksTheChainThere) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->audit().append(line("ana", "user.add")));
  sql("UPDATE audit_log SET detail = 'harmless' WHERE seq = 3");
  auto check = store_->audit().verify();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->lines, 5);
  EXPECT_EQ(check->first_broken, 3);
}

TEST_P(StaffStoreTest, ARemovedLineBreaksTheChainAtTheNext) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->audit().append(line("ana", "user.add")));
  sql("DELETE FROM audit_log WHERE seq = 2");
  auto check = store_->audit().verify();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->lines, 4);
  EXPECT_EQ(check->first_broken, 3);
  sql("DELETE FROM audit_log WHERE seq >= 3");
  check = store_->audit().verify();
  EXPECT_EQ(check->first_broken, 2);  // the last lines gone: one past the last left
}

TEST_P(StaffStoreTest, ConcurrentAppendsKeepOneChain) {
  std::vector<std::thread> threads;
  for (const char* actor : {"ana", "binh"}) {
    threads.emplace_back([this, actor] {
      for (int i = 0; i < 50; ++i) {
        auto appended = store_->audit().append(line(actor, "request.transition"));
        EXPECT_TRUE(appended) << appended.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto check = store_->audit().verify();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->lines, 100);
  EXPECT_FALSE(check->first_broken) << *check->first_broken;
}

TEST_P(StaffStoreTest, AStoreOfSchema7GetsTheAccountsAndTheTrail) {
  store_.reset();
  const bool sqlite = GetParam() == test::StoreBackend::Sqlite;
  const std::string url = sqlite ? dir_.file("v7.db") : test::freshPostgresUrl();
  const auto& all = sqlite ? sqliteMigrations() : postgresMigrations();
  // Schema 8 added the accounts and the trail: a store of schema 7, the one before them.
  ASSERT_GE(all.size(), 8u);
  {
    const std::vector<std::string_view> seven(all.begin(), all.begin() + 7);
    auto pool = sqlite ? openSqlitePool(url, seven) : openPostgresPool(url, seven);
    ASSERT_TRUE(pool) << pool.error().message;
  }
  auto upgraded = test::openStoreAt(url);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  ASSERT_TRUE(
      *(*upgraded)->staff().add({"admin", "admin", "h", false, true, kNow, {}, 0, {}, "", ""}));
  auto appended = (*upgraded)->audit().append(line("cli:root", "user.add"));
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(appended->seq, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffStoreTest, test::kStoreBackends, test::storeBackendName);

class StaffServiceTest : public test::StoreTest {
 protected:
  StaffService service(Language language = Language::English) {
    return StaffService(provinceContext(*store_, clock_, language, "quan.tri"));
  }

  FixedClock clock_{kNow};
};

TEST_P(StaffServiceTest, ANewAccountLogsInWithItsOneTimePasswordOnce) {
  auto issued = service().addUser("can.bo-1", StaffRole::Officer);
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->password.size(), 16u);
  EXPECT_EQ(issued->password.find_first_of("0O1lI"), std::string::npos);
  EXPECT_TRUE(issued->account.must_change_password);
  EXPECT_EQ(issued->account.role, StaffRole::Officer);
  auto stored = store_->staff().account("can.bo-1");
  EXPECT_EQ((*stored)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*stored)->password_hash.find(issued->password), std::string::npos);
  auto in = service().authenticate("can.bo-1", issued->password);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->last_login, kNow);
  EXPECT_TRUE(in->must_change_password);

  auto taken = service().addUser("can.bo-1", StaffRole::Viewer);
  EXPECT_EQ(taken.error().code, ErrorCode::Conflict);
  for (const char* bad : {"ab", "Can.Bo", "cán.bộ", "a b c", ""}) {
    EXPECT_EQ(service().addUser(bad, StaffRole::Viewer).error().code, ErrorCode::InvalidArgument)
        << bad;
  }
  auto page = service().audit({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].action, "user.add");
  EXPECT_EQ(page->items[0].actor, "quan.tri");
  EXPECT_EQ(page->items[0].target, "can.bo-1");
  EXPECT_EQ(page->items[0].detail.find(issued->password), std::string::npos);
}

TEST_P(StaffServiceTest, AWrongPasswordAndAnUnknownNameGetTheSameRefusal) {
  ASSERT_TRUE(service().addUser("can.bo", StaffRole::Viewer));
  auto wrong = service().authenticate("can.bo", "not the password");
  auto unknown = service().authenticate("nobody", "not the password");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(unknown.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(service(Language::Vietnamese).authenticate("nobody", "x").error().message,
            "Sai tên đăng nhập hoặc mật khẩu.");
}

TEST_P(StaffServiceTest, FiveWrongPasswordsLockForFifteenMinutes) {
  auto issued = service().addUser("can.bo", StaffRole::Officer);
  ASSERT_TRUE(issued);
  for (int i = 0; i < kLoginAttempts; ++i) {
    EXPECT_EQ(service().authenticate("can.bo", "wrong").error().code, ErrorCode::PermissionDenied);
  }
  auto locked = service().authenticate("can.bo", issued->password);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::FailedPrecondition);
  EXPECT_NE(locked.error().message.find("22/11/2026 12:15"), std::string::npos)
      << locked.error().message;
  EXPECT_EQ(staffState(*service().user("can.bo"), clock_.now()), "locked");
  clock_.advance(14min + 59s);
  EXPECT_EQ(service().authenticate("can.bo", issued->password).error().code,
            ErrorCode::FailedPrecondition);
  clock_.advance(1s);  // the 16th minute
  auto in = service().authenticate("can.bo", issued->password);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->failed_logins, 0);
  EXPECT_EQ(staffState(*in, clock_.now()), "active");
}

TEST_P(StaffServiceTest, ADisabledAccountIsRefusedAndAResetOpensItWithANewPassword) {
  auto issued = service().addUser("can.bo", StaffRole::Officer);
  ASSERT_TRUE(issued);
  ASSERT_TRUE(service().disable("can.bo"));
  EXPECT_EQ(service().disable("nobody").error().code, ErrorCode::NotFound);
  auto refused = service().authenticate("can.bo", issued->password);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
  EXPECT_EQ(staffState(*service().user("can.bo"), kNow), "disabled");
  for (int i = 0; i < kLoginAttempts; ++i) (void)service().authenticate("can.bo", "wrong");
  auto reset = service().reset("can.bo");
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_NE(reset->password, issued->password);
  EXPECT_FALSE(reset->account.disabled);
  EXPECT_FALSE(reset->account.locked_until);
  EXPECT_FALSE(service().authenticate("can.bo", issued->password));
  EXPECT_TRUE(service().authenticate("can.bo", reset->password));
  EXPECT_EQ(service().reset("nobody").error().code, ErrorCode::NotFound);
  EXPECT_EQ(service().user("nobody").error().code, ErrorCode::NotFound);
  // The page is held: a range over a member of a temporary would outlive it.
  const auto audit = service().audit({});
  ASSERT_TRUE(audit) << audit.error().message;
  std::vector<std::string> actions;
  for (const auto& e : audit->items) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"user.reset", "user.disable", "user.add"}));
}

TEST_P(StaffServiceTest, APasswordChangeChecksTheCurrentOneAndTheRules) {
  auto issued = service().addUser("can.bo", StaffRole::Officer);
  ASSERT_TRUE(issued);
  const std::string& once = issued->password;
  EXPECT_EQ(service().changePassword("can.bo", once, "short").error().code,
            ErrorCode::InvalidArgument);
  EXPECT_EQ(service().changePassword("can.bo", once, once).error().code,
            ErrorCode::InvalidArgument);
  EXPECT_EQ(service().changePassword("can.bo", "wrong", "a long new password").error().code,
            ErrorCode::PermissionDenied);
  // Twelve characters, some of them two bytes.
  ASSERT_TRUE(service().changePassword("can.bo", once, "mật khẩu mới"));
  EXPECT_FALSE(service().authenticate("can.bo", once));
  auto in = service().authenticate("can.bo", "mật khẩu mới");
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_FALSE(in->must_change_password);
  EXPECT_EQ(service().audit({})->items.front().action, "user.password");
}

TEST_P(StaffServiceTest, ARequestTransitionLeavesOneAuditLineWithTheActor) {
  const std::string agent =
      test::enrollAgent(*store_, "H21.09", "UBND xã Bình Chương", "PC-1", kNow);
  const std::string body =
      R"({"request": {"id": "r-1", "kind": "renewal", "state": "submitted", "form": "04", )"
      R"("fingerprint_sha256": ")" +
      std::string(64, 'c') +
      R"(", "fields": {}, "handled_by": "provider", "created_at": "2026-11-20T02:00:00Z", )"
      R"("supersedes": []}})";
  PushBatch batch =
      test::pushBatchOf(test::pushJson({test::entryJson(1, "e1", "request_filed", body)}));
  ASSERT_EQ(batch.entries.size(), 1u);
  auto& filed = batch.entries[0].request_filed;
  ASSERT_TRUE(filed);
  // Received as the sync API receives it.
  const RequestSettings settings;
  filed->receipt = receiveRequest(filed->request, settings, settings.calendar(), kNow);
  auto pushed = store_->ingest().push(agent, batch, kNow);
  ASSERT_TRUE(pushed) << pushed.error().message;
  const RequestService requests(provinceContext(*store_, clock_, Language::English, "can.bo"));
  // A refused step records nothing.
  EXPECT_FALSE(requests.move({"r-1", RequestState::Completed, "can.bo", "", ""}));
  auto moved = requests.move({"r-1", RequestState::InProgress, "can.bo", "", ""});
  ASSERT_TRUE(moved) << moved.error().message;
  auto page = service().audit({"can.bo", "", "", {}});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].action, "request.transition");
  EXPECT_EQ(page->items[0].agency_code, "H21.09");
  EXPECT_EQ(page->items[0].target, "r-1");
  EXPECT_EQ(page->items[0].detail, "received → in_progress");
  auto verified = service().verifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->entries, 1);
  EXPECT_FALSE(verified->first_broken);
}

TEST_P(StaffServiceTest, EveryChangeIsAuditedWithoutItsSecretAndARefusalRecordsNothing) {
  const ProvinceContext context = provinceContext(*store_, clock_, Language::English, "cli:root");
  const EnrolmentService enrolment(context);
  auto issued = enrolment.issueCode({"H21.09", "UBND xã Bình Chương", std::nullopt, false});
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_FALSE(enrolment.issueCode({"not a code", "x", std::nullopt, false}));
  ASSERT_TRUE(enrolment.revokeCode(issued->code));
  ASSERT_TRUE(AgencyService(context).import({{"H21.10", "Sở Y tế", AgencyType::Department, ""}},
                                            "directory.csv"));
  ASSERT_TRUE(
      ReportService(context).announceDeadline(2026, *parseDate("2027-01-15"), std::nullopt));
  const std::string agent = test::enrollAgent(*store_, "H21.11", "UBND xã Bình Hải", "PC-2", kNow);
  ASSERT_TRUE(enrolment.revokeAgent(agent));
  EXPECT_FALSE(enrolment.revokeAgent("no-such-agent"));
  MergerNotice merger;
  merger.from = {{"H21.10", ""}, {"H21.11", ""}};
  merger.into = {"H21.10", "Sở Y tế mới"};
  ASSERT_TRUE(MergerService(context).publish(merger));
  auto page = service().audit({"cli:root", "", "", {}});
  ASSERT_TRUE(page);
  std::vector<std::string> actions;
  for (const auto& e : page->items) {
    actions.push_back(e.action);
    EXPECT_EQ(e.target.find(issued->code), std::string::npos);
    EXPECT_EQ(e.detail.find(issued->code), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"merger.publish", "agent.revoke", "report.deadline",
                                               "agency.import", "code.revoke", "code.issue"}));
  EXPECT_EQ(page->items[0].agency_code, "H21.10");
  EXPECT_EQ(page->items[1].agency_code, "H21.11");
  EXPECT_EQ(page->items[1].target, agent);
  EXPECT_EQ(page->items.back().agency_code, "H21.09");
  EXPECT_EQ(service().audit({"", "H21.09", "", {}})->items.size(), 2u);
}

TEST_P(StaffServiceTest, ABoundCertificateLogsItsAccountInAndIsAudited) {
  const test::TestCa ca;
  const auto der = ca.issue(test::individualSpec("Nguyễn Văn An", kNow - 24h, kNow + 24h * 365));
  const auto other = ca.issue(test::individualSpec("Trần Thị Bình", kNow - 24h, kNow + 24h * 365));
  const std::string fingerprint = sha256Hex(der);
  auto issued = service().addUser("can.bo", StaffRole::Officer);
  ASSERT_TRUE(issued) << issued.error().message;
  ASSERT_TRUE(service().addUser("lanh.dao", StaffRole::Viewer));
  EXPECT_EQ(service().authenticateCertificate(fingerprint).error().code,
            ErrorCode::PermissionDenied)
      << "bound to no account yet";
  EXPECT_EQ(service().authenticateCertificate("").error().code, ErrorCode::PermissionDenied);

  auto bound = service().bindCertificate("can.bo", der);
  ASSERT_TRUE(bound) << bound.error().message;
  EXPECT_EQ(bound->certificate_fingerprint, fingerprint);
  EXPECT_NE(bound->certificate_subject.find("CN=Nguyễn Văn An"), std::string::npos)
      << bound->certificate_subject;
  EXPECT_EQ(service().bindCertificate("lanh.dao", der).error().code, ErrorCode::Conflict)
      << "one account per certificate";
  EXPECT_EQ(service().bindCertificate("khong.co", other).error().code, ErrorCode::NotFound);
  EXPECT_EQ(service().bindCertificate("can.bo", ca.rootDer()).error().code,
            ErrorCode::InvalidArgument)
      << "a CA's certificate";
  const std::vector<std::uint8_t> junk{'n', 'o'};
  EXPECT_EQ(service().bindCertificate("can.bo", junk).error().code, ErrorCode::InvalidArgument);

  // The one-time password is pending: a certificate login need not change it.
  auto in = service().authenticateCertificate(fingerprint);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->name, "can.bo");
  EXPECT_EQ(in->role, StaffRole::Officer);
  EXPECT_FALSE(in->must_change_password);
  EXPECT_EQ(in->last_login, kNow);
  EXPECT_TRUE((*store_->staff().account("can.bo"))->must_change_password);
  EXPECT_EQ(service().user("can.bo")->certificate_fingerprint, fingerprint);

  // Rebinding replaces; clearing ends it.
  ASSERT_TRUE(service().bindCertificate("can.bo", other));
  EXPECT_EQ(service().authenticateCertificate(fingerprint).error().code,
            ErrorCode::PermissionDenied);
  ASSERT_TRUE(service().clearCertificate("can.bo"));
  EXPECT_EQ(service().authenticateCertificate(sha256Hex(other)).error().code,
            ErrorCode::PermissionDenied);
  EXPECT_TRUE(service().user("can.bo")->certificate_fingerprint.empty());
  EXPECT_EQ(service().clearCertificate("khong.co").error().code, ErrorCode::NotFound);

  auto page = service().audit({"", "", "user.certificate", {}});
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].target, "can.bo");
  EXPECT_NE(page->items[1].detail.find(fingerprint), std::string::npos);
  auto cleared = service().audit({"", "", "user.certificate_clear", {}});
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->items.size(), 1u);
}

TEST_P(StaffServiceTest, ADisabledOrLockedAccountAndItsCertificate) {
  const test::TestCa ca;
  const auto der = ca.issue(test::individualSpec("Nguyễn Văn An", kNow - 24h, kNow + 24h * 365));
  ASSERT_TRUE(service().addUser("can.bo", StaffRole::Officer));
  ASSERT_TRUE(service().bindCertificate("can.bo", der));
  // Five wrong passwords lock the password, not the token: the lock stays as it was.
  for (int i = 0; i < kLoginAttempts; ++i) (void)service().authenticate("can.bo", "sai-mat-khau");
  ASSERT_TRUE((*store_->staff().account("can.bo"))->locked_until);
  ASSERT_TRUE(service().authenticateCertificate(sha256Hex(der)));
  EXPECT_TRUE((*store_->staff().account("can.bo"))->locked_until);
  // A disabled account cannot log in either way.
  ASSERT_TRUE(service().disable("can.bo"));
  EXPECT_EQ(service().authenticateCertificate(sha256Hex(der)).error().code,
            ErrorCode::FailedPrecondition);
}

TEST_P(StaffStoreTest, ACertificateIsBoundToOneAccountAtMost) {
  StaffRoster& roster = store_->staff();
  for (const char* name : {"mot", "hai"}) {
    StaffRecord account;
    account.name = name;
    account.role = "officer";
    account.password_hash = "h";
    account.created_at = kNow;
    ASSERT_TRUE(*roster.add(account));
  }
  ASSERT_TRUE(*roster.setCertificate("mot", "ab12", "CN=Một"));
  EXPECT_FALSE(*roster.setCertificate("khong", "cd34", "CN=Không"));
  EXPECT_FALSE(roster.setCertificate("hai", "ab12", "CN=Một")) << "the unique index";
  auto found = roster.accountByCertificate("ab12");
  ASSERT_TRUE(found && *found) << (found ? "none" : found.error().message);
  EXPECT_EQ((*found)->name, "mot");
  EXPECT_EQ((*found)->certificate_subject, "CN=Một");
  EXPECT_FALSE(*roster.accountByCertificate(""));
  // Accounts without one never collide.
  ASSERT_TRUE(*roster.setCertificate("mot", "", ""));
  EXPECT_FALSE(*roster.accountByCertificate("ab12"));
  EXPECT_TRUE((*roster.account("mot"))->certificate_fingerprint.empty());
  EXPECT_TRUE((*roster.account("hai"))->certificate_fingerprint.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffServiceTest, test::kStoreBackends, test::storeBackendName);

}  // namespace
}  // namespace cks::hub
