#include "tray/core/alert_poller.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "tests/support/temp_dir.h"
#include "tests/tray/api_samples.h"

namespace cks::tray {
namespace {

using samples::alertJson;
using samples::eventJson;
using samples::eventsJson;
using std::chrono::milliseconds;

// The agent's local API as the tray sees it: a handler per request, or "down".
class FakeApi : public LocalApiConnection {
 public:
  std::function<HttpAnswer(const std::string& path)> on_get;
  bool down = false;
  std::vector<std::string> requests;

  Result<HttpAnswer> get(const std::string& path, std::chrono::seconds) override {
    requests.push_back("GET " + path);
    if (down) return fail("127.0.0.1:8737: connect: Connection refused");
    return on_get(path);
  }
  Result<HttpAnswer> post(const std::string& path, const std::string&,
                          std::chrono::seconds) override {
    requests.push_back("POST " + path);
    if (down) return fail("127.0.0.1:8737: connect: Connection refused");
    return HttpAnswer{200, "{}"};
  }
  void cancel() override {}
};

// An agent with a list of alerts and an event log, as GET /v1/alerts and /v1/events answer.
struct FakeAgent {
  std::vector<std::string> alerts;                           // alert objects, as JSON
  std::vector<std::pair<std::int64_t, std::string>> events;  // seq, event JSON

  std::int64_t cursor() const { return events.empty() ? 0 : events.back().first; }

  HttpAnswer answer(const std::string& path) const {
    if (path.rfind("/v1/alerts", 0) == 0) {
      std::string body = "[";
      for (size_t i = 0; i < alerts.size(); ++i) body += (i ? "," : "") + alerts[i];
      return {200, body + "]"};
    }
    const auto after_at = path.find("after=");
    if (after_at == std::string::npos) return {200, eventsJson(cursor())};
    std::int64_t after = std::stoll(path.substr(after_at + 6));
    if (after > cursor()) after = 0;  // a replaced store answers everything from the start
    std::string list;
    for (const auto& [seq, json] : events) {
      if (seq > after) list += (list.empty() ? "" : ",") + json;
    }
    return {200, eventsJson(cursor(), list)};
  }
};

struct RecordingView : TrayView {
  std::vector<TraySnapshot> states;
  std::vector<TrayAlert> pop_ups;
  std::vector<std::string> lines;
  void showState(const TraySnapshot& snapshot) override { states.push_back(snapshot); }
  void popUp(const TrayAlert& alert) override { pop_ups.push_back(alert); }
  void log(const std::string& line) override { lines.push_back(line); }
};

class AlertPollerTest : public ::testing::Test {
 protected:
  AlertPollerTest() {
    api_.on_get = [this](const std::string& path) { return agent_.answer(path); };
  }

  test::TempDir dir_;
  FakeAgent agent_;
  FakeApi api_;
  RecordingView view_;
};

TEST_F(AlertPollerTest, ReadsCursorThenAlertsThenLongPollsInTheRightLanguage) {
  agent_.alerts = {alertJson(1, "u-1", "warning", "open", samples::kExpiringMessage)};
  agent_.events = {{4, eventJson(4, "alert_raised", agent_.alerts[0])}};
  TrayState state;
  PollerOptions options;
  options.language = "en";
  AlertPoller poller(api_, state, view_, options);
  EXPECT_EQ(poller.step(), milliseconds(0));
  EXPECT_EQ(poller.step(), milliseconds(0));
  ASSERT_EQ(api_.requests.size(), 3u);
  EXPECT_EQ(api_.requests[0], "GET /v1/events?lang=en");
  EXPECT_EQ(api_.requests[1], "GET /v1/alerts?unresolved=1&lang=en");
  EXPECT_EQ(api_.requests[2], "GET /v1/events?after=4&wait=25&lang=en");
  ASSERT_EQ(view_.pop_ups.size(), 1u);
  EXPECT_EQ(view_.pop_ups[0].message, samples::kExpiringMessage);
  ASSERT_FALSE(view_.states.empty());
  EXPECT_EQ(view_.states.back().colour, IconColour::Amber);
  EXPECT_TRUE(view_.states.back().connected);
}

TEST_F(AlertPollerTest, PopsUpANewAlertFromTheEventStreamOnce) {
  TrayState state;
  AlertPoller poller(api_, state, view_, {});
  poller.step();
  EXPECT_TRUE(view_.pop_ups.empty());
  EXPECT_EQ(view_.states.back().colour, IconColour::Green);
  const auto raised = alertJson(2, "u-2", "critical", "open", "Token 0123 đã bị khóa mã PIN");
  agent_.alerts = {raised};
  agent_.events.push_back({1, eventJson(1, "alert_raised", raised)});
  poller.step();
  ASSERT_EQ(view_.pop_ups.size(), 1u);
  EXPECT_EQ(view_.states.back().colour, IconColour::Red);
  EXPECT_EQ(state.cursor(), 1);
  poller.step();  // nothing new
  EXPECT_EQ(view_.pop_ups.size(), 1u);
}

TEST_F(AlertPollerTest, RetriesWithBackoffAndRereadsTheAlertsWhenTheAgentIsBack) {
  agent_.alerts = {alertJson(1, "u-1", "warning", "open", "m")};
  TrayState state;
  PollerOptions options;
  options.first_retry = milliseconds(100);
  options.longest_retry = milliseconds(400);
  AlertPoller poller(api_, state, view_, options);
  poller.step();
  ASSERT_EQ(view_.pop_ups.size(), 1u);

  api_.down = true;  // the agent restarts
  EXPECT_EQ(poller.step(), milliseconds(100));
  EXPECT_EQ(view_.states.back().colour, IconColour::Grey);
  EXPECT_FALSE(view_.states.back().connected);
  EXPECT_EQ(poller.step(), milliseconds(200));
  EXPECT_EQ(poller.step(), milliseconds(400));
  EXPECT_EQ(poller.step(), milliseconds(400));
  const size_t states_while_down = view_.states.size();
  EXPECT_EQ(states_while_down, 2u);  // connected once, then one "lost": not one per retry

  // Back, with one more alert raised meanwhile (its event is before our new cursor).
  agent_.alerts.push_back(alertJson(2, "u-2", "info", "open", "n"));
  agent_.events.push_back({1, eventJson(1, "alert_raised", agent_.alerts[1])});
  api_.down = false;
  api_.requests.clear();
  EXPECT_EQ(poller.step(), milliseconds(0));
  EXPECT_EQ(api_.requests[0], "GET /v1/events?lang=vi");
  EXPECT_EQ(api_.requests[1], "GET /v1/alerts?unresolved=1&lang=vi");
  ASSERT_EQ(view_.pop_ups.size(), 2u);  // the old one is not shown again
  EXPECT_EQ(view_.pop_ups[1].uuid, "u-2");
  EXPECT_TRUE(view_.states.back().connected);
  // The next failure starts the backoff afresh.
  api_.down = true;
  EXPECT_EQ(poller.step(), milliseconds(100));
}

TEST_F(AlertPollerTest, ACursorLowerThanOursMeansAReplacedStore) {
  agent_.alerts = {alertJson(1, "u-1", "warning", "open", "m")};
  for (int seq = 1; seq <= 50; ++seq) {
    agent_.events.push_back({seq, eventJson(seq, "alert_changed", agent_.alerts[0])});
  }
  TrayState state;
  AlertPoller poller(api_, state, view_, {});
  poller.step();
  EXPECT_EQ(state.cursor(), 50);

  // The store is replaced by an older copy: three events, other alerts.
  agent_.alerts = {alertJson(7, "u-7", "critical", "open", "k")};
  agent_.events = {
      {1, eventJson(1, "alert_raised", agent_.alerts[0])},
      {2, eventJson(2, "alert_raised", alertJson(1, "u-1", "warning", "open", "m"))},
      {3, eventJson(3, "alert_changed", alertJson(1, "u-1", "warning", "resolved", "m"))}};
  api_.requests.clear();
  EXPECT_EQ(poller.step(), milliseconds(0));
  EXPECT_FALSE(poller.inStep());
  ASSERT_FALSE(view_.lines.empty());
  EXPECT_NE(view_.lines.back().find("store was replaced"), std::string::npos);
  poller.step();  // re-reads the list
  EXPECT_EQ(api_.requests.back(), "GET /v1/alerts?unresolved=1&lang=vi");
  EXPECT_EQ(state.cursor(), 3);
  const auto snapshot = state.snapshot();
  ASSERT_EQ(snapshot.alerts.size(), 1u);
  EXPECT_EQ(snapshot.alerts[0].uuid, "u-7");
  ASSERT_EQ(view_.pop_ups.size(), 2u);  // u-1 once, u-7 once
  EXPECT_EQ(view_.pop_ups[1].uuid, "u-7");
}

TEST_F(AlertPollerTest, AStartedTrayDoesNotPopUpWhatAnEarlierRunShowed) {
  agent_.alerts = {alertJson(1, "u-1", "warning", "open", "m")};
  const std::string file = dir_.file("state");
  {
    TrayState state(file);
    ASSERT_TRUE(state.load());
    AlertPoller poller(api_, state, view_, {});
    poller.step();
    ASSERT_EQ(view_.pop_ups.size(), 1u);
  }  // no explicit save: the poller saved when it popped up
  TrayState state(file);
  ASSERT_TRUE(state.load());
  RecordingView second;
  AlertPoller poller(api_, state, second, {});
  poller.step();
  EXPECT_TRUE(second.pop_ups.empty());
  EXPECT_EQ(second.states.back().open_count, 1);
}

TEST_F(AlertPollerTest, AnUnauthorizedAnswerIsAProblemNotAnEmptyList) {
  api_.on_get = [](const std::string&) {
    return HttpAnswer{401, R"({"error":"unauthorized","message":"bad secret"})"};
  };
  TrayState state;
  AlertPoller poller(api_, state, view_, {});
  EXPECT_GT(poller.step(), milliseconds(0));
  ASSERT_FALSE(view_.states.empty());
  EXPECT_FALSE(view_.states.back().connected);
  EXPECT_NE(view_.states.back().problem.find("401"), std::string::npos);
}

TEST_F(AlertPollerTest, RunEndsWhenStopIsRequested) {
  TrayState state;
  api_.down = true;
  AlertPoller poller(api_, state, view_, {});
  StopSignal stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    stop.requestStop();
  });
  const auto started = std::chrono::steady_clock::now();
  poller.run(stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

}  // namespace
}  // namespace cks::tray
