#include "tests/tray/desktop_session.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace cks::test {

using namespace std::chrono_literals;

SessionProcess::SessionProcess(const std::vector<std::string>& argv,
                               const std::map<std::string, std::string>& env,
                               const std::string& log_path, int pass_fd) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [key, value] : env) merged[key] = value;
  std::vector<std::string> env_text;
  for (const auto& [key, value] : merged) env_text.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& arg : args) argp.push_back(arg.data());
  argp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (pass_fd >= 0) posix_spawn_file_actions_adddup2(&actions, pass_fd, 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  const int error = posix_spawnp(&pid_, argp[0], &actions, &attributes, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
  }
}

SessionProcess::~SessionProcess() { endGroup(); }

bool SessionProcess::running() {
  if (reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

int SessionProcess::wait(std::chrono::milliseconds limit) {
  const bool ended = eventually([this] { return !running(); }, limit);
  if (!ended || !WIFEXITED(status_)) return -1;
  return WEXITSTATUS(status_);
}

int SessionProcess::terminate(std::chrono::milliseconds limit) {
  if (running()) ::kill(pid_, SIGTERM);
  return wait(limit);
}

void SessionProcess::endGroup() {
  // The group's id is the leader's pid (POSIX_SPAWN_SETSID); children left behind go too.
  ::kill(-pid_, SIGTERM);
  if (!eventually([this] { return !running(); }, 3s)) ::kill(-pid_, SIGKILL);
  if (!reaped_) ::waitpid(pid_, &status_, 0);
  reaped_ = true;
  std::this_thread::sleep_for(50ms);
  ::kill(-pid_, SIGKILL);  // anything of the group still there
}

bool haveProgram(const std::string& program) {
  return runShell("command -v " + program + " >/dev/null 2>&1").exit_code == 0;
}

DesktopSession::DesktopSession(const std::string& dir) : dir_(dir) {
  // Xvfb picks a free display and writes its number to fd 3.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  xvfb_ = std::make_unique<SessionProcess>(
      std::vector<std::string>{"Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24",
                               "-nolisten", "tcp"},
      std::map<std::string, std::string>{}, dir + "/xvfb.log", fds[1]);
  ::close(fds[1]);
  std::string number;
  char c;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') number.push_back(c);
  ::close(fds[0]);
  if (number.empty())
    throw std::runtime_error("Xvfb did not start: " + readFile(dir + "/xvfb.log"));
  display_ = ":" + number;

  // The session bus lives as long as the script: dunst, the monitor, then the address.
  writeFile(
      dir + "/session.sh",
      "dunst > '" + dir +
          "/dunst.log' 2>&1 &\n"
          "dbus-monitor --session \"type='method_call',interface='org.freedesktop."
          "Notifications',member='Notify'\" > '" +
          dir +
          "/monitor.log' 2>&1 &\n"
          "for i in $(seq 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus "
          "/org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner "
          "string:org.freedesktop.Notifications 2>/dev/null | grep -q 'boolean true' && break; "
          "sleep 0.05; done\n"
          "echo \"$DBUS_SESSION_BUS_ADDRESS\" > '" +
          dir +
          "/bus.tmp'\n"
          "mv '" +
          dir + "/bus.tmp' '" + dir +
          "/bus.address'\n"
          "exec sleep 600\n");
  bus_ = std::make_unique<SessionProcess>(
      std::vector<std::string>{"dbus-run-session", "--", "sh", dir + "/session.sh"},
      std::map<std::string, std::string>{{"DISPLAY", display_}, {"NO_AT_BRIDGE", "1"}},
      dir + "/session.log");
  if (!eventually([&] { return !readFile(dir + "/bus.address").empty(); }, 10s)) {
    throw std::runtime_error("the D-Bus session did not start: " + readFile(dir + "/session.log"));
  }
  bus_address_ = readFile(dir + "/bus.address");
  while (!bus_address_.empty() && bus_address_.back() == '\n') bus_address_.pop_back();
}

DesktopSession::~DesktopSession() {
  bus_.reset();
  xvfb_.reset();
}

std::map<std::string, std::string> DesktopSession::environment() const {
  return {{"DISPLAY", display_}, {"DBUS_SESSION_BUS_ADDRESS", bus_address_}, {"NO_AT_BRIDGE", "1"}};
}

std::string DesktopSession::monitorLog() const { return readFile(dir_ + "/monitor.log"); }

int DesktopSession::notifications(const std::string& text) const {
  // dbus-monitor prints each call as a "method call … member=Notify" line, then its arguments.
  const std::string log = monitorLog();
  int count = 0;
  size_t at = 0;
  while ((at = log.find("member=Notify", at)) != std::string::npos) {
    const size_t next = log.find("method call", at);
    if (log.substr(at, next == std::string::npos ? std::string::npos : next - at).find(text) !=
        std::string::npos) {
      ++count;
    }
    at += 13;
  }
  return count;
}

bool DesktopSession::screenshot(const std::string& png_path) const {
  const auto result =
      runShell("import -display " + display_ + " -window root '" + png_path + "' 2>&1");
  return result.exit_code == 0 && !readFile(png_path).empty();
}

}  // namespace cks::test
