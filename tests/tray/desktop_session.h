// A throwaway desktop for the tray's end-to-end tests: Xvfb on a free display, a private D-Bus
// session (dbus-run-session) with the dunst notification daemon and dbus-monitor recording every
// org.freedesktop.Notifications.Notify call. Programs started through it (SessionProcess) get
// DISPLAY and DBUS_SESSION_BUS_ADDRESS. Every process runs in its own process group, ended with
// it. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cks::test {

// A program in its own process group (so its children end with it), output to `log_path`.
class SessionProcess {
 public:
  SessionProcess(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env, const std::string& log_path,
                 int pass_fd = -1);
  ~SessionProcess();  // SIGTERM to the group, then SIGKILL
  SessionProcess(const SessionProcess&) = delete;
  SessionProcess& operator=(const SessionProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running();
  // SIGTERM to the process; its exit code, or -1 when it did not end within `limit` (or died
  // of a signal).
  int terminate(std::chrono::milliseconds limit);
  // Waits for it to end by itself; as terminate().
  int wait(std::chrono::milliseconds limit);

 private:
  void endGroup();

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

class DesktopSession {
 public:
  // Starts everything under `dir`; throws std::runtime_error with the logs when it cannot.
  explicit DesktopSession(const std::string& dir);
  ~DesktopSession();

  [[nodiscard]] const std::string& display() const { return display_; }
  // DISPLAY, DBUS_SESSION_BUS_ADDRESS, and NO_AT_BRIDGE=1 (no accessibility bus to start).
  [[nodiscard]] std::map<std::string, std::string> environment() const;
  // The Notify calls recorded so far whose arguments contain `text`.
  [[nodiscard]] int notifications(const std::string& text) const;
  [[nodiscard]] std::string monitorLog() const;
  // `import -window root` into `png_path`; true when the file was written.
  bool screenshot(const std::string& png_path) const;

 private:
  std::string dir_;
  std::string display_;
  std::string bus_address_;
  std::unique_ptr<SessionProcess> xvfb_;
  std::unique_ptr<SessionProcess> bus_;
};

// `program` found in PATH.
bool haveProgram(const std::string& program);

}  // namespace cks::test
