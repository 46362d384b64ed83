// Every agency's requests at the hub, through the real cks-hub over real mutual TLS and its admin
// commands: a filed request is stored as received at the hub's time, due in working days and
// routed by the province's delegations; the agent learns it through its pull feed; a replay
// changes nothing; one agency cannot file or cancel under another's request id; a bad body is a
// 400 naming the field with nothing stored; the province accepts, forwards, completes or rejects
// it, each step journalled with who and when and sent to the agent; overdue requests are
// flagged. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "core/request.h"
#include "core/time_format.h"
#include "core/working_days.h"
#include "hub/inventory_change.h"
#include "hub/request_change.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const std::string kAgency = "H21.09";
const std::string kAgencyName = "UBND xã Bình Chương";
const std::string kOtherAgency = "H21.10";
const std::string kOtherAgencyName = "UBND xã Bình Hải";
const std::string kFingerprint(64, 'c');
const std::string kDelegation =
    "\n[requests]\ndelegation = renewal,change_of_information,device_recovery 2020-01-01.. "
    "Quyết định số 512/QĐ-UBND\n";

// A request_filed body; `kind` decides its subject and form.
std::string filedBody(const std::string& id, const std::string& kind = "renewal",
                      const std::string& extra = "") {
  std::string subject;
  std::string form = "04";
  if (kind == "device_recovery") {
    subject = R"("token_serial": "54030A1B")";
    form = "06";
  } else {
    subject = R"("fingerprint_sha256": ")" + kFingerprint + "\"";
    if (kind == "revocation") {
      subject += R"(, "revocation_reason": "device_lost")";
      form = "05";
    }
  }
  return R"({"request": {"id": ")" + id + R"(", "kind": ")" + kind +
         R"(", "state": "submitted", "form": ")" + form + "\", " + subject +
         R"(, "fields": {}, "handled_by": "provider", "created_at": "2026-03-05T02:00:00Z", )"
         R"("supersedes": [])" +
         extra + "}}";
}

std::string cancelBody(const std::string& id, const std::string& reason = "Nhập nhầm") {
  return R"({"request_id": ")" + id + R"(", "at": "2026-03-05T03:00:00Z", "reason": ")" + reason +
         "\"}";
}

std::vector<std::string> namesOf(const Object::Ptr& object) {
  std::vector<std::string> names;
  object->getNames(names);
  std::sort(names.begin(), names.end());
  return names;
}

class HubRequestsTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
  }

  long push(const EnrolledAgent& agent, const std::vector<std::string>& entries,
            const std::string& lane = "normal") {
    const auto reply = hub_.post(agent, "/v1/push", pushJson(entries, lane));
    EXPECT_EQ(reply.status, 200) << reply.body << reply.tls_error;
    return reply.status == 200 ? reply.json()->getValue<long>("acked") : -1;
  }

  Array::Ptr adminJson(const std::vector<std::string>& args) {
    const auto result = hub_.admin(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    Poco::JSON::Parser parser;
    return parser.parse(result.out).extract<Array::Ptr>();
  }

  Object::Ptr requestWithId(const std::string& id) {
    const auto list = adminJson({"requests", "--json"});
    for (unsigned i = 0; i < list->size(); ++i) {
      if (list->getObject(i)->getValue<std::string>("id") == id) return list->getObject(i);
    }
    return nullptr;
  }

  // The agent's request_status feed items, oldest first.
  std::vector<Object::Ptr> statusItems(const EnrolledAgent& agent) {
    const auto reply = hub_.post(agent, "/v1/pull", R"({"cursor": 0})");
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<Object::Ptr> out;
    const auto items = reply.json()->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      if (items->getObject(i)->getValue<std::string>("kind") == "request_status") {
        out.push_back(items->getObject(i)->getObject("body"));
      }
    }
    return out;
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(),
                    {.extra = kDelegation, .store_url = storeUrlFor(GetParam())}};
};

TEST_P(HubRequestsTest, AFiledRequestIsReceivedDueInWorkingDaysRoutedAndTheAgentLearnsIt) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  EXPECT_EQ(
      push(agent, {entryJson(1, "e1", "request_filed", filedBody("r-renew")),
                   entryJson(2, "e2", "request_filed", filedBody("r-recover", "device_recovery"))}),
      2);
  EXPECT_EQ(push(agent, {entryJson(1, "u1", "request_filed", filedBody("r-revoke", "revocation"))},
                 "urgent"),
            1);

  const auto renewal = requestWithId("r-renew");
  ASSERT_TRUE(renewal);
  EXPECT_EQ(
      namesOf(renewal),
      (std::vector<std::string>{"agency",     "agency_name",       "agent_id", "change_case",
                                "created_at", "due_date",          "fields",   "fingerprint_sha256",
                                "form",       "handled_by",        "history",  "id",
                                "kind",       "overdue",           "reason",   "received_at",
                                "reference",  "revocation_reason", "state",    "subscriber",
                                "supersedes", "token_serial"}));
  EXPECT_EQ(renewal->getValue<std::string>("agency"), kAgency);
  EXPECT_EQ(renewal->getValue<std::string>("agency_name"), kAgencyName);
  EXPECT_EQ(renewal->getValue<std::string>("kind"), "renewal");
  EXPECT_EQ(renewal->getValue<std::string>("state"), "received");
  EXPECT_EQ(renewal->getValue<std::string>("form"), "04");
  EXPECT_EQ(renewal->getValue<std::string>("fingerprint_sha256"), kFingerprint);
  EXPECT_TRUE(renewal->isNull("token_serial"));
  EXPECT_TRUE(renewal->isNull("reason"));
  EXPECT_EQ(renewal->getValue<std::string>("created_at"), "2026-03-05T02:00:00Z");
  EXPECT_FALSE(renewal->getValue<bool>("overdue"));
  // The hub routes again: its delegation covers renewals, whatever the agent thought.
  EXPECT_EQ(renewal->getValue<std::string>("handled_by"), "province");
  // Due 3 working days after the hub's own receipt time.
  const TimePoint received = *parseIsoUtc(renewal->getValue<std::string>("received_at"));
  EXPECT_LE(std::chrono::abs(received - std::chrono::floor<std::chrono::seconds>(
                                            std::chrono::system_clock::now())),
            std::chrono::seconds(120));
  const auto calendar = WorkingDayCalendar::vietnam();
  EXPECT_EQ(renewal->getValue<std::string>("due_date"),
            formatDate(calendar.dueDate(received, 3).day));
  const auto history = renewal->getArray("history");
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("event"), "received");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("by"), "cks-hub");

  const auto recovery = requestWithId("r-recover");
  ASSERT_TRUE(recovery);
  EXPECT_EQ(recovery->getValue<std::string>("form"), "06");
  EXPECT_EQ(recovery->getValue<std::string>("token_serial"), "54030A1B");
  EXPECT_EQ(recovery->getValue<std::string>("handled_by"), "province");
  const TimePoint recovery_received = *parseIsoUtc(recovery->getValue<std::string>("received_at"));
  EXPECT_EQ(recovery->getValue<std::string>("due_date"),
            formatDate(calendar.dueDate(recovery_received, 1).day));
  const auto revocation = requestWithId("r-revoke");
  ASSERT_TRUE(revocation);
  EXPECT_EQ(revocation->getValue<std::string>("handled_by"), "provider");  // not delegated
  EXPECT_EQ(revocation->getValue<std::string>("reason"), "device_lost");

  const auto items = statusItems(agent);
  ASSERT_EQ(items.size(), 3u);
  const auto first = items[0];
  EXPECT_EQ(namesOf(first),
            (std::vector<std::string>{"at", "by", "due_date", "handled_by", "reason", "reference",
                                      "request_id", "state"}));
  EXPECT_EQ(first->getValue<std::string>("request_id"), "r-renew");
  EXPECT_EQ(first->getValue<std::string>("state"), "received");
  EXPECT_EQ(first->getValue<std::string>("due_date"), renewal->getValue<std::string>("due_date"));
  EXPECT_EQ(first->getValue<std::string>("handled_by"), "province");
  EXPECT_EQ(first->getValue<std::string>("at"), renewal->getValue<std::string>("received_at"));
  EXPECT_TRUE(first->isNull("reason"));
}

TEST_P(HubRequestsTest, AReplayOrASecondFilingOfTheSameIdChangesNothing) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string entry = entryJson(1, "e1", "request_filed", filedBody("r-1"));
  EXPECT_EQ(push(agent, {entry}), 1);
  const auto before = requestWithId("r-1");
  ASSERT_TRUE(before);
  EXPECT_EQ(push(agent, {entry}), 1);
  // The same id again in a new entry, even as another kind: the request stays as it was.
  EXPECT_EQ(
      push(agent, {entry, entryJson(2, "e2", "request_filed", filedBody("r-1", "revocation"))}), 2);
  const auto list = adminJson({"requests", "--json"});
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("kind"), "renewal");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("received_at"),
            before->getValue<std::string>("received_at"));
  EXPECT_EQ(list->getObject(0)->getArray("history")->size(), 1u);
  EXPECT_EQ(statusItems(agent).size(), 1u);
}

TEST_P(HubRequestsTest, AnAgencyCannotFileOrCancelUnderAnotherAgencysRequestId) {
  const auto mine = hub_.enroll(kAgency, kAgencyName);
  const auto theirs = hub_.enroll(kOtherAgency, kOtherAgencyName);
  EXPECT_EQ(push(mine, {entryJson(1, "e1", "request_filed", filedBody("r-1"))}), 1);
  for (const auto& [entry, field] : std::vector<std::pair<std::string, std::string>>{
           {entryJson(1, "x1", "request_filed", filedBody("r-1", "revocation")),
            "entries[0].body.request.id: request r-1 is not a request of agency H21.10"},
           {entryJson(1, "x1", "request_cancelled", cancelBody("r-1")),
            "entries[0].body.request_id: request r-1 is not a request of agency H21.10"}}) {
    const auto reply = hub_.post(theirs, "/v1/push", pushJson({entry}));
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(adminJson({"requests", "--agency", kOtherAgency, "--json"})->size(), 0u);
  const auto own = adminJson({"requests", "--agency", kAgency, "--json"});
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(own->getObject(0)->getValue<std::string>("state"), "received");
  EXPECT_EQ(own->getObject(0)->getValue<std::string>("kind"), "renewal");
  EXPECT_EQ(statusItems(theirs).size(), 0u);
}

TEST_P(HubRequestsTest, BadRequestBodiesAre400NamingTheFieldAndNothingIsStored) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string good = entryJson(1, "e1", "request_filed", filedBody("r-1"));
  auto second = [](const std::string& body) { return entryJson(2, "e2", "request_filed", body); };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {second(filedBody("r-2", "renewal", R"(, "kind": "renew")")),
       "entries[1].body.request.kind: unknown request kind \"renew\""},
      {second(filedBody("r-2", "renewal", R"(, "form": "05")")),
       "entries[1].body.request.form: \"05\" is not the form of this request (expected \"04\")"},
      {second(filedBody("r-2", "renewal", R"(, "fingerprint_sha256": "xyz")")),
       "entries[1].body.request.fingerprint_sha256: expected 64 lowercase hex digits"},
      {second(filedBody("r-2", "revocation", R"(, "revocation_reason": "lost")")),
       "entries[1].body.request.revocation_reason: unknown revocation reason \"lost\""},
      {second(R"({"request_id": "r-2"})"), "entries[1].body.request: missing"},
      {entryJson(2, "e2", "request_cancelled", R"({"at": "2026-03-05T03:00:00Z"})"),
       "entries[1].body.request_id: missing"},
      {entryJson(2, "e2", "request_exploded", "{}"),
       "entries[1].kind: unknown entry kind \"request_exploded\""},
  };
  for (const auto& [entry, field] : cases) {
    const auto reply = hub_.post(agent, "/v1/push", pushJson({good, entry}));
    ASSERT_TRUE(reply.answered) << reply.tls_error;
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.json()->getValue<std::string>("error"), "bad_request");
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(adminJson({"requests", "--json"})->size(), 0u);
  EXPECT_EQ(adminJson({"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 0);
}

TEST_P(HubRequestsTest, TheProvinceHandlesARequestAndEveryStepReachesTheAgent) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "request_filed", filedBody("r-1")),
                         entryJson(2, "e2", "request_filed", filedBody("r-2", "revocation"))}),
            2);
  // Refused: completing what nobody accepted, rejecting without a reason, unknown ids, bad use.
  auto result = hub_.admin({"request", "complete", "r-1"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("Không thể chuyển đề nghị từ «Sở KH&CN đã tiếp nhận» sang «Hoàn "
                            "thành»"),
            std::string::npos)
      << result.err;
  result = hub_.admin({"request", "reject", "r-1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("Từ chối đề nghị phải nêu rõ lý do"), std::string::npos) << result.err;
  EXPECT_EQ(hub_.admin({"request", "reject", "r-1", "--reason", "  "}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"request", "accept", "r-404"}).exit_code, 1);
  EXPECT_EQ(hub_.admin({"request", "approve", "r-1"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"request", "accept"}).exit_code, 2);
  EXPECT_EQ(requestWithId("r-1")->getValue<std::string>("state"), "received");

  result = hub_.admin({"request", "accept", "r-1", "--by", "Trần Văn Sở"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Đã chuyển đề nghị r-1 sang «Đang xử lý» (người thực hiện: Trần Văn "
                            "Sở"),
            std::string::npos)
      << result.out;
  // in_progress → forwarded is not a step the Sở may take (it decides once).
  EXPECT_EQ(hub_.admin({"request", "forward", "r-1"}).exit_code, 2);
  result = hub_.admin(
      {"request", "complete", "r-1", "--reference", "CTS-2026-0042", "--by", "Trần Văn Sở"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(hub_.admin({"request", "reject", "r-1", "--reason", "muộn"}).exit_code, 2);
  // Without --by: the OS user running the command.
  result = hub_.admin({"request", "reject", "r-2", "--reason", "Thiếu biên bản bàn giao"});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto done = requestWithId("r-1");
  EXPECT_EQ(done->getValue<std::string>("state"), "completed");
  EXPECT_EQ(done->getValue<std::string>("reference"), "CTS-2026-0042");
  const auto history = done->getArray("history");
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("event"), "in_progress");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("by"), "Trần Văn Sở");
  EXPECT_TRUE(parseIsoUtc(history->getObject(1)->getValue<std::string>("at")).has_value());
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("event"), "completed");
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("reference"), "CTS-2026-0042");
  const auto rejected = requestWithId("r-2");
  EXPECT_EQ(rejected->getValue<std::string>("state"), "rejected");
  EXPECT_EQ(rejected->getValue<std::string>("reason"), "Thiếu biên bản bàn giao");
  const std::string os_user =
      rejected->getArray("history")->getObject(1)->getValue<std::string>("by");
  EXPECT_FALSE(os_user.empty());
  EXPECT_EQ(adminJson({"requests", "--state", "completed", "--json"})->size(), 1u);

  const auto items = statusItems(agent);
  ASSERT_EQ(items.size(), 5u);  // received ×2, in_progress, completed, rejected
  EXPECT_EQ(items[2]->getValue<std::string>("state"), "in_progress");
  EXPECT_EQ(items[2]->getValue<std::string>("by"), "Trần Văn Sở");
  EXPECT_EQ(items[3]->getValue<std::string>("state"), "completed");
  EXPECT_EQ(items[3]->getValue<std::string>("reference"), "CTS-2026-0042");
  EXPECT_EQ(items[3]->getValue<std::string>("due_date"), done->getValue<std::string>("due_date"));
  EXPECT_EQ(items[3]->getValue<std::string>("handled_by"), "province");
  EXPECT_EQ(items[4]->getValue<std::string>("request_id"), "r-2");
  EXPECT_EQ(items[4]->getValue<std::string>("state"), "rejected");
  EXPECT_EQ(items[4]->getValue<std::string>("reason"), "Thiếu biên bản bàn giao");
  EXPECT_EQ(items[4]->getValue<std::string>("by"), os_user);
}

TEST_P(HubRequestsTest, ACancellationStandsUntilTheProvinceActsAfterwardsItIsOnlyJournalled) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  // Cancelled (urgent lane) before its filing arrived: stored as cancelled, no deadline.
  EXPECT_EQ(push(agent, {entryJson(1, "u1", "request_cancelled", cancelBody("r-early"))}, "urgent"),
            1);
  // Filed and cancelled on the PC before either left it: both arrive in one push, and the
  // cancellation stands (the hub's receipt is not a step anyone at the province took).
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "request_filed", filedBody("r-early")),
                         entryJson(2, "e2", "request_filed", filedBody("r-together")),
                         entryJson(3, "e3", "request_cancelled", cancelBody("r-together", "Đổi ý")),
                         entryJson(4, "e4", "request_filed", filedBody("r-taken"))}),
            4);
  const auto early = requestWithId("r-early");
  EXPECT_EQ(early->getValue<std::string>("state"), "cancelled");
  EXPECT_EQ(early->getValue<std::string>("reason"), "Nhập nhầm");
  EXPECT_TRUE(early->isNull("due_date"));
  EXPECT_FALSE(early->getValue<bool>("overdue"));
  const auto together = requestWithId("r-together");
  EXPECT_EQ(together->getValue<std::string>("state"), "cancelled");
  EXPECT_EQ(together->getValue<std::string>("reason"), "Đổi ý");
  EXPECT_FALSE(together->getValue<bool>("overdue"));
  ASSERT_EQ(together->getArray("history")->size(), 2u);
  EXPECT_EQ(together->getArray("history")->getObject(1)->getValue<std::string>("event"),
            "cancelled");

  // Once the province has taken the request on, a cancellation is only journalled: the agency
  // learns the province's step from the feed (AgentRequestsTest: it takes it over its own).
  ASSERT_EQ(hub_.admin({"request", "accept", "r-taken", "--by", "Trần Văn Sở"}).exit_code, 0);
  EXPECT_EQ(push(agent, {entryJson(5, "e5", "request_cancelled", cancelBody("r-taken", "Muộn"))}),
            5);
  const auto taken = requestWithId("r-taken");
  EXPECT_EQ(taken->getValue<std::string>("state"), "in_progress");
  const auto history = taken->getArray("history");
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("event"), "cancel_refused");
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("reason"), "Muộn");
  // Received: r-together and r-taken; in progress: r-taken.
  ASSERT_EQ(statusItems(agent).size(), 3u);
}

TEST_P(HubRequestsTest, OverdueRequestsAreFlaggedAndTheTextIsVietnamese) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  // Received on Friday 13/2/2026 at 10:00 (Vietnam), straight into the store: due Wednesday
  // 25/2 after Tết, long past now.
  {
    auto store = openStoreAt(hub_.storeUrl());
    ASSERT_TRUE(store) << store.error().message;
    sync::OutboxEntry entry{1, "old-1", "request_filed", *parseIsoUtc("2026-02-13T03:00:00Z"),
                            nullptr};
    Poco::JSON::Parser parser;
    entry.body = parser.parse(filedBody("r-old")).extract<Object::Ptr>();
    auto change = hub::readInventoryChange(entry, "entries[0]", SubscriberKindRules{});
    ASSERT_TRUE(change) << change.error().message;
    const TimePoint friday = *parseIsoUtc("2026-02-13T03:00:00Z");
    hub::RequestSettings settings;
    change->request_filed->receipt =
        hub::receiveRequest(change->request_filed->request, settings, settings.calendar(), friday);
    hub::PushBatch batch;
    batch.lane = "urgent";
    batch.entries.push_back(std::move(*change));
    auto outcome = (*store)->ingest().push(agent.agent_id, batch, friday);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->kind, hub::PushOutcome::Kind::Acked);
  }
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "request_filed", filedBody("r-new"))}), 1);
  const auto old = requestWithId("r-old");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->getValue<std::string>("received_at"), "2026-02-13T03:00:00Z");
  EXPECT_EQ(old->getValue<std::string>("due_date"), "2026-02-25");
  EXPECT_TRUE(old->getValue<bool>("overdue"));
  EXPECT_FALSE(requestWithId("r-new")->getValue<bool>("overdue"));
  // The soonest due first.
  EXPECT_EQ(adminJson({"requests", "--json"})->getObject(0)->getValue<std::string>("id"), "r-old");

  const auto vi = hub_.admin({"requests", "--wide"});
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  for (const std::string expected :
       {"Đề nghị của các cơ quan trong tỉnh", "Mã đề nghị", "Hạn xử lý", "25/02/2026 (QUÁ HẠN)",
        "13/02/2026", "Gia hạn chứng thư số", "Sở KH&CN đã tiếp nhận", "Sở Khoa học và Công nghệ",
        "Tổng cộng 2 đề nghị, 1 quá hạn."}) {
    EXPECT_NE(vi.out.find(expected), std::string::npos) << expected << "\n" << vi.out;
  }
  const auto en = runCommand({hubBinary(), "--lang", "en", "--config", hub_.config(), "admin",
                              "requests", "--agency", kAgency});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("Requests of UBND xã Bình Chương (H21.09)"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("(OVERDUE)"), std::string::npos) << en.out;
  // Filters: a state, a bad state, an agency with none.
  EXPECT_EQ(adminJson({"requests", "--state", "completed", "--json"})->size(), 0u);
  EXPECT_EQ(adminJson({"requests", "--state", "received", "--json"})->size(), 2u);
  EXPECT_EQ(hub_.admin({"requests", "--state", "done"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"requests", "--agency", "H99"}).exit_code, 1);
  const auto help = runCommand({hubBinary(), "admin", "--help"});
  EXPECT_NE(help.out.find("requests [--state TT] [--agency MÃ] [--json]"), std::string::npos);
}

TEST_P(HubRequestsTest, TheProvinceNamesARequestByTheStartOfItsId) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string first = "6f1c2a9e-4b1d-4c55-9a0e-2f8d7c6b5a41";
  const std::string second = "6f1c2a9e-77aa-4c55-9a0e-2f8d7c6b5a42";
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "request_filed", filedBody(first)),
                         entryJson(2, "e2", "request_filed", filedBody(second, "revocation"))}),
            2);
  // The table shows the first group of each id (whole with --wide).
  const auto table = hub_.admin({"requests"});
  EXPECT_EQ(table.out.find(first), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("6f1c2a9e"), std::string::npos) << table.out;
  EXPECT_NE(hub_.admin({"requests", "--wide"}).out.find(first), std::string::npos);

  // A prefix both start with names neither: the candidates are listed, nothing changes.
  auto result = hub_.admin({"request", "accept", "6f1c2a9e"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find(first), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(second), std::string::npos) << result.err;
  EXPECT_EQ(requestWithId(first)->getValue<std::string>("state"), "received");
  // A unique prefix, in any case, does.
  result = hub_.admin({"request", "accept", "6F1C2A9E-4B", "--by", "Trần Văn Sở"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(first), std::string::npos) << result.out;
  EXPECT_EQ(requestWithId(first)->getValue<std::string>("state"), "in_progress");
  EXPECT_EQ(requestWithId(second)->getValue<std::string>("state"), "received");
  EXPECT_EQ(hub_.admin({"request", "accept", "deadbeef"}).exit_code, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubRequestsTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
