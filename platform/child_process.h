// Runs helper programs (cks-p11probe) as child processes, so that a PKCS#11 module that
// crashes, hangs or leaks harms only the child. The process is behind an opaque handle; the
// platform part lives in posix/ (and, for the Windows agent, windows/). Each object is used by
// one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace cks::platform {

struct ChildOutcome {
  bool timed_out = false;
  bool cancelled = false;
  int exit_code = -1;       // when it exited normally
  int signal = 0;           // when a signal ended it (SIGSEGV for a crashing module; POSIX only)
  std::string signal_name;  // the signal's description ("Segmentation fault")
  std::string out;          // everything it wrote to stdout (capped)
  std::string err;          // the last part of what it wrote to stderr
};

// Runs `argv` (argv[0] is the program path) to completion, capturing its output. It is killed
// (SIGKILL on POSIX) when it runs past `timeout` or when `*cancel` becomes true. An error only when
// the program could not be started at all.
[[nodiscard]] Result<ChildOutcome> runChild(const std::vector<std::string>& argv,
                                            std::chrono::milliseconds timeout,
                                            const std::atomic<bool>* cancel);

// A long-running child whose stdout is read line by line (the slot-event watcher).
class ChildProcess {
 public:
  [[nodiscard]] static Result<std::unique_ptr<ChildProcess>> spawn(
      const std::vector<std::string>& argv);
  ~ChildProcess();  // kills and reaps the child
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `wait` for a complete line. nullopt when none came; `ended` is set once the
  // child closed its stdout (exited).
  std::optional<std::string> readLine(std::chrono::milliseconds wait, bool& ended);

 private:
  struct Handle;  // the platform's process and pipe handles
  explicit ChildProcess(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
  std::string buffer_;
};

}  // namespace cks::platform
