// E-mail digests against a real SMTP server (Debian's python3-aiosmtpd, tests/support/
// smtp_server.py) with STARTTLS or implicit TLS and AUTH, fed by a real agent store: one digest
// per recipient a day with the expected Vietnamese text (decoded with Python's email module),
// no storm, a wrong password that holds the mail back without losing it, and TLS that refuses
// what it should.
#include "agent/alert_mail.h"

#include <sys/stat.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

#include "core/alert_rules.h"
#include "core/time_format.h"
#include "store/alerts.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "tests/support/agent_under_test.h"
#include "tests/support/process.h"
#include "tests/support/softhsm.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"
#include "tests/sync/tls_fixtures.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr char kPython[] = "/usr/bin/python3";  // Debian's, where python3-aiosmtpd lives
constexpr char kUser[] = "cks-binhchuong";
constexpr char kPassword[] = "Mật-khẩu-đúng-2026";
constexpr auto kVietnam = std::chrono::seconds(7h);

TimePoint at(const char* iso) { return *parseIsoUtc(iso); }

// One message as the server received and decoded it.
struct Received {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  bool authenticated = false;
  bool tls = false;
  std::string from, to, subject, content_type, charset, body, raw;
};

// tests/support/smtp_server.py on 127.0.0.1, stopped in the destructor.
class SmtpServer {
 public:
  struct Options {
    std::string security = "starttls";
    std::string cert_file = sync::test::TlsFiles::get().server_cert;
    std::string key_file = sync::test::TlsFiles::get().server_key;
  };

  SmtpServer(const test::TempDir& dir, const std::string& name, Options options)
      : out_(dir.file(name)), log_(dir.file(name + ".log")), port_(test::freePort()) {
    std::vector<std::string> argv = {kPython,  script(), "--port",     std::to_string(port_),
                                     "--out",  out_,     "--security", options.security,
                                     "--user", kUser,    "--password", kPassword};
    if (options.security != "none") {
      argv.insert(argv.end(), {"--cert", options.cert_file, "--key", options.key_file});
    }
    process_ = std::make_unique<test::BackgroundProcess>(argv, log_);
    const bool ready = test::eventually(
        [&] { return test::readFile(log_).find("ready") != std::string::npos; }, 10s);
    if (!ready) {
      throw std::runtime_error(
          "smtp_server.py did not start (is python3-aiosmtpd installed? "
          "scripts/bootstrap.sh): " +
          test::readFile(log_));
    }
  }
  ~SmtpServer() { process_->terminate(3s); }

  [[nodiscard]] int port() const { return port_; }

  // Every message received so far, in order.
  [[nodiscard]] std::vector<Received> messages() const {
    std::vector<std::string> files;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(out_, ignored)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<Received> received;
    for (const auto& file : files) {
      Poco::JSON::Parser parser;
      const auto object = parser.parse(test::readFile(file)).extract<Poco::JSON::Object::Ptr>();
      Received r;
      r.mail_from = object->getValue<std::string>("mail_from");
      const auto rcpts = object->getArray("rcpt_tos");
      for (size_t i = 0; i < rcpts->size(); ++i)
        r.rcpt_tos.push_back(rcpts->getElement<std::string>(i));
      r.authenticated = object->getValue<bool>("authenticated");
      r.tls = object->getValue<bool>("tls");
      r.from = object->getValue<std::string>("from");
      r.to = object->getValue<std::string>("to");
      r.subject = object->getValue<std::string>("subject");
      r.content_type = object->getValue<std::string>("content_type");
      r.charset = object->getValue<std::string>("charset");
      r.body = object->getValue<std::string>("body");
      r.body.erase(std::remove(r.body.begin(), r.body.end(), '\r'), r.body.end());
      r.raw = object->getValue<std::string>("raw");
      received.push_back(std::move(r));
    }
    return received;
  }

  // The server's AUTH log: "accepted USER MECHANISM" / "refused USER MECHANISM" lines.
  [[nodiscard]] std::string authLog() const { return test::readFile(out_ + "/auth.log"); }

 private:
  static std::string script() {
    return (fs::path(CKS_SOURCE_DIR) / "tests" / "support" / "smtp_server.py").string();
  }

  std::string out_;
  std::string log_;
  int port_;
  std::unique_ptr<test::BackgroundProcess> process_;
};

// Keeps what the mailer logs, to check its warnings (and that no secret is in them).
class RecordingChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::to_string(int(message.getPriority())) + " " + message.getText());
  }
  [[nodiscard]] std::string text() {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& line : lines_) all += line + "\n";
    return all;
  }
  [[nodiscard]] int warnings() {
    std::lock_guard lock(mutex_);
    return int(std::count_if(lines_.begin(), lines_.end(), [](const std::string& line) {
      return line.rfind(std::to_string(int(Poco::Message::PRIO_WARNING)) + " ", 0) == 0;
    }));
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// A real agent store, a config read from an agent.ini with [email], and the mailer on top.
class MailFixture {
 public:
  MailFixture(const test::TempDir& dir, int port, const std::string& email_keys,
              const std::string& password = kPassword)
      : dir_(dir), channel_(new RecordingChannel) {
    setPassword(password);
    test::writeFile(dir.file("agent.ini"),
                    "[agent]\nhost_name = PC-VANTHU\n"
                    "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n"
                    "[store]\npath = agent.db\n"
                    "[email]\nserver = localhost\nport = " +
                        std::to_string(port) + "\nuser = " + kUser +
                        "\npassword_file = smtp.pass\n"
                        "from = cks@binhchuong.quangngai.gov.vn\n" +
                        "ca_file = " + sync::test::TlsFiles::get().hub_ca + "\n" + email_keys);
    auto config = loadAgentConfig(dir.file("agent.ini"), FileChecks::Check);
    if (!config) throw std::runtime_error(config.error().message);
    config_ = *config;
    auto inventory = store::Inventory::open(config_.store_path);
    if (!inventory) throw std::runtime_error(inventory.error().message);
    inventory_ = std::move(*inventory);
    logger_ = &Poco::Logger::get("alert_mail_test." + dir.path().filename().string());
    logger_->setChannel(channel_);
    logger_->setLevel(Poco::Message::PRIO_INFORMATION);
    sender_ = std::make_unique<SmtpSender>(config_.email, config_.host_name);
    restart();
    CKS_CHECK(store::Outbox(*inventory_).setState("agency_name", "UBND xã Bình Chương"));
  }

  void setPassword(const std::string& password) {
    test::writeFile(dir_.file("smtp.pass"), password + "\n");
    chmod(dir_.file("smtp.pass").c_str(), 0600);
  }

  // A new mailer on the same store, as after an agent restart.
  void restart() {
    mailer_ = std::make_unique<AlertMailer>(config_, *inventory_, *sender_, *logger_,
                                            [](TimePoint) { return kVietnam; });
  }

  // The conditions that hold at `now` (every kind judged), as the alert monitor records them.
  void holds(const std::vector<AlertCondition>& conditions, TimePoint now) {
    AlertEvaluation evaluation;
    evaluation.conditions = conditions;
    evaluation.evaluated = allAlertKinds();
    auto changes = store::Alerts(*inventory_).reconcile(evaluation, now);
    if (!changes) throw std::runtime_error(changes.error().message);
  }

  void tick(TimePoint now) { mailer_->tick(now); }
  RecordingChannel& log() { return *channel_; }
  store::Inventory& inventory() { return *inventory_; }

 private:
  const test::TempDir& dir_;
  Poco::AutoPtr<RecordingChannel> channel_;
  AgentConfig config_;
  std::unique_ptr<store::Inventory> inventory_;
  Poco::Logger* logger_ = nullptr;
  std::unique_ptr<SmtpSender> sender_;
  std::unique_ptr<AlertMailer> mailer_;
};

AlertCondition expiring(int days, TimePoint now) {
  auto condition = AlertCondition::about(
      AlertKind::CertificateExpiring,
      "3f7a9c0e5b1d2468ace13579bdf02468ace13579bdf02468ace13579bdf0246", "0A1B2C");
  condition.threshold_days = days;
  condition.params = {{"name", "UBND XÃ BÌNH CHƯƠNG"},
                      {"agency", "UBND xã Bình Chương"},
                      {"not_after", formatIsoUtc(now + std::chrono::days(days) + 12h)}};
  return condition;
}

AlertCondition pinLocked() {
  auto condition = AlertCondition::about(AlertKind::TokenPinLocked, "", "0A1B2C");
  condition.params = {{"token", "0A1B2C"}, {"label", "Văn thư"}};
  return condition;
}

AlertCondition notSeen() {
  auto condition = AlertCondition::about(AlertKind::TokenNotSeen, "", "9F9F01");
  condition.threshold_days = 180;
  condition.params = {{"token", "9F9F01"}, {"last_seen", "2025-11-05T02:00:00Z"}};
  return condition;
}

AlertCondition clockOff() {
  auto condition = AlertCondition::about(AlertKind::ClockOffset, "", "");
  condition.params = {{"offset_seconds", "420"}};
  return condition;
}

const Received* to(const std::vector<Received>& messages, const std::string& address) {
  for (const auto& message : messages) {
    if (message.rcpt_tos == std::vector<std::string>{address}) return &message;
  }
  return nullptr;
}

constexpr char kRecipients[] =
    "to = it@binhchuong.quangngai.gov.vn\n"
    "to_critical = chutich@binhchuong.quangngai.gov.vn\n"
    "to.certificate_expiring = vanthu@binhchuong.quangngai.gov.vn\n"
    "digest_time = 07:30\n";

TEST(AlertMailIntegrationTest, OneDigestPerRecipientADayWithTheirAlertsAndNoStorm) {
  test::TempDir dir;
  SmtpServer server(dir, "mail", {});
  MailFixture fixture(dir, server.port(), kRecipients);
  // 12/05/2026, 06:00 in Vietnam: three alerts are raised.
  const TimePoint six = at("2026-05-11T23:00:00Z");
  FixedClock clock(six);
  fixture.holds({expiring(30, six), pinLocked(), notSeen()}, six);

  clock.set(at("2026-05-12T00:29:00Z"));  // 07:29: not yet
  fixture.tick(clock.now());
  EXPECT_TRUE(server.messages().empty());

  clock.set(at("2026-05-12T00:30:00Z"));  // 07:30: the digests
  fixture.tick(clock.now());
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 3u) << fixture.log().text();

  const Received* it = to(messages, "it@binhchuong.quangngai.gov.vn");
  ASSERT_TRUE(it);
  EXPECT_EQ(it->subject, "[cks] UBND xã Bình Chương: 1 cảnh báo nghiêm trọng, 2 cảnh báo");
  EXPECT_NE(it->raw.find("Subject: =?UTF-8?"), std::string::npos) << it->raw;  // RFC 2047
  EXPECT_NE(it->raw.find("Date: "), std::string::npos) << it->raw;
  EXPECT_NE(it->raw.find("\nMessage-ID: <"), std::string::npos) << it->raw;
  EXPECT_NE(it->raw.find("\nAuto-Submitted: auto-generated"), std::string::npos) << it->raw;
  EXPECT_EQ(it->content_type, "text/plain");
  EXPECT_EQ(it->charset, "utf-8");
  EXPECT_TRUE(it->tls);
  EXPECT_TRUE(it->authenticated);
  EXPECT_EQ(it->mail_from, "cks@binhchuong.quangngai.gov.vn");
  EXPECT_EQ(it->to, "it@binhchuong.quangngai.gov.vn");
  EXPECT_NE(it->body.find("Bản tin cảnh báo chữ ký số của UBND xã Bình Chương, ngày 12/05/2026: 3 "
                          "mục mới kể từ bản tin trước."),
            std::string::npos)
      << it->body;
  const auto critical = it->body.find("NGHIÊM TRỌNG (1)\n\n[");
  EXPECT_NE(critical, std::string::npos) << it->body;
  EXPECT_NE(it->body.find("] Token 0A1B2C (Văn thư) đã bị khóa mã PIN — cần lập đề nghị khôi phục "
                          "thiết bị\n     Phát sinh lúc 06:00 12/05/2026 · chưa xử lý · mới\n",
                          critical),
            std::string::npos)
      << it->body;
  EXPECT_NE(it->body.find("CẢNH BÁO (2)"), std::string::npos);
  EXPECT_NE(it->body.find("Chứng thư số của UBND XÃ BÌNH CHƯƠNG (UBND xã Bình Chương) hết hạn sau "
                          "30 ngày — cần lập đề nghị gia hạn"),
            std::string::npos);
  EXPECT_NE(it->body.find("Token 9F9F01 không được cắm vào máy từ ngày 05/11/2025"),
            std::string::npos);
  EXPECT_NE(it->body.find("cksctl ack"), std::string::npos);
  EXPECT_NE(it->body.find("cks-agent trên máy PC-VANTHU"), std::string::npos);

  const Received* clerk = to(messages, "vanthu@binhchuong.quangngai.gov.vn");
  ASSERT_TRUE(clerk);
  EXPECT_EQ(clerk->subject, "[cks] UBND xã Bình Chương: 1 cảnh báo");
  EXPECT_NE(clerk->body.find("hết hạn sau 30 ngày"), std::string::npos);
  EXPECT_EQ(clerk->body.find("Token"), std::string::npos) << clerk->body;

  const Received* chairman = to(messages, "chutich@binhchuong.quangngai.gov.vn");
  ASSERT_TRUE(chairman);
  EXPECT_EQ(chairman->subject, "[cks] UBND xã Bình Chương: 1 cảnh báo nghiêm trọng");
  EXPECT_NE(chairman->body.find("đã bị khóa mã PIN"), std::string::npos);
  EXPECT_EQ(chairman->body.find("hết hạn"), std::string::npos) << chairman->body;

  // No storm: the rest of the day, and after a restart, nothing more.
  for (const char* later :
       {"2026-05-12T00:31:00Z", "2026-05-12T05:00:00Z", "2026-05-12T16:59:00Z"}) {
    fixture.tick(at(later));
  }
  fixture.restart();
  fixture.tick(at("2026-05-12T10:00:00Z"));
  EXPECT_EQ(server.messages().size(), 3u);

  // The next morning nothing is new: still nothing.
  fixture.tick(at("2026-05-13T00:30:00Z"));
  EXPECT_EQ(server.messages().size(), 3u);

  // Later that day the clock goes wrong: one new digest, to the one recipient it concerns.
  const TimePoint eight = at("2026-05-13T01:00:00Z");
  fixture.holds({expiring(30, six), pinLocked(), notSeen(), clockOff()}, eight);
  fixture.tick(eight + 1min);
  fixture.tick(eight + 2min);
  messages = server.messages();
  ASSERT_EQ(messages.size(), 4u) << fixture.log().text();
  EXPECT_EQ(messages[3].rcpt_tos, std::vector<std::string>{"it@binhchuong.quangngai.gov.vn"});
  EXPECT_EQ(messages[3].subject, "[cks] UBND xã Bình Chương: 1 cảnh báo nghiêm trọng, 3 cảnh báo");
  EXPECT_NE(messages[3].body.find("Đồng hồ máy tính này lệch 420 giây so với máy chủ của tỉnh — "
                                  "hãy chỉnh lại giờ\n     Phát sinh lúc 08:00 13/05/2026 · chưa "
                                  "xử lý · mới\n"),
            std::string::npos)
      << messages[3].body;
  EXPECT_NE(messages[3].body.find("1 mục mới"), std::string::npos);
  EXPECT_EQ(fixture.log().warnings(), 0) << fixture.log().text();
}

TEST(AlertMailIntegrationTest, AWrongPasswordHoldsTheDigestBackUntilItIsFixed) {
  test::TempDir dir;
  SmtpServer server(dir, "mail", {});
  MailFixture fixture(dir, server.port(), kRecipients, "sai-mật-khẩu");
  const TimePoint morning = at("2026-05-12T00:30:00Z");
  fixture.holds({pinLocked()}, morning - 1h);

  fixture.tick(morning);
  EXPECT_TRUE(server.messages().empty());
  EXPECT_NE(server.authLog().find("refused cks-binhchuong"), std::string::npos);
  EXPECT_GE(fixture.log().warnings(), 1);
  const std::string log = fixture.log().text();
  EXPECT_NE(log.find("e-mail: digest to chutich@binhchuong.quangngai.gov.vn not sent"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("535"), std::string::npos) << log;
  EXPECT_EQ(log.find("sai-mật-khẩu"), std::string::npos) << "the password was logged";
  EXPECT_EQ(log.find(kPassword), std::string::npos);

  // Not again before the retry interval, even though the password is fixed now.
  fixture.setPassword(kPassword);
  const std::string refused = server.authLog();
  fixture.tick(morning + 5min);
  EXPECT_EQ(server.authLog(), refused);
  EXPECT_TRUE(server.messages().empty());

  // 15 minutes later the digests go, once.
  fixture.tick(morning + AlertMailer::kRetryInterval);
  fixture.tick(morning + AlertMailer::kRetryInterval + 1min);
  const auto messages = server.messages();
  ASSERT_EQ(messages.size(), 2u) << fixture.log().text();  // it and chutich; the clerk: nothing
  EXPECT_TRUE(to(messages, "it@binhchuong.quangngai.gov.vn"));
  EXPECT_TRUE(to(messages, "chutich@binhchuong.quangngai.gov.vn"));
  EXPECT_NE(server.authLog().find("accepted cks-binhchuong"), std::string::npos);
}

TEST(AlertMailIntegrationTest, ImplicitTlsDelivers) {
  test::TempDir dir;
  SmtpServer server(dir, "mail", {.security = "tls"});
  MailFixture fixture(dir, server.port(), "security = tls\nto = it@xa.gov.vn\n");
  fixture.holds({pinLocked()}, at("2026-05-12T00:00:00Z"));
  fixture.tick(at("2026-05-12T00:30:00Z"));
  const auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u) << fixture.log().text();
  EXPECT_TRUE(messages[0].tls);
  EXPECT_EQ(messages[0].subject, "[cks] UBND xã Bình Chương: 1 cảnh báo nghiêm trọng");
}

TEST(AlertMailIntegrationTest, RefusesAServerWithoutStartTlsOrWithAnUntrustedCertificate) {
  test::TempDir dir;
  {
    // A server that offers no STARTTLS: the password and the mail stay here.
    SmtpServer plain(dir, "plain", {.security = "none"});
    MailFixture fixture(dir, plain.port(), "to = it@xa.gov.vn\n");
    fixture.holds({pinLocked()}, at("2026-05-12T00:00:00Z"));
    fixture.tick(at("2026-05-12T00:30:00Z"));
    EXPECT_TRUE(plain.messages().empty());
    EXPECT_EQ(plain.authLog(), "");
    EXPECT_NE(fixture.log().text().find("does not offer STARTTLS"), std::string::npos)
        << fixture.log().text();
  }
  test::TempDir other;
  {
    // A certificate from a CA nobody trusts here.
    SmtpServer rogue(other, "rogue",
                     {.cert_file = sync::test::TlsFiles::get().rogue_server_cert,
                      .key_file = sync::test::TlsFiles::get().rogue_server_key});
    MailFixture fixture(other, rogue.port(), "to = it@xa.gov.vn\n");
    fixture.holds({pinLocked()}, at("2026-05-12T00:00:00Z"));
    fixture.tick(at("2026-05-12T00:30:00Z"));
    EXPECT_TRUE(rogue.messages().empty());
    EXPECT_EQ(rogue.authLog(), "");
    EXPECT_EQ(fixture.log().warnings(), 1) << fixture.log().text();
    EXPECT_NE(fixture.log().text().find("certificate verify failed"), std::string::npos)
        << fixture.log().text();
  }
  test::TempDir third;
  {
    // A trusted CA, but a certificate for another host name.
    SmtpServer elsewhere(third, "elsewhere",
                         {.cert_file = sync::test::TlsFiles::get().wrong_host_cert,
                          .key_file = sync::test::TlsFiles::get().wrong_host_key});
    MailFixture fixture(third, elsewhere.port(), "to = it@xa.gov.vn\n");
    fixture.holds({pinLocked()}, at("2026-05-12T00:00:00Z"));
    fixture.tick(at("2026-05-12T00:30:00Z"));
    EXPECT_TRUE(elsewhere.messages().empty());
    EXPECT_EQ(elsewhere.authLog(), "");
    EXPECT_EQ(fixture.log().warnings(), 1) << fixture.log().text();
  }
}

TEST(AlertMailIntegrationTest, AServerThatNeverAnswersTimesOut) {
  test::TempDir dir;
  sync::test::SilentServer silent;
  MailFixture fixture(dir, silent.port(), "to = it@xa.gov.vn\ntimeout = 1s\n");
  fixture.holds({pinLocked()}, at("2026-05-12T00:00:00Z"));
  const auto started = std::chrono::steady_clock::now();
  fixture.tick(at("2026-05-12T00:30:00Z"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(fixture.log().warnings(), 1) << fixture.log().text();
  EXPECT_NE(fixture.log().text().find("not sent"), std::string::npos);
}

}  // namespace

// The running agent, not just the mailer: a SoftHSM token's expiring certificate raises an
// alert at the first scan and the digest goes out at once (the digest time has passed), once.
TEST(AlertMailIntegrationTest, TheRunningAgentMailsItsDigestWhenAlertsAreRaised) {
  test::TempDir dir;
  SmtpServer server(dir, "mail", {});
  test::SoftHsm hsm(dir.path());
  hsm.createToken("Chủ tịch");
  const test::TestCa ca;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  hsm.writeCertificate("Chủ tịch",
                       ca.issue(test::individualSpec("Nguyễn Văn An", now - 24h * 1000,
                                                     test::vietnamNoonIn(20, now))),
                       "CTS ca nhan", "01");
  test::writeFile(dir.file("smtp.pass"), std::string(kPassword) + "\n");
  chmod(dir.file("smtp.pass").c_str(), 0600);
  test::AgentUnderTest agent(
      dir.path().string(), "agent",
      {.modules = {test::SoftHsm::kModule},
       .extra = "[email]\nserver = localhost\nport = " + std::to_string(server.port()) +
                "\nuser = " + kUser + "\npassword_file = " + dir.file("smtp.pass") +
                "\nfrom = cks@binhchuong.quangngai.gov.vn\nto = it@binhchuong.quangngai.gov.vn\n"
                "digest_time = 00:00\nca_file = " +
                sync::test::TlsFiles::get().hub_ca + "\n"});
  agent.start();
  ASSERT_TRUE(test::eventually([&] { return server.messages().size() == 1; }, 15s))
      << test::readFile(agent.log());
  const auto mail = server.messages()[0];
  EXPECT_TRUE(mail.tls);
  EXPECT_TRUE(mail.authenticated);
  EXPECT_EQ(mail.rcpt_tos, std::vector<std::string>{"it@binhchuong.quangngai.gov.vn"});
  EXPECT_NE(mail.body.find("Chứng thư số của Nguyễn Văn An (UBND xã Bình Chương) hết hạn sau 20 "
                           "ngày — cần lập đề nghị cấp mới"),
            std::string::npos)
      << mail.body;
  // Rescans raise nothing new: no second mail.
  ASSERT_EQ(agent.ctl({"scan"}).exit_code, 0);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(server.messages().size(), 1u);
  EXPECT_EQ(test::readFile(agent.log()).find(kPassword), std::string::npos);
}

}  // namespace cks::agent
