#include "platform/child_process.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace cks::platform {
namespace {

using namespace std::chrono_literals;

Result<ChildOutcome> runShell(const std::string& script, std::chrono::milliseconds timeout = 10s,
                              const std::atomic<bool>* cancel = nullptr) {
  return runChild({"/bin/sh", "-c", script}, timeout, cancel);
}

TEST(RunChildTest, CapturesStdoutStderrAndTheExitCode) {
  auto outcome = runShell("printf 'out\\n'; printf 'err\\n' >&2; exit 3");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 3);
  EXPECT_EQ(outcome->signal, 0);
  EXPECT_FALSE(outcome->timed_out);
  EXPECT_FALSE(outcome->cancelled);
  EXPECT_EQ(outcome->out, "out\n");
  EXPECT_EQ(outcome->err, "err\n");
}

TEST(RunChildTest, ASuccessfulRunExitsWithZero) {
  auto outcome = runShell("exit 0");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->exit_code, 0);
}

TEST(RunChildTest, KillsAChildThatRunsPastTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  auto outcome = runShell("echo started; exec sleep 30", 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->timed_out);
  EXPECT_EQ(outcome->signal, SIGKILL);
  EXPECT_FALSE(outcome->signal_name.empty());
  EXPECT_EQ(outcome->out, "started\n");  // what it wrote before is kept
  EXPECT_LT(took, 5s);
}

TEST(RunChildTest, ReportsTheSignalThatEndedTheChild) {
  auto outcome = runShell("kill -SEGV $$");
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->timed_out);
  EXPECT_EQ(outcome->signal, SIGSEGV);
  EXPECT_EQ(outcome->signal_name, strsignal(SIGSEGV));
}

TEST(RunChildTest, CancellationKillsTheChildEarly) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto outcome = runShell("exec sleep 30", 30s, &cancel);
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->cancelled);
  EXPECT_FALSE(outcome->timed_out);
  EXPECT_EQ(outcome->signal, SIGKILL);
  EXPECT_LT(took, 5s);
}

TEST(RunChildTest, AProgramThatCannotStartIsAnError) {
  auto outcome = runChild({"/nonexistent/cks-p11probe"}, 1s, nullptr);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message.rfind("start /nonexistent/cks-p11probe: ", 0), 0u)
      << outcome.error().message;
}

TEST(RunChildTest, TheChildReadsNothingFromOurStdin) {
  auto outcome = runShell("cat; echo end");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->out, "end\n");
  EXPECT_FALSE(outcome->timed_out);
}

TEST(ChildProcessTest, ReadsALongRunningChildLineByLine) {
  auto child = ChildProcess::spawn({"/bin/sh", "-c", "echo one; echo two; sleep 0.3; echo three"});
  ASSERT_TRUE(child) << child.error().message;
  bool ended = false;
  EXPECT_EQ((*child)->readLine(5s, ended), "one");
  EXPECT_EQ((*child)->readLine(5s, ended), "two");
  EXPECT_EQ((*child)->readLine(5s, ended), "three");
  EXPECT_FALSE(ended);
  EXPECT_EQ((*child)->readLine(5s, ended), std::nullopt);
  EXPECT_TRUE(ended);  // it closed its stdout
}

TEST(ChildProcessTest, NoLineWithinTheWaitIsNotTheEnd) {
  auto child = ChildProcess::spawn({"/bin/sh", "-c", "exec sleep 30"});
  ASSERT_TRUE(child);
  bool ended = true;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ((*child)->readLine(100ms, ended), std::nullopt);
  EXPECT_FALSE(ended);
  child->reset();  // kills the sleeping child: destruction does not wait 30 s
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace cks::platform
