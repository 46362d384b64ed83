// A merger end to end with the real binaries (seed 004, docs/requests.md "Merger batches"):
// SoftHSM tokens of two communes that merge and keep one name, the plan made by `cksctl merger
// plan` from what cks-agent scanned, reviewed in its file, filed whole by `cksctl merger apply`
// with its forms (Mẫu 04 and 05); a second apply, a tampered plan and an item for a
// certificate this agency does not hold are refused with nothing queued.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
using Poco::JSON::Array;
using Poco::JSON::Object;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string stringify(const Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out, 2);
  return out.str();
}

class AgentMergerTest : public ::testing::Test {
 protected:
  AgentMergerTest() : hsm_(dir_.path()) {}

  // A token labelled `label` with one certificate of `spec`; returns the fingerprint.
  std::string token(const std::string& label, const CertSpec& spec) {
    hsm_.createToken(label);
    const auto der = ca_.issue(spec);
    hsm_.writeCertificate(label, der, "CTS", "01");
    return sha256Hex(der);
  }

  CertSpec person(const std::string& name, const std::string& unit) {
    CertSpec spec = individualSpec(name, now() - 24h * 300, now() + 24h * 700);
    for (auto& [attribute, value] : spec.subject) {
      if (attribute == "OU" && value == "UBND xã Bình Chương") value = unit;
    }
    return spec;
  }

  CertSpec organization(const std::string& name) {
    return organizationSpec(name, now() - 24h * 300, now() + 24h * 700);
  }

  static int requestEntries(AgentUnderTest& agent) {
    auto inventory = store::Inventory::open(agent.store());
    if (!inventory) throw std::runtime_error(inventory.error().message);
    store::Outbox outbox(**inventory);
    int count = 0;
    for (const char* lane : {"normal", "urgent"}) {
      const auto rows = outbox.pending(lane, 10000);
      if (!rows) throw std::runtime_error(rows.error().message);
      for (const auto& row : *rows) count += row.kind == "request_filed" ? 1 : 0;
    }
    return count;
  }

  TempDir dir_;
  SoftHsm hsm_;
  TestCa ca_;
};

// Seed 004 II.1(a): "các xã Bình Mỹ, Bình Chương sau sáp nhập giữ lại tên xã Bình Chương thì
// duy trì chữ ký số của xã Bình Chương để sử dụng và thu hồi chữ ký số của xã Bình Mỹ", and
// II.2: the personal certificates change to the new unit.
TEST_F(AgentMergerTest, TwoCommunesKeepingOneNameBecomeOneReviewedBatch) {
  const auto binh_my = token("Văn thư Bình Mỹ", organization("UBND XÃ BÌNH MỸ"));
  const auto binh_chuong = token("Văn thư Bình Chương", organization("UBND XÃ BÌNH CHƯƠNG"));
  const auto hy = token("Đặng Bảo Hy", person("Đặng Bảo Hy", "UBND xã Bình Mỹ"));
  const auto dinh = token("Vy Tú Đình", person("Vy Tú Đình", "UBND xã Bình Chương"));
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();

  const std::string plan_file = dir_.file("ke-hoach.json");
  const auto planned = agent.ctl(
      {"merger", "plan", "--into", "H21.09.20", "--name", "UBND xã Bình Chương", "--from",
       "H21.09.01=UBND xã Bình Mỹ,H21.09.02=UBND xã Bình Chương", "-o", plan_file, "--wide"});
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  for (const char* expected :
       {"Kế hoạch chứng thư số khi sáp nhập UBND xã Bình Mỹ (H21.09.01), UBND xã Bình Chương "
        "(H21.09.02) thành UBND xã Bình Chương (H21.09.20)",
        "Thu hồi", "Thay đổi thông tin", "Giữ nguyên", "Đặng Bảo Hy",
        "Sẽ lập 1 đề nghị thay đổi thông tin và 1 đề nghị thu hồi; 2 chứng thư số giữ nguyên",
        "cksctl merger apply"}) {
    EXPECT_NE(planned.out.find(expected), std::string::npos) << expected << "\n" << planned.out;
  }
  EXPECT_EQ(requestEntries(agent), 0);  // planning files nothing

  const auto plan = Poco::JSON::Parser().parse(readFile(plan_file)).extract<Object::Ptr>();
  EXPECT_EQ(plan->getValue<std::string>("surviving_unit"), "H21.09.02");
  std::map<std::string, std::string> actions;
  const auto items = plan->getArray("items");
  for (size_t i = 0; i < items->size(); ++i) {
    const auto item = items->getObject(unsigned(i));
    actions[item->getObject("certificate")->getValue<std::string>("fingerprint_sha256")] =
        item->getValue<std::string>("action");
  }
  EXPECT_EQ(actions,
            (std::map<std::string, std::string>{
                {binh_my, "revoke"}, {binh_chuong, "keep"}, {hy, "change"}, {dinh, "keep"}}));

  const std::string forms = dir_.file("mau");
  const auto applied = agent.ctl({"merger", "apply", plan_file, "--forms", forms});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Đã lập 2 đề nghị cho việc sáp nhập thành UBND xã Bình Chương"),
            std::string::npos)
      << applied.out;
  const auto requests = agent.ctlArray({"requests"});
  ASSERT_EQ(requests->size(), 2u);
  std::map<std::string, std::string> filed;
  for (size_t i = 0; i < requests->size(); ++i) {
    const auto r = requests->getObject(unsigned(i));
    EXPECT_EQ(r->getValue<std::string>("state"), "queued");
    EXPECT_NE(applied.out.find(r->getValue<std::string>("id")), std::string::npos);
    filed[r->getValue<std::string>("fingerprint_sha256")] =
        r->getValue<std::string>("kind") + "/" + r->getValue<std::string>("form");
  }
  EXPECT_EQ(filed, (std::map<std::string, std::string>{{binh_my, "revocation/05"},
                                                       {hy, "change_of_information/04"}}));
  EXPECT_EQ(requestEntries(agent), 2);

  // The two letters of seed 004: the change list to the Sở, the revocation list to the Cục.
  const auto change_form =
      runCommand({"pdftotext", "-layout", forms + "/sap-nhap-H21.09.20-mau-04.pdf", "-"});
  ASSERT_EQ(change_form.exit_code, 0) << change_form.err;
  EXPECT_NE(change_form.out.find("Mẫu số 04"), std::string::npos) << change_form.out;
  EXPECT_NE(change_form.out.find("Đặng Bảo Hy"), std::string::npos) << change_form.out;
  const auto revocation_form =
      runCommand({"pdftotext", "-layout", forms + "/sap-nhap-H21.09.20-mau-05.pdf", "-"});
  ASSERT_EQ(revocation_form.exit_code, 0) << revocation_form.err;
  EXPECT_NE(revocation_form.out.find("Mẫu số 05"), std::string::npos) << revocation_form.out;
  EXPECT_NE(revocation_form.out.find("UBND XÃ BÌNH MỸ"), std::string::npos) << revocation_form.out;

  // Applying the same plan again would file everything twice: refused whole, nothing added.
  const auto again = agent.ctl({"merger", "apply", plan_file});
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_NE(again.err.find("Chưa lập đề nghị nào"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("Mục"), std::string::npos) << again.err;
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 2u);
  EXPECT_EQ(requestEntries(agent), 2);
}

TEST_F(AgentMergerTest, AReviewedPlanFilesOnlyWhatIsIncludedAndRefusesForeignCertificates) {
  token("Văn thư Bình Mỹ", organization("UBND XÃ BÌNH MỸ"));
  token("Văn thư Bình Chương", organization("UBND XÃ BÌNH CHƯƠNG"));
  const auto hy = token("Đặng Bảo Hy", person("Đặng Bảo Hy", "UBND xã Bình Mỹ"));
  AgentUnderTest agent(dir_.path(), "agent", {.modules = {SoftHsm::kModule}});
  agent.start();
  const std::string plan_file = dir_.file("plan.json");
  ASSERT_EQ(
      agent
          .ctl({"merger", "plan", "--into", "H21.09.20", "--name", "UBND xã Bình Chương", "--from",
                "H21.09.01=UBND xã Bình Mỹ,H21.09.02=UBND xã Bình Chương", "-o", plan_file})
          .exit_code,
      0);
  const auto plan = Poco::JSON::Parser().parse(readFile(plan_file)).extract<Object::Ptr>();
  const auto items = plan->getArray("items");

  // A certificate another agency holds, slipped into the file: the whole batch is refused.
  const auto foreign = sha256Hex(ca_.issue(person("Phạm Thị Dung", "UBND xã Bình Mỹ")));
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(unsigned(i));
    if (item->getValue<std::string>("action") == "change") {
      item->getObject("request")->set("cert", foreign);
    }
  }
  writeFile(dir_.file("tampered.json"), stringify(plan));
  const auto tampered = agent.ctl({"merger", "apply", dir_.file("tampered.json")});
  EXPECT_EQ(tampered.exit_code, 2) << tampered.out;
  EXPECT_NE(tampered.err.find("Không có chứng thư số"), std::string::npos) << tampered.err;
  EXPECT_EQ(agent.ctlArray({"requests"})->size(), 0u);
  EXPECT_EQ(requestEntries(agent), 0);

  // The reviewer keeps only the change for Đặng Bảo Hy.
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(unsigned(i));
    if (item->getValue<std::string>("action") == "change") {
      item->getObject("request")->set("cert", hy);
    } else {
      item->set("include", false);
    }
  }
  writeFile(dir_.file("reviewed.json"), stringify(plan));
  const auto applied = agent.ctl({"merger", "apply", dir_.file("reviewed.json")});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const auto requests = agent.ctlArray({"requests"});
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ(requests->getObject(0)->getValue<std::string>("fingerprint_sha256"), hy);
  EXPECT_EQ(requests->getObject(0)->getObject("fields")->getValue<std::string>("agency"),
            "UBND xã Bình Chương");

  // Not a plan, or no file at all: usage errors naming the file.
  writeFile(dir_.file("broken.json"), "{\"plan\": 1, \"items\": [");
  const auto broken = agent.ctl({"merger", "apply", dir_.file("broken.json")});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("broken.json"), std::string::npos) << broken.err;
  EXPECT_EQ(agent.ctl({"merger", "apply", dir_.file("none.json")}).exit_code, 2);

  // A plan that cannot be made says why, in the officer's language.
  const auto unnamed = agent.ctl({"merger", "plan", "--into", "H21.09.20", "--name",
                                  "UBND xã Bình Chương", "--from", "H21.09.07", "--lang", "en"});
  EXPECT_EQ(unnamed.exit_code, 2);
  EXPECT_NE(unnamed.err.find("The name of unit H21.09.07 is not known"), std::string::npos)
      << unnamed.err;
  // No published merger to plan from.
  EXPECT_EQ(agent.ctl({"merger", "plan"}).exit_code, 1);
}

}  // namespace
}  // namespace cks::test
