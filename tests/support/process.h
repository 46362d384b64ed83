// Running real programs from tests: one-shot commands with their output, and long-running
// processes (the agent) that a test stops with SIGTERM or kills with SIGKILL.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace cks::test {

struct CommandResult {
  int exit_code = -1;  // -1 when a signal ended it
  std::string out;
  std::string err;
};

// Runs `argv` to completion with stdin from /dev/null; captures stdout and stderr.
CommandResult runCommand(const std::vector<std::string>& argv);

// Runs a shell command line (`sh -c`), for tools invoked with many arguments.
CommandResult runShell(const std::string& command_line);

// A program running in the background, its stdout and stderr going to `log_path`.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~BackgroundProcess();  // SIGKILL if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  [[nodiscard]] bool running();
  // Sends SIGTERM and waits up to `limit`; returns the exit code, or -1 if it did not exit
  // in time (it is then killed).
  int terminate(std::chrono::milliseconds limit, std::chrono::milliseconds* took = nullptr);
  void kill9();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};

// The build's output directory (CKS_BUILD_DIR, set by CTest) joined with `relative`.
std::string buildPath(const std::string& relative);

// A TCP port on 127.0.0.1 that was free a moment ago.
int freePort();

// Polls `condition` every 50 ms until it holds or `limit` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    struct timespec pause {
      0, 50'000'000
    };
    nanosleep(&pause, nullptr);
  }
  return condition();
}

}  // namespace cks::test
