#include "pkcs11/probe_runner.h"

#include <gtest/gtest.h>

#include "core/certificate.h"
#include "core/time_format.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_modules.h"
#include "tests/support/test_pki.h"

namespace cks::pkcs11 {
namespace {

using namespace std::chrono_literals;
using test::buildPath;
using test::testModule;

ProbeRunner runner(std::chrono::milliseconds timeout = 10s) {
  return ProbeRunner({buildPath("bin/cks-p11probe"), timeout});
}

TEST(ProbeRunnerTest, ReadsTokensAndCertificatesOfARealModuleWithoutLogin) {
  test::TempDir dir;
  test::SoftHsm hsm(dir.path());
  const std::string serial = hsm.createToken("Văn thư");
  test::TestCa ca;
  const auto now = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 22));
  const auto der =
      ca.issue(test::organizationSpec("UBND XÃ BÌNH CHƯƠNG", now - 24h * 30, now + 24h * 700));
  hsm.writeCertificate("Văn thư", der, "CTS to chuc", "01");

  const auto report = runner().probe(test::SoftHsm::kModule, nullptr);
  ASSERT_EQ(report.outcome, ProbeOutcome::Ok) << report.detail;
  const ProbedToken* token = nullptr;
  for (const auto& t : report.tokens) {
    if (t.serial == serial) token = &t;
  }
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->label, "Văn thư");
  EXPECT_EQ(token->manufacturer, "SoftHSM project");
  EXPECT_FALSE(token->pin_flags.locked);
  ASSERT_EQ(token->certificates.size(), 1u);
  EXPECT_EQ(token->certificates[0].der, der);
  EXPECT_EQ(token->certificates[0].label, "CTS to chuc");
  EXPECT_EQ(token->certificates[0].id_hex, "01");
}

TEST(ProbeRunnerTest, KeepsTheBytesOfACertificateObjectThatIsNotACertificate) {
  test::TempDir dir;
  test::SoftHsm hsm(dir.path());
  hsm.createToken("Hỏng");
  const std::vector<std::uint8_t> garbage = {0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef};
  hsm.writeCertificate("Hỏng", garbage, "broken", "02");
  const auto report = runner().probe(test::SoftHsm::kModule, nullptr);
  ASSERT_EQ(report.outcome, ProbeOutcome::Ok) << report.detail;
  bool found = false;
  for (const auto& token : report.tokens) {
    for (const auto& cert : token.certificates) found |= cert.der == garbage;
  }
  EXPECT_TRUE(found);
}

TEST(ProbeRunnerTest, ReportsAModuleThatCrashesWithItsSignal) {
  const auto report = runner().probe(testModule("crash"), nullptr);
  EXPECT_EQ(report.outcome, ProbeOutcome::Failed);
  // SIGSEGV, or SIGABRT when the probe itself runs under AddressSanitizer.
  EXPECT_NE(report.detail.find("terminated by signal"), std::string::npos) << report.detail;
  EXPECT_EQ(report.module, testModule("crash"));
}

TEST(ProbeRunnerTest, KillsAModuleThatHangsAfterTheTimeout) {
  const auto started = std::chrono::steady_clock::now();
  const auto report = runner(1500ms).probe(testModule("hang"), nullptr);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(report.outcome, ProbeOutcome::Timeout);
  EXPECT_NE(report.detail.find("1.5 s"), std::string::npos) << report.detail;
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 4s);
}

TEST(ProbeRunnerTest, ReportsAMissingModuleFile) {
  const auto report = runner().probe("/nonexistent/libvendor-pkcs11.so", nullptr);
  EXPECT_EQ(report.outcome, ProbeOutcome::Failed);
  EXPECT_NE(report.detail.find("cannot load module"), std::string::npos) << report.detail;
}

TEST(ProbeRunnerTest, ReportsAProbeThatAnswersGarbage) {
  const ProbeRunner echo({"/bin/echo", 5s});
  const auto report = echo.probe("not json", nullptr);
  EXPECT_EQ(report.outcome, ProbeOutcome::Failed);
  EXPECT_NE(report.detail.find("unreadable answer"), std::string::npos) << report.detail;
}

TEST(ProbeRunnerTest, ReportsAProbeProgramThatCannotStart) {
  const ProbeRunner missing({"/nonexistent/cks-p11probe", 5s});
  const auto report = missing.probe(test::SoftHsm::kModule, nullptr);
  EXPECT_EQ(report.outcome, ProbeOutcome::Failed);
  EXPECT_NE(report.detail.find("/nonexistent/cks-p11probe"), std::string::npos) << report.detail;
}

TEST(ProbeRunnerTest, CancellationEndsAHangingProbeEarly) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    cancel = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const auto report = runner(30s).probe(testModule("hang"), &cancel);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(report.outcome, ProbeOutcome::Failed);
  EXPECT_NE(report.detail.find("cancelled"), std::string::npos);
}

TEST(ProbeReportTest, SurvivesTheJsonRoundTrip) {
  ProbeReport report;
  report.module = "/usr/lib/vendor.so";
  report.outcome = ProbeOutcome::Ok;
  report.slot_count = 2;
  ProbedToken token;
  token.slot_id = 7;
  token.serial = "0123ABC";
  token.label = "Chủ tịch UBND";
  token.pin_flags.final_try = true;
  token.certificates.push_back({"nhãn", "0aff", {0x30, 0x00, 0xff}});
  report.tokens.push_back(token);
  const auto back = probeReportFromJson(toJson(report));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->module, report.module);
  EXPECT_EQ(back->slot_count, 2u);
  ASSERT_EQ(back->tokens.size(), 1u);
  EXPECT_EQ(back->tokens[0].label, "Chủ tịch UBND");
  EXPECT_EQ(back->tokens[0].slot_id, 7u);
  EXPECT_TRUE(back->tokens[0].pin_flags.final_try);
  EXPECT_FALSE(back->tokens[0].pin_flags.locked);
  ASSERT_EQ(back->tokens[0].certificates.size(), 1u);
  EXPECT_EQ(back->tokens[0].certificates[0].der, (std::vector<std::uint8_t>{0x30, 0x00, 0xff}));
  EXPECT_EQ(back->tokens[0].certificates[0].label, "nhãn");
}

TEST(ProbeReportTest, RejectsMalformedJsonWithAReason) {
  EXPECT_FALSE(probeReportFromJson("{\"module\": 3"));
  const auto wrong = probeReportFromJson(R"({"module":"m","outcome":"maybe","detail":""})");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("outcome"), std::string::npos);
}

}  // namespace
}  // namespace cks::pkcs11
