#include "sync/client/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace cks::sync {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Always the same draw.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform() override { return value_; }
  void set(double value) { value_ = value; }

 private:
  double value_;
};

TEST(BackoffTest, FirstWaitIsTheMinimum) {
  FixedRandom random(0.999);
  Backoff backoff(random);
  EXPECT_EQ(backoff.next(), seconds(2));
}

TEST(BackoffTest, CeilingDoublesWithEachFailure) {
  FixedRandom top(0.9999999);
  Backoff backoff(top);
  std::vector<milliseconds> waits;
  for (int i = 0; i < 5; ++i) waits.push_back(backoff.next());
  // The top of each window: 2, 4, 8, 16, 32 s.
  EXPECT_EQ(waits, (std::vector<milliseconds>{seconds(2), seconds(4), seconds(8), seconds(16),
                                              seconds(32)}));
}

TEST(BackoffTest, WaitsStayWithinMinimumAndCeiling) {
  FixedRandom bottom(0.0);
  Backoff low(bottom);
  FixedRandom middle(0.5);
  Backoff mid(middle);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(low.next(), seconds(2)) << "failure " << i;
    const auto wait = mid.next();
    EXPECT_GE(wait, seconds(2));
    EXPECT_LE(wait, hours(1));
  }
  // The fourth failure's window is [2 s, 16 s]: its middle is 9 s.
  Backoff fourth(middle);
  for (int i = 0; i < 3; ++i) (void)fourth.next();
  EXPECT_EQ(fourth.next(), seconds(9));
}

TEST(BackoffTest, IsCappedAtOneHour) {
  FixedRandom top(0.9999999);
  Backoff backoff(top);
  milliseconds last{};
  for (int i = 0; i < 200; ++i) last = backoff.next();  // no overflow after many failures
  EXPECT_EQ(last, hours(1));
  EXPECT_EQ(backoff.failures(), 200);
}

TEST(BackoffTest, ResetStartsAgainFromTheMinimum) {
  FixedRandom top(0.9999999);
  Backoff backoff(top);
  for (int i = 0; i < 6; ++i) (void)backoff.next();
  backoff.reset();
  EXPECT_EQ(backoff.failures(), 0);
  EXPECT_EQ(backoff.next(), seconds(2));
  EXPECT_EQ(backoff.next(), seconds(4));
}

TEST(BackoffTest, HonoursCustomBounds) {
  FixedRandom top(0.9999999);
  Backoff backoff(top, seconds(10), minutes(1));
  EXPECT_EQ(backoff.next(), seconds(10));
  EXPECT_EQ(backoff.next(), seconds(20));
  EXPECT_EQ(backoff.next(), seconds(40));
  EXPECT_EQ(backoff.next(), minutes(1));
}

TEST(JitteredTest, StaysWithinTenPercentOfFiveMinutes) {
  FixedRandom random(0.0);
  EXPECT_EQ(jittered(kSyncPeriod, kSyncPeriodJitter, random), seconds(270));
  random.set(0.5);
  EXPECT_EQ(jittered(kSyncPeriod, kSyncPeriodJitter, random), seconds(300));
  random.set(0.9999999);
  EXPECT_EQ(jittered(kSyncPeriod, kSyncPeriodJitter, random), seconds(330));
}

TEST(JitteredTest, NeverReturnsLessThanOneSecond) {
  FixedRandom random(0.0);
  EXPECT_EQ(jittered(seconds(1), 1.0, random), seconds(1));
}

TEST(SystemRandomSourceTest, DrawsSpreadOverTheUnitInterval) {
  SystemRandomSource random;
  double low = 1.0;
  double high = 0.0;
  for (int i = 0; i < 1000; ++i) {
    const double value = random.uniform();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
    low = std::min(low, value);
    high = std::max(high, value);
  }
  EXPECT_LT(low, 0.05);
  EXPECT_GT(high, 0.95);
}

}  // namespace
}  // namespace cks::sync
