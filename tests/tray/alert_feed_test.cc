#include "tray/core/alert_feed.h"

#include <gtest/gtest.h>

#include "tests/tray/api_samples.h"

namespace cks::tray {
namespace {

using samples::alertJson;
using samples::kExpiringMessage;

TEST(AlertFeedTest, ReadsTheAlertListOfTheLocalApi) {
  const std::string body = "[" + alertJson(2, "u-2", "critical", "open", "Token 0123 đã bị khóa") +
                           "," + alertJson(1, "u-1", "warning", "acknowledged", kExpiringMessage) +
                           "]";
  auto alerts = parseAlertList(body);
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].id, 2);
  EXPECT_EQ((*alerts)[0].uuid, "u-2");
  EXPECT_EQ((*alerts)[0].severity, AlertSeverity::Critical);
  EXPECT_EQ((*alerts)[0].status, AlertStatus::Open);
  EXPECT_EQ((*alerts)[1].status, AlertStatus::Acknowledged);
  EXPECT_EQ((*alerts)[1].message, kExpiringMessage);
  EXPECT_EQ((*alerts)[1].threshold_days, 30);
  EXPECT_EQ((*alerts)[1].kind, "certificate_expiring");
}

TEST(AlertFeedTest, ReadsAnEventBatch) {
  const std::string body = samples::eventsJson(
      9, samples::eventJson(8, "alert_raised", alertJson(3, "u-3", "info", "open", "a")) + "," +
             samples::eventJson(9, "alert_changed", alertJson(3, "u-3", "info", "resolved", "a")));
  auto batch = parseEventBatch(body);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->cursor, 9);
  ASSERT_EQ(batch->events.size(), 2u);
  EXPECT_EQ(batch->events[0].type, "alert_raised");
  EXPECT_EQ(batch->events[1].seq, 9);
  EXPECT_EQ(batch->events[1].alert.status, AlertStatus::Resolved);
  auto empty = parseEventBatch(R"({"cursor": 0, "events": []})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->events.empty());
}

TEST(AlertFeedTest, NamesWhatIsWrongInAMalformedAnswer) {
  auto no_uuid =
      parseAlertList(R"([{"id":1,"kind":"x","severity":"info","state":"open","message":"m"}])");
  ASSERT_FALSE(no_uuid);
  EXPECT_NE(no_uuid.error().message.find("uuid"), std::string::npos);
  auto bad_severity = parseAlert(alertJson(1, "u", "urgent", "open", "m"));
  ASSERT_FALSE(bad_severity);
  EXPECT_NE(bad_severity.error().message.find("severity"), std::string::npos);
  EXPECT_FALSE(parseAlertList(R"({"error":"unauthorized"})"));
  EXPECT_FALSE(parseEventBatch(R"({"events":[]})"));
  EXPECT_FALSE(parseEventBatch("not json"));
}

}  // namespace
}  // namespace cks::tray
