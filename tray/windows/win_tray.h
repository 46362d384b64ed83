// cks-tray's Windows face: a notification-area icon (Shell_NotifyIconW) whose colour shows the
// worst open alert, its popup menu, and balloons for new alerts. Owns a hidden window on the UI
// thread; the poller thread hands results over through PostMessageW. showState/popUp/log are
// thread-safe; everything else runs on the UI thread.
#pragma once

#include <windows.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "tray/core/alert_poller.h"
#include "tray/core/tray_actions.h"
#include "tray/core/tray_menu.h"

namespace cks::tray {

class WinTray : public TrayView {
 public:
  WinTray(HINSTANCE instance, Language language, LocalApiConnection& api);
  ~WinTray() override;
  WinTray(const WinTray&) = delete;
  WinTray& operator=(const WinTray&) = delete;

  // Creates the hidden window and the icon; false (with a log line) when Windows refuses.
  bool create();
  // Runs the message loop until Quit (or WM_CLOSE); returns the exit code.
  int run(int quit_after_seconds);

  void showState(const TraySnapshot& snapshot) override;
  void popUp(const TrayAlert& alert) override;
  void log(const std::string& line) override;

 private:
  struct Balloon {
    std::string title;
    std::string body;
    AlertSeverity severity;
  };
  struct Command {
    MenuAction action;
    std::int64_t alert_id;
  };

  static LRESULT CALLBACK windowProc(HWND window, UINT message, WPARAM w, LPARAM l);
  LRESULT handle(UINT message, WPARAM w, LPARAM l);
  void addIcon();
  void drain();
  void apply(const TraySnapshot& snapshot);
  void showMenu();
  HMENU buildMenu(const std::vector<MenuEntry>& entries);
  void act(const Command& command);
  void notice(const std::string& text);
  void showNextBalloon();

  HINSTANCE instance_;
  Language language_;
  TrayActions actions_;
  HWND window_ = nullptr;
  UINT taskbar_created_ = 0;
  HICON icons_[4] = {};
  TraySnapshot current_;
  std::vector<Command> commands_;
  std::deque<Balloon> balloons_;
  ULONGLONG balloon_shown_at_ = 0;

  std::mutex mutex_;
  TraySnapshot pending_snapshot_;
  bool has_snapshot_ = false;
  std::deque<Balloon> pending_balloons_;

  ActionQueue queue_;  // last: its thread ends before the members it uses
};

}  // namespace cks::tray
