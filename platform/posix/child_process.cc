// POSIX child processes with posix_spawn: safe in a multi-threaded daemon (no code runs between
// fork and exec) and closing every inherited descriptor, so a probe never holds the agent's
// listening socket or database file.
#include "platform/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace cks::platform {
namespace {

constexpr size_t kMaxStdout = 64u << 20;  // a probe of hundreds of tokens is a few MB
constexpr size_t kMaxStderr = 4096;

struct Spawned {
  pid_t pid;
  int out_fd;
  int err_fd;
};

Result<Spawned> spawnWithPipes(const std::vector<std::string>& argv, bool capture_stderr) {
  int out_pipe[2];
  int err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return fail("pipe: ", std::strerror(errno));
  if (capture_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return fail("pipe: ", std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  if (capture_stderr) close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    if (capture_stderr) close(err_pipe[0]);
    return fail("start ", argv[0], ": ", std::strerror(rc));
  }
  return Spawned{pid, out_pipe[0], err_pipe[0]};
}

void reap(pid_t pid, int& exit_code, int& signal_number) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) signal_number = WTERMSIG(status);
}

}  // namespace

Result<ChildOutcome> runChild(const std::vector<std::string>& argv,
                              std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  auto spawned = spawnWithPipes(argv, true);
  if (!spawned) return tl::unexpected(spawned.error());
  ChildOutcome outcome;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{spawned->out_fd, POLLIN, 0}, {spawned->err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      break;
    }
    if (cancel != nullptr && cancel->load()) {
      outcome.cancelled = true;
      break;
    }
    // Wake at least every 100 ms to notice a cancellation (agent shutdown).
    const int ready = poll(fds, 2, int(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) break;
    for (auto& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = read(fd.fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fd.fd);
        fd.fd = -1;
        --open_fds;
        continue;
      }
      if (fd.fd == spawned->out_fd) {
        if (outcome.out.size() < kMaxStdout) outcome.out.append(buffer, size_t(n));
      } else {
        outcome.err.append(buffer, size_t(n));
        if (outcome.err.size() > kMaxStderr) outcome.err.erase(0, outcome.err.size() - kMaxStderr);
      }
    }
  }
  if (outcome.timed_out || outcome.cancelled) kill(spawned->pid, SIGKILL);
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  reap(spawned->pid, outcome.exit_code, outcome.signal);
  if (outcome.signal != 0) outcome.signal_name = strsignal(outcome.signal);
  return outcome;
}

struct ChildProcess::Handle {
  pid_t pid;
  int out_fd;
};

ChildProcess::ChildProcess(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const std::vector<std::string>& argv) {
  auto spawned = spawnWithPipes(argv, false);
  if (!spawned) return tl::unexpected(spawned.error());
  return std::unique_ptr<ChildProcess>(
      new ChildProcess(std::make_unique<Handle>(Handle{spawned->pid, spawned->out_fd})));
}

ChildProcess::~ChildProcess() {
  kill(handle_->pid, SIGKILL);
  close(handle_->out_fd);
  int exit_code = 0, signal_number = 0;
  reap(handle_->pid, exit_code, signal_number);
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds wait, bool& ended) {
  ended = false;
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    pollfd fd{handle_->out_fd, POLLIN, 0};
    const int ready = poll(&fd, 1, int(wait.count()));
    if (ready <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t n = read(handle_->out_fd, chunk, sizeof chunk);
    if (n <= 0) {
      ended = true;
      return std::nullopt;
    }
    buffer_.append(chunk, size_t(n));
  }
}

}  // namespace cks::platform
