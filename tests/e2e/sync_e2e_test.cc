// End to end across the province: real SoftHSM tokens, a real cks-agent and a real cks-hub
// over mutual TLS, driven by cksctl and `cks-hub admin` as the officer and the province would.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "core/certificate.h"
#include "core/messages.h"
#include "core/time_format.h"
#include "tests/hub/hub_under_test.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/small_disk.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Array;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Array::Ptr parseArray(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Array::Ptr>();
}

// The fields both sides must agree on, per certificate.
std::set<std::string> view(const Array::Ptr& certs) {
  std::set<std::string> rows;
  for (size_t i = 0; i < certs->size(); ++i) {
    const auto c = certs->getObject(static_cast<unsigned>(i));
    std::string row;
    for (const char* key : {"fingerprint_sha256", "subject", "issuer", "serial", "not_after",
                            "kind", "status", "token_serial", "token_label"}) {
      row += c->has(key) && !c->isNull(key) ? c->getValue<std::string>(key) : "∅";
      row += "|";
    }
    row += c->getValue<bool>("present") ? "present" : "absent";
    const auto holders = c->getArray("token_serials");
    for (size_t h = 0; holders && h < holders->size(); ++h) {
      row += "|" + holders->getElement<std::string>(static_cast<unsigned>(h));
    }
    rows.insert(row);
  }
  return rows;
}

class SyncEndToEndTest : public ::testing::Test {
 protected:
  SyncEndToEndTest() : hsm_(dir_.path()), hub_(dir_.path()) {}

  void SetUp() override {
    clerk_serial_ = hsm_.createToken("Văn thư");
    chairman_serial_ = hsm_.createToken("Chủ tịch");
    hsm_.writeCertificate(
        "Văn thư",
        ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 800)),
        "CTS UBND xa", "01");
    hsm_.writeCertificate(
        "Chủ tịch",
        ca_.issue(individualSpec("Nguyễn Văn An", now() - 24h * 300, vietnamNoonIn(9, now()))),
        "CTS ca nhan", "01");
    hub_.start();
    writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
  }

  std::string hubUrl() const { return "https://127.0.0.1:" + std::to_string(hub_.port()); }

  // Enrols `agent` with a fresh code for the commune.
  CommandResult enroll(AgentUnderTest& agent, const std::string& agency = "H21.09") {
    const std::string code = hub_.enrollCode(agency, "UBND xã Bình Chương");
    return agent.ctl(
        {"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")});
  }

  Array::Ptr hubInventory(const std::string& agency = "H21.09") {
    const auto result = hub_.admin({"inventory", "--agency", agency, "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parseArray(result.out);
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  HubUnderTest hub_;
  std::string clerk_serial_, chairman_serial_;
};

TEST_F(SyncEndToEndTest, AfterEnrolmentAndSyncTheHubSeesWhatTheAgentSees) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto enrolled = enroll(agent);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << readFile(agent.log());
  EXPECT_NE(enrolled.out.find("H21.09"), std::string::npos) << enrolled.out;
  const auto synced = agent.ctl({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err << readFile(agent.log());

  EXPECT_EQ(view(hubInventory()), view(agent.ctlArray({"certs"})));
  EXPECT_EQ(hubInventory()->size(), 2u);

  const auto agents = hub_.admin({"agents", "--json"});
  ASSERT_EQ(agents.exit_code, 0) << agents.err;
  EXPECT_NE(agents.out.find("H21.09"), std::string::npos);
  EXPECT_NE(agents.out.find("UBND xã Bình Chương"), std::string::npos);
  const auto status = agent.ctlObject({"status"});
  EXPECT_TRUE(status->getObject("hub")->getValue<bool>("enrolled"));
  EXPECT_EQ(status->getObject("hub")->getValue<int>("backlog"), 0);
}

TEST_F(SyncEndToEndTest, AnUnpluggedTokenIsNoLongerPresentAtTheHub) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  hsm_.unplug("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto at_hub = findBy(hubInventory(), "token_serial", chairman_serial_);
  ASSERT_TRUE(at_hub);
  EXPECT_FALSE(at_hub->getValue<bool>("present"));
  EXPECT_EQ(view(hubInventory()), view(agent.ctlArray({"certs"})));
}

// Issue 15, review finding 1: an empty certificate object (CKA_VALUE of no bytes) once stopped
// every scan of the PC ("NOT NULL constraint failed: certificates.der"). It fails only itself:
// recorded as unreadable on the agent and at the hub, next to the token's good certificate.
TEST_F(SyncEndToEndTest, AnEmptyCertificateObjectIsRecordedUnreadableAndTheScanGoesOn) {
  hsm_.writeCertificate("Chủ tịch", {}, "rong", "02");
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  const auto once = agent.once();
  ASSERT_EQ(once.exit_code, 0) << once.err << readFile(agent.log());
  agent.start();
  const auto certs = agent.ctlArray({"certs"});
  ASSERT_EQ(certs->size(), 3u) << "the good certificates are still listed";
  const auto empty = findBy(certs, "fingerprint_sha256", sha256Hex({}));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->getValue<std::string>("status"), "unparseable");
  EXPECT_EQ(empty->getValue<std::string>("token_serial"), chairman_serial_);
  EXPECT_EQ(agent.ctlObject({"status"})
                ->getArray("modules")
                ->getObject(0)
                ->getValue<std::string>("outcome"),
            "ok");

  ASSERT_EQ(enroll(agent).exit_code, 0);
  const auto synced = agent.ctl({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err << readFile(agent.log());
  const auto at_hub = findBy(hubInventory(), "fingerprint_sha256", sha256Hex({}));
  ASSERT_TRUE(at_hub);
  EXPECT_EQ(at_hub->getValue<std::string>("status"), "unparseable");
  EXPECT_EQ(view(hubInventory()), view(agent.ctlArray({"certs"})));
}

TEST_F(SyncEndToEndTest, SyncSaysWhenTheHubIsUnreachableAndCatchesUpLater) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  ASSERT_EQ(hub_.stop(), 0);

  hsm_.unplug("Văn thư");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  const auto offline = agent.ctl({"sync"});
  EXPECT_EQ(offline.exit_code, 4) << offline.out << offline.err;
  // The catalogue's sentence alone: the socket's English error is for the log and --verbose.
  EXPECT_EQ(offline.err, message(Language::Vietnamese, "sync.unreachable") + "\n");
  const auto verbose = agent.ctl({"sync", "--verbose"});
  EXPECT_EQ(verbose.exit_code, 4);
  EXPECT_NE(verbose.err.find("Chi tiết kỹ thuật: "), std::string::npos) << verbose.err;
  EXPECT_GT(agent.ctlObject({"status"})->getObject("hub")->getValue<int>("backlog"), 0);

  hub_.start();
  const auto back = agent.ctl({"sync"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(view(hubInventory()), view(agent.ctlArray({"certs"})));
}

TEST_F(SyncEndToEndTest, AUsedEnrolmentCodeIsRefused) {
  AgentUnderTest first(dir_.path(), "first", {.modules = {SoftHsm::kModule}});
  first.start();
  const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
  ASSERT_EQ(
      first.ctl({"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")})
          .exit_code,
      0);
  AgentUnderTest second(dir_.path(), "second", {.modules = {SoftHsm::kModule}});
  second.start();
  const auto reused = second.ctl(
      {"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_EQ(reused.exit_code, 1);
  EXPECT_NE(reused.err.find("Hub từ chối mã đăng ký"), std::string::npos) << reused.err;
  EXPECT_EQ(second.ctl({"sync"}).exit_code, 1) << "not enrolled";
}

// Issue 12, point 13: an enrolment that fails says why in the officer's language, with what to
// do; the technical detail (English, from inside the program) only with --verbose.
TEST_F(SyncEndToEndTest, AFailedEnrolmentSaysWhyInVietnameseAndTheDetailOnlyWithVerbose) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto noEnglish = [](const CommandResult& r) {
    for (const char* fragment : {"enrol:", "the hub", "certificate", "refused"}) {
      EXPECT_EQ(r.err.find(fragment), std::string::npos) << fragment << " in: " << r.err;
    }
  };

  const auto unknown_code = agent.ctl({"enroll", "--hub", hubUrl(), "--code", "AAAA-BBBB-CCCC-DDDD",
                                       "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_EQ(unknown_code.exit_code, 1);
  EXPECT_NE(unknown_code.err.find("Hub từ chối mã đăng ký"), std::string::npos) << unknown_code.err;
  EXPECT_NE(unknown_code.err.find("xin Sở KH&CN một mã mới"), std::string::npos);
  noEnglish(unknown_code);

  // The hub's agent CA is a CA, but not the one that issued the hub's server certificate.
  const auto wrong_ca = agent.ctl({"enroll", "--hub", hubUrl(), "--code", "AAAA-BBBB-CCCC-DDDD",
                                   "--hub-ca", hub_.tlsDir() + "/agent-ca.pem"});
  EXPECT_EQ(wrong_ca.exit_code, 1);
  EXPECT_NE(wrong_ca.err.find("Không xác thực được hub " + hubUrl() + " bằng tệp CA"),
            std::string::npos)
      << wrong_ca.err;
  noEnglish(wrong_ca);

  const std::string nowhere = "https://127.0.0.1:" + std::to_string(freePort());
  const auto unreachable = agent.ctl({"enroll", "--hub", nowhere, "--code", "AAAA-BBBB-CCCC-DDDD",
                                      "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_EQ(unreachable.exit_code, 4);
  EXPECT_NE(unreachable.err.find("Không kết nối được tới hub " + nowhere), std::string::npos)
      << unreachable.err;
  noEnglish(unreachable);

  const auto verbose = agent.ctl({"enroll", "--verbose", "--hub", hubUrl(), "--code",
                                  "AAAA-BBBB-CCCC-DDDD", "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_NE(verbose.err.find("Chi tiết kỹ thuật: enrol: the hub refused the enrolment code"),
            std::string::npos)
      << verbose.err;
  // The same detail is in the agent's log, for the province's support.
  EXPECT_NE(readFile(agent.log()).find("the hub refused the enrolment code"), std::string::npos);
  const auto english = agent.ctl({"enroll", "--lang", "en", "--hub", hubUrl(), "--code",
                                  "AAAA-BBBB-CCCC-DDDD", "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_NE(english.err.find("The hub refused the enrolment code"), std::string::npos)
      << english.err;
}

// Issue 15, finding 8: an enrolment on a full disk says which folder is full and leaves nothing
// half-written; once there is room, the same code enrols the PC and it syncs.
TEST_F(SyncEndToEndTest, AnEnrolmentOnAFullDiskSaysWhichFolderAndTheSameCodeWorksOnceThereIsRoom) {
  SmallDisk disk(dir_.file("agent-hub"), 256 * 1024);  // the agent's [hub] dir
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  disk.fill();
  const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
  const std::vector<std::string> enroll{
      "enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")};
  const auto full = agent.ctl(enroll);
  EXPECT_EQ(full.exit_code, 1);
  EXPECT_NE(full.err.find("ổ đĩa chứa thư mục " + disk.folder() + " đã đầy"), std::string::npos)
      << full.err;
  EXPECT_NE(full.err.find("mã đăng ký vẫn dùng được"), std::string::npos) << full.err;
  // Nothing half-written: not enrolled, and no file of an enrolment left behind.
  EXPECT_FALSE(agent.ctlObject({"status"})->getObject("hub")->getValue<bool>("enrolled"));
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(disk.folder())) {
    left.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(left, std::vector<std::string>{".filler"});

  disk.free();
  const auto enrolled = agent.ctl(enroll);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << readFile(agent.log());
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0) << readFile(agent.log());
  EXPECT_EQ(hubInventory()->size(), 2u);
}

// Sets `line` in `section` of the agent's agent.ini (the section is added when missing).
void setIni(const AgentUnderTest& agent, const std::string& section, const std::string& line) {
  std::string ini = readFile(agent.config());
  const std::string header = "\n[" + section + "]\n";
  const auto at = ini.find(header);
  if (at == std::string::npos) {
    ini += header + line + "\n";
  } else {
    ini.insert(at + header.size(), line + "\n");
  }
  writeFile(agent.config(), ini);
}

// Issue 15, finding 2: an agent whose certificate for the hub is within [hub] renew_before of
// its end gets a new one at its next sync, over the current one, and goes on syncing as the
// same agent. (renew_before is longer than the two years the hub issues for: the first sync
// renews, and so would every sync after it.)
TEST_F(SyncEndToEndTest, AnAgentRenewsItsCertificateBeforeItEndsAndGoesOnSyncingAsItself) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  setIni(agent, "hub", "renew_before = 1000d");
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  const std::string files = dir_.file("agent-hub");
  const std::string key_before = readFile(files + "/agent.key");
  const std::string certificate_before = readFile(files + "/agent.crt");
  const auto before = agent.ctlObject({"status"})->getObject("hub");
  const std::string agent_id = before->getValue<std::string>("agent_id");
  const auto expires_before = parseIsoUtc(before->getValue<std::string>("certificate_expires"));
  ASSERT_TRUE(expires_before);
  EXPECT_GT(*expires_before, now() + 24h * 700);  // two years from the enrolment

  const auto synced = agent.ctl({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err << readFile(agent.log());
  EXPECT_NE(readFile(files + "/agent.key"), key_before);
  EXPECT_NE(readFile(files + "/agent.crt"), certificate_before);
  EXPECT_FALSE(std::filesystem::exists(files + "/agent.key.next"));
  EXPECT_FALSE(std::filesystem::exists(files + "/agent.crt.next"));
  const auto after = agent.ctlObject({"status"})->getObject("hub");
  EXPECT_EQ(after->getValue<std::string>("agent_id"), agent_id);
  EXPECT_GE(*parseIsoUtc(after->getValue<std::string>("certificate_expires")), *expires_before);
  EXPECT_NE(readFile(agent.log()).find("renewed this PC's certificate for the hub"),
            std::string::npos);
  EXPECT_NE(readFile(hub_.log()).find("renewed the certificate of agent " + agent_id),
            std::string::npos);

  // The new certificate is the one in use: a change made now reaches the province.
  hsm_.unplug("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0) << readFile(agent.log());
  bool unplugged = false;
  const auto inventory = hubInventory();
  for (size_t i = 0; i < inventory->size(); ++i) {
    const auto c = inventory->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("token_serial") == chairman_serial_) {
      unplugged = !c->getValue<bool>("present");
    }
  }
  EXPECT_TRUE(unplugged);
  // Counted once at the province: the same agent, not a second PC.
  const auto agents = hub_.admin({"agents", "--json"});
  EXPECT_EQ(parseArray(agents.out)->size(), 1u) << agents.out;
}

// Issue 15, finding 2: when little is left of the agent's certificate (here the threshold is
// longer than the certificate's two years), local IT is warned, and the province sees the same
// alert after the next sync.
TEST_F(SyncEndToEndTest, AnAgentCertificateNearItsEndIsAnAlertHereAndAtTheProvince) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  setIni(agent, "alerts", "agent_certificate = 800d");
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto raised = [&] {
    const auto alerts = agent.ctlArray({"alerts"});
    for (size_t i = 0; i < alerts->size(); ++i) {
      const auto a = alerts->getObject(static_cast<unsigned>(i));
      if (a->getValue<std::string>("kind") == "agent_certificate_expiring") return a;
    }
    return Object::Ptr();
  };
  ASSERT_TRUE(eventually([&] { return !raised().isNull(); }, std::chrono::seconds(15)))
      << agent.ctl({"alerts"}).out;
  EXPECT_NE(raised()->getValue<std::string>("message").find("Chứng chỉ kết nối của máy này"),
            std::string::npos);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto province = hub_.admin({"alerts", "--agency", "H21.09", "--json"});
  EXPECT_NE(province.out.find("agent_certificate_expiring"), std::string::npos) << province.out;
}

// Issue 12, point 6: after `admin revoke` every sync is refused; status says so and since when,
// and `enroll --force` with a new code replaces the enrolment without losing what was queued.
TEST_F(SyncEndToEndTest, ARevokedAgentSaysSoAndReEnrolsWithForceKeepingWhatWasQueued) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const std::string old_id =
      agent.ctlObject({"status"})->getObject("hub")->getValue<std::string>("agent_id");
  const auto revoked = hub_.admin({"revoke", "--agent", old_id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out << revoked.err;

  // Changes made meanwhile wait in the outbox.
  hsm_.unplug("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  const auto refused = agent.ctl({"sync"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("cksctl enroll --force"), std::string::npos) << refused.err;
  auto hub = agent.ctlObject({"status"})->getObject("hub");
  ASSERT_FALSE(hub->isNull("refused")) << readFile(agent.log());
  const auto since = hub->getObject("refused")->getValue<std::string>("since");
  EXPECT_TRUE(parseIsoUtc(since)) << since;
  EXPECT_NE(hub->getObject("refused")->getValue<std::string>("message").find("revoked"),
            std::string::npos);
  EXPECT_GT(hub->getValue<int>("backlog"), 0);
  // A second refusal keeps the first one's time: "since when", not "last time".
  EXPECT_EQ(agent.ctl({"sync"}).exit_code, 1);
  EXPECT_EQ(agent.ctlObject({"status"})
                ->getObject("hub")
                ->getObject("refused")
                ->getValue<std::string>("since"),
            since);
  const auto text = agent.ctl({"status"});
  EXPECT_NE(text.out.find("TỪ CHỐI máy này từ"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("cksctl enroll --force --hub " + hubUrl()), std::string::npos)
      << text.out;

  // Without --force the agent says how; with it, the new enrolment replaces the old one.
  const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
  const auto plain =
      agent.ctl({"enroll", "--hub", hubUrl(), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")});
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_NE(plain.err.find("cksctl enroll --force"), std::string::npos) << plain.err;
  const auto forced = agent.ctl({"enroll", "--force", "--hub", hubUrl(), "--code", code, "--hub-ca",
                                 dir_.file("hub-ca.pem")});
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err << readFile(agent.log());
  hub = agent.ctlObject({"status"})->getObject("hub");
  EXPECT_NE(hub->getValue<std::string>("agent_id"), old_id);
  EXPECT_TRUE(hub->isNull("refused"));
  EXPECT_EQ(agent.ctl({"status"}).out.find("TỪ CHỐI"), std::string::npos);

  const auto synced = agent.ctl({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err << readFile(agent.log());
  EXPECT_EQ(agent.ctlObject({"status"})->getObject("hub")->getValue<int>("backlog"), 0);
  // What was queued while refused reached the province: the chairman's token is unplugged there.
  const auto inventory = hubInventory();
  bool unplugged = false;
  for (size_t i = 0; i < inventory->size(); ++i) {
    const auto c = inventory->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("token_serial") == chairman_serial_ &&
        !c->getValue<bool>("present")) {
      unplugged = true;
    }
  }
  EXPECT_TRUE(unplugged) << hub_.admin({"inventory", "--agency", "H21.09", "--json"}).out;
}

// Issue 12, point 17: with the agent enrolled and the hub answering, doctor finds nothing wrong.
TEST_F(SyncEndToEndTest, DoctorFindsNothingWrongOnAnEnrolledAgentAndSeesTheHubsClock) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  const auto doctor = agent.ctl({"doctor"});
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_NE(doctor.out.find("Không thấy vấn đề nào."), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find("Đồng hồ máy này lệch"), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find(hubUrl()), std::string::npos) << doctor.out;

  // The hub away: said, with what to check.
  ASSERT_EQ(hub_.stop(), 0);
  const auto away = agent.ctl({"doctor", "--lang", "en"});
  EXPECT_EQ(away.exit_code, 1);
  EXPECT_NE(away.out.find("Cannot reach the hub " + hubUrl()), std::string::npos) << away.out;
}

// Poco's SecureServerSocket(address, …) sets SO_REUSEPORT: a second hub on the same port
// started and took half of the agents' connections. It must fail to listen instead.
TEST(HubPortTest, ASecondHubOnTheSamePortCannotListenThere) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("first"));
  std::filesystem::create_directories(dir.file("second"));
  HubUnderTest first(dir.file("first"));
  HubUnderTest second(dir.file("second"));
  const std::regex port("\nport = [0-9]+\n");
  std::smatch first_port;
  const std::string first_ini = readFile(first.config());
  ASSERT_TRUE(std::regex_search(first_ini, first_port, port));
  writeFile(second.config(), std::regex_replace(readFile(second.config()), port, first_port.str(),
                                                std::regex_constants::format_first_only));
  first.start();
  const auto result =
      runCommand({"timeout", "10", buildPath("bin/cks-hub"), "--config", second.config()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("sync server: listen on"), std::string::npos) << result.err;
  EXPECT_TRUE(first.running());
}

TEST(HubVersionTest, CksHubSaysItsVersion) {
  const auto result = runCommand({buildPath("bin/cks-hub"), "--version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("^cks-hub [0-9]+\\.[0-9]+\\.[0-9]+\n$")))
      << result.out;
}

// Issue 12 point 7: a PC that enrols again (after `admin revoke`) is a new agent seeing the same
// tokens; the province still counts each token and certificate once.
TEST_F(SyncEndToEndTest, APcThatEnrolsAgainIsCountedOnce) {
  AgentUnderTest first(dir_.path(), "first", {.modules = {SoftHsm::kModule}});
  first.start();
  ASSERT_EQ(enroll(first).exit_code, 0);
  ASSERT_EQ(first.ctl({"sync"}).exit_code, 0);
  ASSERT_EQ(hubInventory()->size(), 2u);
  const auto agents = parseArray(hub_.admin({"agents", "--json"}).out);
  ASSERT_EQ(agents->size(), 1u);
  const auto revoked =
      hub_.admin({"revoke", "--agent", agents->getObject(0)->getValue<std::string>("agent_id")});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  (void)first.stop();

  // The same PC with a fresh agent store: the same tokens, a new enrolment.
  AgentUnderTest again(dir_.path(), "again", {.modules = {SoftHsm::kModule}});
  again.start();
  ASSERT_EQ(enroll(again).exit_code, 0);
  ASSERT_EQ(again.ctl({"sync"}).exit_code, 0) << readFile(again.log());

  const auto inventory = hubInventory();
  EXPECT_EQ(inventory->size(), 2u);
  EXPECT_EQ(view(inventory), view(again.ctlArray({"certs"})));
  const auto tokens = hub_.admin({"tokens", "--agency", "H21.09", "--json"});
  ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
  EXPECT_EQ(parseArray(tokens.out)->size(), 2u);
  const auto expiring = hub_.admin({"expiring", "--days", "30", "--json"});
  ASSERT_EQ(expiring.exit_code, 0) << expiring.err;
  EXPECT_EQ(parseArray(expiring.out)->size(), 1u);  // Nguyễn Văn An's, once
}

// A certificate copied onto a second token (issue 12: the agent named one token, the hub
// another): both sides name the same token it was last seen on and list both holders.
TEST_F(SyncEndToEndTest, ACertificateOnTwoTokensIsShownTheSameOnBothSides) {
  const auto copy_serial = hsm_.createToken("Dự phòng");
  const auto der = ca_.issue(individualSpec("Trần Thị Bình", now() - 24h * 100, now() + 24h * 500));
  hsm_.writeCertificate("Văn thư", der, "CTS Tran Thi Binh", "02");
  hsm_.writeCertificate("Dự phòng", der, "CTS Tran Thi Binh", "02");
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0) << readFile(agent.log());

  const auto at_agent = findBy(agent.ctlArray({"certs"}), "common_name", "Trần Thị Bình");
  ASSERT_TRUE(at_agent);
  const auto holders = at_agent->getArray("token_serials");
  ASSERT_EQ(holders->size(), 2u);
  std::set<std::string> serials{holders->getElement<std::string>(0),
                                holders->getElement<std::string>(1)};
  EXPECT_EQ(serials, (std::set<std::string>{clerk_serial_, copy_serial}));
  EXPECT_EQ(view(hubInventory()), view(agent.ctlArray({"certs"})));
}

TEST_F(SyncEndToEndTest, ALocalChangeReachesTheHubWithoutAskingForASync) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  // Enrolment itself triggers the first sync soon after.
  ASSERT_TRUE(eventually([&] { return hubInventory()->size() == 2; }, 20s))
      << readFile(agent.log());
  hsm_.unplug("Chủ tịch");
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  // No `cksctl sync`: the agent syncs a few seconds after the change it recorded.
  EXPECT_TRUE(eventually(
      [&] {
        const auto cert = findBy(hubInventory(), "token_serial", chairman_serial_);
        return cert && !cert->getValue<bool>("present");
      },
      20s))
      << readFile(agent.log());
}

TEST_F(SyncEndToEndTest, TheAgentKnowsItsClockOffsetFromTheHub) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto hub = agent.ctlObject({"status"})->getObject("hub");
  ASSERT_FALSE(hub->isNull("clock_offset_seconds"));
  EXPECT_LE(std::abs(hub->getValue<int>("clock_offset_seconds")), 2) << "same machine, same clock";
  const auto agents = hub_.admin({"agents", "--json"});
  EXPECT_NE(agents.out.find("\"clock_offset_seconds\""), std::string::npos) << agents.out;
}

TEST_F(SyncEndToEndTest, AlertsReachTheHubAndFollowTheirStateThere) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);

  const auto at_agent = findBy(agent.ctlArray({"alerts"}), "kind", "certificate_expiring");
  ASSERT_TRUE(at_agent);
  const auto hub_alerts = [&] {
    const auto result = hub_.admin({"alerts", "--agency", "H21.09", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parseArray(result.out);
  };
  auto at_hub = findBy(hub_alerts(), "id", at_agent->getValue<std::string>("uuid"));
  ASSERT_TRUE(at_hub) << readFile(agent.log());
  EXPECT_EQ(at_hub->getValue<std::string>("agency"), "H21.09");
  EXPECT_EQ(at_hub->getValue<std::string>("kind"), "certificate_expiring");
  EXPECT_EQ(at_hub->getValue<int>("threshold_days"), 14);
  EXPECT_EQ(at_hub->getValue<std::string>("fingerprint_sha256"),
            at_agent->getValue<std::string>("fingerprint_sha256"));
  EXPECT_EQ(at_hub->getValue<std::string>("message"), at_agent->getValue<std::string>("message"));
  EXPECT_EQ(at_hub->getValue<std::string>("state"), "open");

  // Acknowledged at the commune: the province sees it at the next sync.
  ASSERT_EQ(agent.ctl({"ack", at_agent->getValue<std::string>("id")}).exit_code, 0);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  at_hub = findBy(hub_alerts(), "id", at_agent->getValue<std::string>("uuid"));
  ASSERT_TRUE(at_hub);
  EXPECT_EQ(at_hub->getValue<std::string>("state"), "acknowledged");

  // The province-wide view of what expires soon includes the chairman's certificate.
  const auto expiring = hub_.admin({"expiring", "--days", "30", "--json"});
  ASSERT_EQ(expiring.exit_code, 0) << expiring.err;
  const auto soon = findBy(parseArray(expiring.out), "token_serial", chairman_serial_);
  ASSERT_TRUE(soon) << expiring.out;
  EXPECT_EQ(soon->getValue<std::string>("agency"), "H21.09");
  EXPECT_EQ(soon->getValue<int>("days_left"), 9);
}

// The lifecycle of a request across the province (docs/requests.md): filed offline at the
// commune, received when the hub is reachable, completed or rejected by the province's staff,
// and each step back at the agency.
TEST_F(SyncEndToEndTest, ARenewalFiledOfflineIsCompletedAtTheHubAndTheAgencySeesEachStep) {
  const auto clerk_der =
      ca_.issue(organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 200));
  hsm_.writeCertificate("Văn thư", clerk_der, "CTS UBND xa 2", "02");
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  ASSERT_EQ(hub_.stop(), 0);  // the province is unreachable from here on

  const auto filed = agent.ctl({"request", "renew", "--cert", sha256Hex(clerk_der)});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id =
      filed.out.substr(filed.out.find_last_of('\n', filed.out.size() - 2) + 1, 36);
  EXPECT_EQ(findBy(agent.ctlArray({"requests"}), "id", id)->getValue<std::string>("state"),
            "queued");
  EXPECT_EQ(agent.ctl({"sync"}).exit_code, 4);

  hub_.start();
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0) << readFile(agent.log());
  const auto inbox = [&] {
    const auto result = hub_.admin({"requests", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parseArray(result.out);
  };
  auto at_hub = findBy(inbox(), "id", id);
  ASSERT_TRUE(at_hub);
  EXPECT_EQ(at_hub->getValue<std::string>("state"), "received");
  EXPECT_EQ(at_hub->getValue<std::string>("agency"), "H21.09");
  EXPECT_EQ(at_hub->getValue<std::string>("form"), "04");
  EXPECT_FALSE(at_hub->getValue<std::string>("due_date").empty());

  ASSERT_EQ(hub_.admin({"request", "accept", id}).exit_code, 0);
  ASSERT_EQ(hub_.admin({"request", "complete", id, "--reference", "123/SKHCN"}).exit_code, 0);
  EXPECT_EQ(findBy(inbox(), "id", id)->getValue<std::string>("state"), "completed");
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto at_agent = findBy(agent.ctlArray({"requests"}), "id", id);
  ASSERT_TRUE(at_agent);
  EXPECT_EQ(at_agent->getValue<std::string>("state"), "completed");
  EXPECT_EQ(at_agent->getValue<std::string>("due_date"), at_hub->getValue<std::string>("due_date"));
  EXPECT_TRUE(findBy(agent.ctlArray({"alerts"}), "kind", "request_completed"));
}

TEST_F(SyncEndToEndTest, ARejectionReachesTheAgencyWithItsReason) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);
  const auto filed = agent.ctl({"request", "recover", "--token", chairman_serial_, "--unusable"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id =
      filed.out.substr(filed.out.find_last_of('\n', filed.out.size() - 2) + 1, 36);
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto rejected =
      hub_.admin({"request", "reject", id, "--reason", "Thiếu biên bản xác nhận thiết bị bị hỏng"});
  ASSERT_EQ(rejected.exit_code, 0) << rejected.err;
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto at_agent = findBy(agent.ctlArray({"requests"}), "id", id);
  ASSERT_TRUE(at_agent);
  EXPECT_EQ(at_agent->getValue<std::string>("state"), "rejected");
  EXPECT_EQ(at_agent->getValue<std::string>("reason"), "Thiếu biên bản xác nhận thiết bị bị hỏng");
  const auto alert = findBy(agent.ctlArray({"alerts"}), "kind", "request_rejected");
  ASSERT_TRUE(alert);
  EXPECT_NE(alert->getValue<std::string>("message").find("Thiếu biên bản xác nhận"),
            std::string::npos);
}

// The province announces a merger (seed 004): the agents of the merged units learn it on their
// next sync, the officer is alerted, plans from the announcement and files the batch, which
// reaches the province's inbox.
TEST_F(SyncEndToEndTest, AMergerPublishedByTheProvinceBecomesTheAgencysBatch) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  ASSERT_EQ(enroll(agent).exit_code, 0);

  // A unit the hub does not know needs its name; H21.09's comes from the hub's directory.
  EXPECT_EQ(hub_.admin({"merger", "publish", "--into", "H21.20", "--name", "UBND xã Vạn Tường",
                        "--from", "H21.08,H21.09"})
                .exit_code,
            2);
  const auto published =
      hub_.admin({"merger", "publish", "--into", "H21.20", "--name", "UBND xã Vạn Tường", "--from",
                  "H21.08=UBND xã Bình Mỹ,H21.09", "--json"});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  const auto announcement = Poco::JSON::Parser().parse(published.out).extract<Object::Ptr>();
  EXPECT_EQ(announcement->getValue<int>("agents"), 1);
  EXPECT_EQ(
      announcement->getObject("merger")->getArray("from")->getObject(1)->getValue<std::string>(
          "name"),
      "UBND xã Bình Chương");

  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0) << readFile(agent.log());
  const auto alert = findBy(agent.ctlArray({"alerts"}), "kind", "merger_published");
  ASSERT_TRUE(alert);
  EXPECT_NE(alert->getValue<std::string>("message").find("UBND xã Bình Mỹ, UBND xã Bình Chương"),
            std::string::npos)
      << alert->getValue<std::string>("message");
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);  // nothing new: no second alert
  int merger_alerts = 0;
  const auto alerts = agent.ctlArray({"alerts", "--all"});
  for (size_t i = 0; i < alerts->size(); ++i) {
    merger_alerts +=
        alerts->getObject(unsigned(i))->getValue<std::string>("kind") == "merger_published";
  }
  EXPECT_EQ(merger_alerts, 1);

  const std::string plan = dir_.file("plan.json");
  const auto planned = agent.ctl({"merger", "plan", "-o", plan});
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  EXPECT_NE(planned.out.find("Sẽ lập 2 đề nghị thay đổi thông tin và 0 đề nghị thu hồi"),
            std::string::npos)
      << planned.out;
  const auto applied = agent.ctl({"merger", "apply", plan});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  ASSERT_EQ(agent.ctl({"sync"}).exit_code, 0);
  const auto inbox = hub_.admin({"requests", "--agency", "H21.09", "--json"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.err;
  const auto requests = parseArray(inbox.out);
  ASSERT_EQ(requests->size(), 2u);
  for (size_t i = 0; i < requests->size(); ++i) {
    const auto r = requests->getObject(unsigned(i));
    EXPECT_EQ(r->getValue<std::string>("kind"), "change_of_information");
    EXPECT_EQ(r->getValue<std::string>("state"), "received");
  }
}

}  // namespace
}  // namespace cks::test
