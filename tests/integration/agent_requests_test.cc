// Requests end to end with the real binaries (docs/requests.md, issue 5): SoftHSM tokens
// scanned by cks-agent, requests filed with cksctl as the IT officer does, offline (no hub):
// refusals in Vietnamese with exit 2 and nothing queued, the id alone on the last line, the
// `requests --json` contract, a revocation superseding the pending renewal, cancellation.
// Also measures filing (bench/README.md, "Filing a request").
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <iostream>

#include "agent/agent_config.h"
#include "agent/api_secret.h"
#include "agent/local_api_client.h"
#include "core/certificate.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The last non-empty line of `text`.
std::string lastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

bool isUuid(const std::string& text) {
  return text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' &&
         text[23] == '-' && text.find_first_not_of("0123456789abcdef-") == std::string::npos;
}

class AgentRequestsTest : public ::testing::Test {
 protected:
  AgentRequestsTest() : hsm_(dir_.path()) {}

  // A token labelled `label` holding an individual certificate with `days` days (to noon, Vietnam
  // time) left; returns its fingerprint.
  std::string tokenWithCertificate(const std::string& label, const std::string& holder, int days) {
    serials_[label] = hsm_.createToken(label);
    const auto der =
        ca_.issue(individualSpec(holder, now() - 24h * 400, vietnamNoonIn(days, now())));
    hsm_.writeCertificate(label, der, "CTS ca nhan", "01");
    return sha256Hex(der);
  }

  std::pair<int, std::string> api(AgentUnderTest& agent, const std::string& method,
                                  const std::string& path, const std::string& body = "") {
    auto config = agent::loadAgentConfig(agent.config(), agent::FileChecks::Skip);
    auto secret = agent::readApiSecret(config->api_secret_file);
    const agent::LocalApiClient client(config->api_port, *secret);
    auto answer = client.request(method, path, 10s, body);
    if (!answer) throw std::runtime_error(answer.error().message);
    return {answer->http_status, answer->body};
  }

  // Outbox entries about requests, read from the agent's store file as the sync client would.
  static int requestEntries(AgentUnderTest& agent) {
    auto inventory = store::Inventory::open(agent.store());
    if (!inventory) throw std::runtime_error(inventory.error().message);
    store::Outbox outbox(**inventory);
    int count = 0;
    for (const char* lane : {"normal", "urgent"}) {
      const auto rows = outbox.pending(lane, 10000);
      if (!rows) throw std::runtime_error(rows.error().message);
      for (const auto& row : *rows) {
        count += row.kind.rfind("request_", 0) == 0 ? 1 : 0;
      }
    }
    return count;
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
  std::map<std::string, std::string> serials_;
};

TEST_F(AgentRequestsTest, ARenewalTooCloseToExpiryIsRefusedInVietnameseAndNothingIsQueued) {
  const auto fingerprint = tokenWithCertificate("Chủ tịch", "Nguyễn Văn An", 40);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();

  const auto refused = agent.ctl({"request", "renew", "--cert", fingerprint});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("Không lập được đề nghị"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("chỉ còn 40 ngày hiệu lực"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 0u);
  EXPECT_EQ(requestEntries(agent), 0);

  const auto english = agent.ctl({"request", "renew", "--cert", fingerprint, "--lang", "en"});
  EXPECT_EQ(english.exit_code, 2);
  EXPECT_NE(english.err.find("has only 40 days left"), std::string::npos) << english.err;
}

TEST_F(AgentRequestsTest, ARenewalIsQueuedOfflineAndARevocationSupersedesIt) {
  const auto fingerprint = tokenWithCertificate("Chủ tịch", "Nguyễn Văn An", 200);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();

  // A unique prefix of the fingerprint is enough.
  const auto filed = agent.ctl({"request", "renew", "--cert", fingerprint.substr(0, 12)});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id = lastLine(filed.out);
  EXPECT_TRUE(isUuid(id)) << filed.out;
  EXPECT_NE(filed.out.find("Gia hạn chứng thư số"), std::string::npos) << filed.out;

  const auto requests = agent.ctlArray({"requests"});
  ASSERT_EQ(requests->size(), 1u);
  const auto renewal = requests->getObject(0);
  for (const char* key : {"id", "kind", "state", "form", "fingerprint_sha256", "token_serial",
                          "created_at", "due_date", "handled_by", "reason"}) {
    EXPECT_TRUE(renewal->has(key)) << key;
  }
  EXPECT_EQ(renewal->getValue<std::string>("id"), id);
  EXPECT_EQ(renewal->getValue<std::string>("kind"), "renewal");
  EXPECT_EQ(renewal->getValue<std::string>("state"), "queued");
  EXPECT_EQ(renewal->getValue<std::string>("form"), "04");
  EXPECT_EQ(renewal->getValue<std::string>("fingerprint_sha256"), fingerprint);
  EXPECT_EQ(renewal->getValue<std::string>("token_serial"), serials_["Chủ tịch"]);
  EXPECT_FALSE(renewal->getValue<std::string>("created_at").empty());
  EXPECT_TRUE(renewal->isNull("due_date"));  // the province sets it on receipt
  EXPECT_EQ(renewal->getValue<std::string>("handled_by"), "province");
  EXPECT_TRUE(renewal->isNull("reason"));
  EXPECT_EQ(requestEntries(agent), 1);

  // The same renewal twice is refused.
  const auto twice = agent.ctl({"request", "renew", "--cert", fingerprint});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find(id), std::string::npos) << twice.err;

  const auto revoked =
      agent.ctl({"request", "revoke", "--cert", fingerprint, "--reason", "device_lost"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const std::string revocation_id = lastLine(revoked.out);
  EXPECT_TRUE(isUuid(revocation_id)) << revoked.out;
  EXPECT_NE(revoked.out.find(id), std::string::npos) << revoked.out;  // "superseded" line

  const auto superseded = agent.ctlObject({"request", "show", id});
  EXPECT_EQ(superseded->getValue<std::string>("state"), "cancelled");
  EXPECT_NE(superseded->getValue<std::string>("reason").find(revocation_id), std::string::npos);
  EXPECT_EQ(superseded->getArray("history")->size(), 2u);
  const auto revocation = agent.ctlObject({"request", "show", revocation_id.substr(0, 8)});
  EXPECT_EQ(revocation->getValue<std::string>("form"), "05");
  EXPECT_EQ(revocation->getValue<std::string>("reason"), "device_lost");
  EXPECT_EQ(revocation->getValue<std::string>("handled_by"), "provider");

  // The officer's view, in Vietnamese.
  const auto text = agent.ctl({"requests", "--wide"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Thu hồi chứng thư số"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Đã hủy"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Chờ gửi"), std::string::npos) << text.out;
  const auto shown = agent.ctl({"request", "show", revocation_id});
  EXPECT_NE(shown.out.find("Mất thiết bị lưu khóa bí mật"), std::string::npos) << shown.out;

  // Requests survive a restart.
  ASSERT_EQ(agent.stop(), 0);
  agent.start();
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 2u);
}

TEST_F(AgentRequestsTest, CancelWorksOnceAndUnknownIdsAreNamed) {
  const auto fingerprint = tokenWithCertificate("Văn thư", "Trần Thị Bình", 300);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto filed = agent.ctl({"request", "renew", "--cert", fingerprint});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id = lastLine(filed.out);

  const auto cancelled = agent.ctl({"request", "cancel", id});
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_NE(cancelled.out.find("Đã hủy đề nghị " + id), std::string::npos) << cancelled.out;
  EXPECT_EQ(agent.ctlObject({"request", "show", id})->getValue<std::string>("state"), "cancelled");
  const auto again = agent.ctl({"request", "cancel", id});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("Không hủy được"), std::string::npos) << again.err;

  const auto unknown = agent.ctl({"request", "show", "0123456789abcdef"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("0123456789abcdef"), std::string::npos) << unknown.err;
  EXPECT_EQ(agent.ctl({"request"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"request", "explode"}).exit_code, 2);
  EXPECT_EQ(agent.ctl({"request", "renew", "--set", "novalue"}).exit_code, 2);
  // A new renewal after the cancellation is accepted.
  EXPECT_EQ(agent.ctl({"request", "renew", "--cert", fingerprint}).exit_code, 0);
}

TEST_F(AgentRequestsTest, RecoveryIsRefusedForATokenThatIsNotLocked) {
  tokenWithCertificate("Chủ tịch", "Nguyễn Văn An", 200);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string serial = serials_["Chủ tịch"];

  const auto refused = agent.ctl({"request", "recover", "--token", serial});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.err.find("Token " + serial + " không bị khóa"), std::string::npos)
      << refused.err;
  const auto unknown = agent.ctl({"request", "recover", "--token", "FFFF0000"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("FFFF0000"), std::string::npos) << unknown.err;
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 0u);

  // The officer reports it broken: accepted, on form 06, in the urgent lane.
  const auto broken = agent.ctl({"request", "recover", "--token", serial, "--unusable"});
  ASSERT_EQ(broken.exit_code, 0) << broken.err;
  const auto request = agent.ctlObject({"request", "show", lastLine(broken.out)});
  EXPECT_EQ(request->getValue<std::string>("form"), "06");
  EXPECT_EQ(request->getValue<std::string>("token_serial"), serial);
}

TEST_F(AgentRequestsTest, ANewCertificateNamesEveryMissingField) {
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto refused =
      agent.ctl({"request", "new", "--kind", "individual", "--set", "full_name=Lê Văn Cường"});
  EXPECT_EQ(refused.exit_code, 2);
  for (const char* field : {"id_number", "position", "email", "phone"}) {
    EXPECT_NE(refused.err.find(std::string("--set ") + field + "=…"), std::string::npos)
        << field << ": " << refused.err;
  }
  EXPECT_EQ(refused.err.find("--set full_name"), std::string::npos) << refused.err;

  const auto filed = agent.ctl(
      {"request", "new", "--kind", "individual", "--set", "full_name=Lê Văn Cường", "--set",
       "id_number=051090001234", "--set", "position=Công chức Văn phòng - Thống kê", "--set",
       "email=lvcuong@binhchuong.quangngai.gov.vn", "--set", "phone=0905 123 456"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const auto request = agent.ctlObject({"request", "show", lastLine(filed.out)});
  EXPECT_EQ(request->getValue<std::string>("form"), "01");
  EXPECT_EQ(request->getObject("fields")->getValue<std::string>("id_number"), "051090001234");
  EXPECT_EQ(request->getValue<std::string>("handled_by"), "provider");
}

TEST_F(AgentRequestsTest, AnUnknownOrAnotherAgencysCertificateIsRefused) {
  tokenWithCertificate("Chủ tịch", "Nguyễn Văn An", 200);
  // Another agency's certificate: never on this agent's tokens.
  const auto elsewhere =
      sha256Hex(ca_.issue(individualSpec("Phạm Thị Dung", now() - 24h * 10, now() + 24h * 300)));
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"request", "renew", "--cert", elsewhere},
           {"request", "revoke", "--cert", elsewhere, "--reason", "holder_left"},
           {"request", "renew", "--cert", "deadbeef00"}}) {
    const auto refused = agent.ctl(command);
    EXPECT_EQ(refused.exit_code, 2) << refused.out;
    EXPECT_NE(refused.err.find("Không có chứng thư số"), std::string::npos) << refused.err;
  }
  const auto missing = agent.ctl({"request", "renew"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--cert"), std::string::npos) << missing.err;
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 0u);
  EXPECT_EQ(requestEntries(agent), 0);
}

// Filing offline must answer within 50 ms (issue 5, "Numbers"): cksctl end to end, and the
// API call alone. Prints the medians for bench/README.md; asserts a bound loose enough for
// sanitizer builds.
TEST_F(AgentRequestsTest, FilingARequestOfflineIsFast) {
  const auto fingerprint = tokenWithCertificate("Chủ tịch", "Nguyễn Văn An", 200);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto median = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  std::vector<double> cli, call;
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const auto filed = agent.ctl({"request", "renew", "--cert", fingerprint});
    cli.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    ASSERT_EQ(filed.exit_code, 0) << filed.err;
    ASSERT_EQ(agent.ctl({"request", "cancel", lastLine(filed.out)}).exit_code, 0);
  }
  const std::string body = "{\"kind\":\"renewal\",\"cert\":\"" + fingerprint + "\"}";
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const auto [status, answer] = api(agent, "POST", "/v1/requests", body);
    call.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    ASSERT_EQ(status, 201) << answer;
    const auto id =
        Poco::JSON::Parser().parse(answer).extract<Object::Ptr>()->getValue<std::string>("id");
    ASSERT_EQ(api(agent, "POST", "/v1/requests/" + id + "/cancel").first, 200);
  }
  std::cout << "filing a request offline: cksctl median " << median(cli) << " ms, API median "
            << median(call) << " ms (20 each)\n";
  EXPECT_LT(median(call), 500.0);
  EXPECT_LT(median(cli), 1000.0);
}

TEST_F(AgentRequestsTest, TheOfficerPrintsTheOfficialFormOfARenewal) {
  const auto fingerprint = tokenWithCertificate("Chủ tịch", "Nguyễn Thị Ánh Tuyết", 200);
  // The province set in agent.ini (no hub yet): the heading, the date line and the addressee
  // follow from it (issue 12, point 4); the deprecated [forms] signer is still read.
  AgentUnderTest agent(dir_.path(), "agent",
                       {.modules = {SoftHsm::kModule},
                        .extra = "[agency]\nprovince = thành phố Đà Nẵng\nname = UBND phường Hải "
                                 "Châu\ncode = H48.10.02\n[forms]\nsigner = Trần Văn Bảy\n"});
  agent.start();
  const auto filed = agent.ctl({"request", "renew", "--cert", fingerprint});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string id = lastLine(filed.out);

  const std::string pdf = dir_.file("mau-04.pdf");
  const auto written = agent.ctl({"request", "form", id, "-o", pdf});
  ASSERT_EQ(written.exit_code, 0) << written.out << written.err;
  EXPECT_NE(written.out.find(pdf), std::string::npos) << written.out;
  const auto text = runCommand({"pdftotext", "-layout", pdf, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* expected :
       {"Mẫu số 04", "ĐỀ NGHỊ GIA HẠN", "Nguyễn Thị Ánh Tuyết", "THỦ TRƯỞNG CƠ QUAN",
        "Trần Văn Bảy", "UBND THÀNH PHỐ ĐÀ NẴNG", "UBND PHƯỜNG HẢI CHÂU", "Đà Nẵng, ngày",
        "Kính gửi: Sở Khoa học và Công nghệ thành phố Đà Nẵng"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
  EXPECT_EQ(text.out.find("Quảng Ngãi"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("QUẢNG NGÃI"), std::string::npos) << text.out;
  EXPECT_EQ(written.err.find("Cảnh báo"), std::string::npos) << written.err;  // nothing unknown

  // Without -o, or with a request the agent does not know: a clear refusal, no file.
  EXPECT_EQ(agent.ctl({"request", "form", id}).exit_code, 2);
  const auto unknown =
      agent.ctl({"request", "form", "00000000-0000-4000-8000-000000000000", "-o", pdf + "x"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(pdf + "x"));
}

// Issue 12, point 4: before enrolment and with nothing in agent.ini the form names no province
// (it used to print Quảng Ngãi for everyone): it says which field is not known and how to set
// it, and cksctl warns naming the field.
TEST_F(AgentRequestsTest, BeforeEnrolmentTheFormSaysWhatIsNotKnownInsteadOfGuessingAProvince) {
  const auto fingerprint = tokenWithCertificate("Chủ tịch", "Nguyễn Thị Ánh Tuyết", 200);
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const auto filed = agent.ctl({"request", "renew", "--cert", fingerprint});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  const std::string pdf = dir_.file("mau-04.pdf");
  const auto written = agent.ctl({"request", "form", lastLine(filed.out), "-o", pdf});
  ASSERT_EQ(written.exit_code, 0) << written.out << written.err;
  auto text = runCommand({"pdftotext", "-raw", pdf, "-"}).out;
  std::replace(text.begin(), text.end(), '\n', ' ');
  EXPECT_NE(text.find("(chưa rõ tỉnh/thành phố — đặt [agency] province trong agent.ini hoặc đăng "
                      "ký với Sở), ngày"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Kính gửi: (chưa rõ Sở Khoa học và Công nghệ"), std::string::npos) << text;
  EXPECT_EQ(text.find("Quảng Ngãi"), std::string::npos) << text;
  EXPECT_EQ(text.find("QUẢNG NGÃI"), std::string::npos) << text;
  EXPECT_NE(written.err.find("Cảnh báo: chưa rõ"), std::string::npos) << written.err;
  EXPECT_NE(written.err.find("tỉnh/thành phố"), std::string::npos) << written.err;
  EXPECT_NE(written.err.find("tên cơ quan"), std::string::npos) << written.err;
  // The agent's status says the same, for any other reader.
  const auto agency = agent.ctlObject({"status"})->getObject("agency");
  ASSERT_TRUE(agency);
  EXPECT_EQ(agency->getValue<std::string>("province"), "");
  EXPECT_EQ(agency->getArray("missing")->size(), 6u);
}

}  // namespace
}  // namespace cks::test
