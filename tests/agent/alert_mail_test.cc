// The e-mail digest's contents (agent/alert_mail.h): which alerts a recipient gets, in which
// order, and the Vietnamese (or English) text around them. The SMTP side and the daily rhythm
// are tested against a real server in tests/integration/alert_mail_test.cc.
#include "agent/alert_mail.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "core/time_format.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;

TimePoint at(const char* iso) { return *parseIsoUtc(iso); }

constexpr auto kVietnam = std::chrono::seconds(7h);

store::AlertRecord record(std::int64_t id, AlertKind kind, std::optional<int> threshold,
                          TimePoint raised, std::map<std::string, std::string> params) {
  store::AlertRecord alert;
  alert.id = id;
  alert.kind = kind;
  alert.threshold_days = threshold;
  alert.severity = alertSeverity(kind, threshold);
  alert.state = AlertState::Open;
  alert.raised_at = raised;
  alert.changed_at = raised;
  alert.params = std::move(params);
  return alert;
}

// The alerts of UBND xã Bình Chương on 12/05/2026; the previous digest went out on 11/05.
struct Fixture {
  TimePoint since = at("2026-05-11T00:30:00Z");
  TimePoint now = at("2026-05-12T00:30:00Z");  // 07:30 in Vietnam
  std::vector<store::AlertRecord> alerts;

  Fixture() {
    const std::map<std::string, std::string> clerk = {{"name", "UBND XÃ BÌNH CHƯƠNG"},
                                                      {"agency", "UBND xã Bình Chương"},
                                                      {"not_after", "2026-05-19T12:00:00Z"}};
    // Critical: a PIN lock raised today, an organisation certificate 7 days from expiry.
    alerts.push_back(record(12, AlertKind::TokenPinLocked, std::nullopt, at("2026-05-12T00:15:00Z"),
                            {{"token", "0A1B2C"}, {"label", "Văn thư"}}));
    alerts.push_back(
        record(10, AlertKind::CertificateExpiring, 7, at("2026-05-11T22:00:00Z"), clerk));
    // Warnings: one open from last week (not new), one acknowledged last week (not listed).
    alerts.push_back(record(5, AlertKind::TokenNotSeen, 180, at("2026-05-04T02:00:00Z"),
                            {{"token", "9F9F"}, {"last_seen", "2025-11-05T02:00:00Z"}}));
    auto acknowledged = record(4, AlertKind::ClockOffset, std::nullopt, at("2026-05-03T02:00:00Z"),
                               {{"offset_seconds", "420"}});
    acknowledged.state = AlertState::Acknowledged;
    alerts.push_back(acknowledged);
    // Info: 60 days before another certificate's expiry, raised yesterday afternoon.
    alerts.push_back(record(11, AlertKind::CertificateExpiring, 60, at("2026-05-11T09:00:00Z"),
                            {{"name", "Nguyễn Thị Ánh Tuyết"},
                             {"agency", "UBND xã Bình Chương"},
                             {"not_after", "2026-07-11T00:00:00Z"}}));
    // Resolved since the last digest: renewed; and one resolved long ago (not listed).
    auto renewed = record(3, AlertKind::CertificateExpiring, 30, at("2026-04-20T02:00:00Z"),
                          {{"name", "Trần Văn Bình"}, {"not_after", "2026-05-20T00:00:00Z"}});
    renewed.state = AlertState::Resolved;
    renewed.resolution = "renewed";
    renewed.changed_at = at("2026-05-11T03:00:00Z");
    alerts.push_back(renewed);
    auto old = record(1, AlertKind::ModuleFailing, std::nullopt, at("2026-03-01T02:00:00Z"),
                      {{"module", "/usr/lib/libeTPkcs11.so"}, {"detail", "timeout"}});
    old.state = AlertState::Resolved;
    old.resolution = "cleared";
    old.changed_at = at("2026-03-02T02:00:00Z");
    alerts.push_back(old);
  }

  DigestContext context(Language language = Language::Vietnamese) const {
    return DigestContext{"UBND xã Bình Chương", "PC-VANTHU", language, since, now, kVietnam};
  }
};

RecipientRules everything() { return RecipientRules{Severity::Info, {}}; }

TEST(AlertMailTest, DigestGroupsTheAlertsBySeverityCriticalFirstInVietnamese) {
  const Fixture fixture;
  const auto digest = composeDigest(everything(), fixture.alerts, fixture.context());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->subject,
            "[cks] UBND xã Bình Chương: 2 cảnh báo nghiêm trọng, 1 cảnh báo, 1 thông báo");
  EXPECT_EQ(digest->alert_ids, (std::vector<std::int64_t>{12, 10, 5, 11, 3}));
  EXPECT_EQ(digest->new_count, 4);  // 12, 10, 11 raised and 3 resolved since the last digest

  const std::string& body = digest->body;
  EXPECT_EQ(body.rfind("Bản tin cảnh báo chữ ký số của UBND xã Bình Chương, ngày 12/05/2026: 4 mục "
                       "mới kể từ bản tin trước.\n",
                       0),
            0u)
      << body;
  const std::string pin_locked =
      "[12] " + alertMessage(Language::Vietnamese, fixture.alerts[0].text(), fixture.now) +
      "\n     Phát sinh lúc 07:15 12/05/2026 · chưa xử lý · mới\n";
  EXPECT_NE(body.find("\nNGHIÊM TRỌNG (2)\n\n" + pin_locked), std::string::npos) << body;
  EXPECT_NE(body.find("Token 0A1B2C (Văn thư) đã bị khóa mã PIN"), std::string::npos);
  EXPECT_NE(body.find("[10] Chứng thư số của UBND XÃ BÌNH CHƯƠNG (UBND xã Bình Chương) hết hạn "
                      "sau 7 ngày — cần lập đề nghị gia hạn\n     Phát sinh lúc 05:00 12/05/2026 "
                      "· chưa xử lý · mới\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("\nCẢNH BÁO (1)\n\n[5] "), std::string::npos) << body;
  EXPECT_NE(body.find("Phát sinh lúc 09:00 04/05/2026 · chưa xử lý\n"), std::string::npos);
  EXPECT_NE(body.find("\nTHÔNG BÁO (1)\n\n[11] "), std::string::npos) << body;
  EXPECT_NE(body.find("\nĐÃ XỬ LÝ TỪ BẢN TIN TRƯỚC (1)\n\n[3] "), std::string::npos) << body;
  EXPECT_NE(body.find("· đã gia hạn\n"), std::string::npos) << body;
  EXPECT_LT(body.find("NGHIÊM TRỌNG"), body.find("CẢNH BÁO (1)"));
  EXPECT_LT(body.find("CẢNH BÁO (1)"), body.find("THÔNG BÁO"));
  EXPECT_LT(body.find("THÔNG BÁO"), body.find("ĐÃ XỬ LÝ"));
  EXPECT_EQ(body.find("[4] "), std::string::npos);  // acknowledged before: someone has seen it
  EXPECT_EQ(body.find("[1] "), std::string::npos);  // resolved before the last digest
  EXPECT_NE(body.find("cksctl ack 12"), std::string::npos);
  EXPECT_NE(body.find("cks-agent trên máy PC-VANTHU"), std::string::npos);
  EXPECT_EQ(body.find("[mail."), std::string::npos) << "a key missing from the catalogue";
}

TEST(AlertMailTest, NothingNewSinceTheLastDigestMeansNoDigest) {
  Fixture fixture;
  fixture.since = fixture.now;  // everything was in the previous digest
  EXPECT_FALSE(composeDigest(everything(), fixture.alerts, fixture.context()));
  EXPECT_FALSE(composeDigest(everything(), {}, fixture.context()));
}

TEST(AlertMailTest, EachRecipientGetsWhatTheirRulesSelect) {
  const Fixture fixture;
  // The records clerk: only certificate expiry.
  const RecipientRules clerk{std::nullopt, {AlertKind::CertificateExpiring}};
  const auto clerks = composeDigest(clerk, fixture.alerts, fixture.context());
  ASSERT_TRUE(clerks);
  EXPECT_EQ(clerks->alert_ids, (std::vector<std::int64_t>{10, 11, 3}));
  EXPECT_EQ(clerks->subject, "[cks] UBND xã Bình Chương: 1 cảnh báo nghiêm trọng, 1 thông báo");

  // The chairman: critical only.
  const RecipientRules chairman{Severity::Critical, {}};
  const auto chairmans = composeDigest(chairman, fixture.alerts, fixture.context());
  ASSERT_TRUE(chairmans);
  EXPECT_EQ(chairmans->alert_ids, (std::vector<std::int64_t>{12, 10}));

  // Warnings and up, or a PIN lock: the union.
  const RecipientRules both{Severity::Warning, {AlertKind::CertificateExpiring}};
  const auto union_digest = composeDigest(both, fixture.alerts, fixture.context());
  ASSERT_TRUE(union_digest);
  EXPECT_EQ(union_digest->alert_ids, (std::vector<std::int64_t>{12, 10, 5, 11, 3}));

  // Someone who only gets clock warnings has nothing new.
  const RecipientRules clock{std::nullopt, {AlertKind::ClockOffset}};
  EXPECT_FALSE(composeDigest(clock, fixture.alerts, fixture.context()));
}

TEST(AlertMailTest, ASnoozeThatRanOutIsNewButAnAcknowledgementIsNot) {
  Fixture fixture;
  const RecipientRules clock{std::nullopt, {AlertKind::ClockOffset}};
  auto alert = fixture.alerts[3];  // clock_offset, raised on 03/05
  alert.state = AlertState::Acknowledged;
  alert.changed_at = fixture.since + 1h;  // acknowledged after the last digest
  EXPECT_FALSE(composeDigest(clock, {alert}, fixture.context()));

  alert.state = AlertState::Snoozed;
  alert.snoozed_until = fixture.now + std::chrono::days(3);
  EXPECT_FALSE(composeDigest(clock, {alert}, fixture.context()));

  // Snoozed before the last digest until this morning: the store reads it as open again.
  alert.state = AlertState::Open;
  alert.changed_at = fixture.since - std::chrono::days(2);
  alert.snoozed_until = fixture.now - 1h;
  const auto digest = composeDigest(clock, {alert}, fixture.context());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->alert_ids, std::vector<std::int64_t>{4});
  EXPECT_EQ(digest->new_count, 1);
}

TEST(AlertMailTest, OnlyResolvedAlertsSaySo) {
  Fixture fixture;
  const RecipientRules renewals{std::nullopt, {AlertKind::CertificateExpiring}};
  std::vector<store::AlertRecord> resolved_only = {fixture.alerts[5]};
  const auto digest = composeDigest(renewals, resolved_only, fixture.context());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->subject, "[cks] UBND xã Bình Chương: các cảnh báo đã được xử lý");
}

TEST(AlertMailTest, EnglishWhenAsked) {
  const Fixture fixture;
  const auto digest =
      composeDigest(everything(), fixture.alerts, fixture.context(Language::English));
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->subject,
            "[cks] UBND xã Bình Chương: 2 critical alert(s), 1 warning(s), 1 notice(s)");
  EXPECT_NE(digest->body.find("\nCRITICAL (2)\n"), std::string::npos) << digest->body;
  EXPECT_NE(digest->body.find("Raised 07:15 12/05/2026 · open · new"), std::string::npos);
  EXPECT_NE(digest->body.find("Token 0A1B2C (Văn thư) is PIN-locked"), std::string::npos);
  EXPECT_NE(digest->body.find("· renewed\n"), std::string::npos);
  EXPECT_NE(digest->body.find("cksctl ack 12"), std::string::npos);
}

TEST(AlertMailTest, AnAlertListedTwiceAppearsOnce) {
  const Fixture fixture;
  auto twice = fixture.alerts;
  twice.push_back(fixture.alerts[0]);
  const auto digest = composeDigest(everything(), twice, fixture.context());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->alert_ids, (std::vector<std::int64_t>{12, 10, 5, 11, 3}));
}

TEST(AlertMailTest, DigestTimeFollowsTheMachinesZone) {
  const char* previous = std::getenv("TZ");
  const std::string saved = previous ? previous : "";
  setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  tzset();
  EXPECT_EQ(localUtcOffset(at("2026-05-12T00:30:00Z")), 7h);
  setenv("TZ", "Europe/Berlin", 1);  // daylight saving time
  tzset();
  EXPECT_EQ(localUtcOffset(at("2026-01-12T00:30:00Z")), 1h);
  EXPECT_EQ(localUtcOffset(at("2026-07-12T00:30:00Z")), 2h);
  if (previous) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(AlertMailTest, RecipientsGetTheUnionOfTheirRules) {
  EmailSettings email;
  email.to = {"IT@xa.gov.vn"};
  email.at_least[Severity::Critical] = {"chutich@xa.gov.vn", "it@xa.gov.vn"};
  email.kinds[AlertKind::CertificateExpiring] = {"vanthu@xa.gov.vn"};
  email.kinds[AlertKind::TokenPinLocked] = {"vanthu@xa.gov.vn", "ChuTich@xa.gov.vn"};
  const auto recipients = mailRecipients(email);
  ASSERT_EQ(recipients.size(), 3u);
  EXPECT_EQ(recipients.at("it@xa.gov.vn").at_least, Severity::Info);
  EXPECT_EQ(recipients.at("chutich@xa.gov.vn").at_least, Severity::Critical);
  EXPECT_EQ(recipients.at("chutich@xa.gov.vn").kinds,
            std::set<AlertKind>{AlertKind::TokenPinLocked});
  EXPECT_FALSE(recipients.at("vanthu@xa.gov.vn").at_least);
  EXPECT_TRUE(
      recipients.at("vanthu@xa.gov.vn").selects(AlertKind::TokenPinLocked, Severity::Critical));
  EXPECT_FALSE(
      recipients.at("vanthu@xa.gov.vn").selects(AlertKind::ModuleFailing, Severity::Critical));
  EXPECT_TRUE(
      recipients.at("chutich@xa.gov.vn").selects(AlertKind::ModuleFailing, Severity::Critical));
  EXPECT_FALSE(
      recipients.at("chutich@xa.gov.vn").selects(AlertKind::TokenNotSeen, Severity::Warning));
}

}  // namespace
}  // namespace cks::agent
