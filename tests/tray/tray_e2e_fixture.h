// The agency PC of the tray's end-to-end tests: a real cks-agent scanning a SoftHSM token that
// holds the certificate of "Nguyễn Văn A" (UBND xã Bình Chương) expiring in 20 days, so the
// agent raises a certificate_expiring alert (30-day threshold, warning). Half a day more than 20
// days, so "20 ngày" in its text does not turn into 19 while the test runs. Artefacts (screenshots,
// logs) are kept under BUILD_DIR/test-artifacts/tray/.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/agent_under_test.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"
#include "tray/core/alert_feed.h"
#include "tray/core/tray_config.h"
#include "tray/linux/posix_http_connection.h"

namespace cks::test {

class TrayE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    using namespace std::chrono_literals;
    hsm_ = std::make_unique<SoftHsm>(dir_.path());
    hsm_->createToken("Chủ tịch xã");
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    hsm_->writeCertificate(
        "Chủ tịch xã",
        ca_.issue(individualSpec("Nguyễn Văn A", now - 24h * 345, now + 24h * 20 + 12h)),
        "CTS ca nhan", "01");
    agent_ = std::make_unique<AgentUnderTest>(dir_.path().string(), "agent",
                                              AgentSetup{.modules = {SoftHsm::kModule}});
    agent_->start();
    auto config = tray::loadTrayConfig(agent_->config());
    ASSERT_TRUE(config) << config.error().message;
    auto secret = tray::readApiSecret(config->secret_file);
    ASSERT_TRUE(secret) << secret.error().message;
    api_ = std::make_unique<tray::PosixHttpConnection>(config->port, *secret);

    // The agent raises the alert after its first scan.
    std::string last;
    const bool raised = eventually(
        [&] {
          auto answer = api_->get("/v1/alerts?lang=vi", 5s);
          if (!answer) return false;
          last = std::to_string(answer->status) + " " + answer->body;
          auto alerts = tray::parseAlertList(answer->body);
          if (answer->status != 200 || !alerts) return false;
          for (const auto& alert : *alerts) {
            if (alert.kind == "certificate_expiring") {
              alert_ = alert;
              return true;
            }
          }
          return false;
        },
        15s);
    ASSERT_TRUE(raised) << "no certificate_expiring alert from the agent; last answer: " << last
                        << "\n"
                        << readFile(agent_->log());
    ASSERT_NE(alert_.message.find("Nguyễn Văn A"), std::string::npos) << alert_.message;

    artefacts_ = buildPath("test-artifacts/tray");
    std::filesystem::create_directories(artefacts_);
  }

  // "Z:\tmp\…" for a path of this machine, as wine's programs see it.
  static std::string windowsPath(const std::string& path) {
    std::string out = "Z:" + path;
    for (auto& c : out) c = c == '/' ? '\\' : c;
    return out;
  }

  TempDir dir_;
  TestCa ca_;
  std::unique_ptr<SoftHsm> hsm_;
  std::unique_ptr<AgentUnderTest> agent_;
  std::unique_ptr<tray::PosixHttpConnection> api_;
  tray::TrayAlert alert_;
  std::string artefacts_;
};

}  // namespace cks::test
