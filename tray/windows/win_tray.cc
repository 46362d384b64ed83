#include "tray/windows/win_tray.h"

#include <shellapi.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <cwchar>

#include "tray/windows/wide_text.h"

namespace cks::tray {
namespace {

constexpr UINT kIconMessage = WM_APP + 1;    // mouse events on the icon
constexpr UINT kUpdateMessage = WM_APP + 2;  // the poller or an action has something
constexpr UINT_PTR kQuitTimer = 1;
constexpr UINT_PTR kBalloonTimer = 2;
constexpr UINT kIconId = 1;
constexpr UINT kFirstCommand = 100;
constexpr ULONGLONG kBalloonMs = 6000;  // one balloon at a time; the shell keeps only the last

// A round icon of the colour (16x16, 32-bit with alpha).
HICON makeIcon(BYTE r, BYTE g, BYTE b) {
  constexpr int kSize = 16;
  BITMAPV5HEADER header{};
  header.bV5Size = sizeof header;
  header.bV5Width = kSize;
  header.bV5Height = -kSize;  // top-down
  header.bV5Planes = 1;
  header.bV5BitCount = 32;
  header.bV5Compression = BI_BITFIELDS;
  header.bV5RedMask = 0x00FF0000;
  header.bV5GreenMask = 0x0000FF00;
  header.bV5BlueMask = 0x000000FF;
  header.bV5AlphaMask = 0xFF000000;
  void* bits = nullptr;
  HDC screen = GetDC(nullptr);
  HBITMAP colour = CreateDIBSection(screen, reinterpret_cast<BITMAPINFO*>(&header), DIB_RGB_COLORS,
                                    &bits, nullptr, 0);
  ReleaseDC(nullptr, screen);
  if (!colour) return LoadIcon(nullptr, IDI_INFORMATION);
  auto* pixels = static_cast<DWORD*>(bits);
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      const double d = std::hypot(x + 0.5 - kSize / 2.0, y + 0.5 - kSize / 2.0);
      const bool inside = d <= kSize / 2.0 - 0.5;
      const bool rim = d > kSize / 2.0 - 2;
      const DWORD rr = rim ? r * 2 / 3 : r;
      const DWORD gg = rim ? g * 2 / 3 : g;
      const DWORD bb = rim ? b * 2 / 3 : b;
      pixels[y * kSize + x] = inside ? (0xFF000000u | (rr << 16) | (gg << 8) | bb) : 0;
    }
  }
  HBITMAP mask = CreateBitmap(kSize, kSize, 1, 1, nullptr);
  ICONINFO info{};
  info.fIcon = TRUE;
  info.hbmColor = colour;
  info.hbmMask = mask;
  HICON icon = CreateIconIndirect(&info);
  DeleteObject(colour);
  DeleteObject(mask);
  return icon ? icon : LoadIcon(nullptr, IDI_INFORMATION);
}

// Copies `text` into a fixed WCHAR field, cut to fit.
template <size_t N>
void copyField(WCHAR (&field)[N], const std::string& text) {
  const std::wstring wide = wideFromUtf8(shortenUtf8(text, N - 2));
  std::wcsncpy(field, wide.c_str(), N - 1);
  field[N - 1] = L'\0';
}

}  // namespace

WinTray::WinTray(HINSTANCE instance, Language language, LocalApiConnection& api)
    : instance_(instance), language_(language), actions_(api, language) {
  icons_[int(IconColour::Grey)] = makeIcon(0x9e, 0x9e, 0x9e);
  icons_[int(IconColour::Green)] = makeIcon(0x2e, 0x7d, 0x32);
  icons_[int(IconColour::Amber)] = makeIcon(0xf9, 0xa8, 0x25);
  icons_[int(IconColour::Red)] = makeIcon(0xc6, 0x28, 0x28);
}

WinTray::~WinTray() {
  if (window_) DestroyWindow(window_);
  for (HICON icon : icons_) DestroyIcon(icon);
}

bool WinTray::create() {
  WNDCLASSEXW window_class{};
  window_class.cbSize = sizeof window_class;
  window_class.lpfnWndProc = &WinTray::windowProc;
  window_class.hInstance = instance_;
  window_class.lpszClassName = L"cks-tray";
  if (!RegisterClassExW(&window_class)) {
    log("RegisterClassExW failed: " + std::to_string(GetLastError()));
    return false;
  }
  window_ = CreateWindowExW(0, L"cks-tray", L"cks-tray", WS_OVERLAPPED, 0, 0, 0, 0, nullptr,
                            nullptr, instance_, this);
  if (!window_) {
    log("CreateWindowExW failed: " + std::to_string(GetLastError()));
    return false;
  }
  // Explorer broadcasts this when it restarts: the icon must be added again.
  taskbar_created_ = RegisterWindowMessageW(L"TaskbarCreated");
  addIcon();
  apply(TraySnapshot{});
  return true;
}

void WinTray::addIcon() {
  NOTIFYICONDATAW data{};
  data.cbSize = sizeof data;
  data.hWnd = window_;
  data.uID = kIconId;
  data.uFlags = NIF_ICON | NIF_TIP | NIF_MESSAGE;
  data.uCallbackMessage = kIconMessage;
  data.hIcon = icons_[int(current_.colour)];
  copyField(data.szTip, trayStatusLine(current_, language_));
  if (!Shell_NotifyIconW(NIM_ADD, &data)) log("Shell_NotifyIconW(NIM_ADD) failed");
}

int WinTray::run(int quit_after_seconds) {
  if (quit_after_seconds > 0)
    SetTimer(window_, kQuitTimer, UINT(quit_after_seconds) * 1000, nullptr);
  SetTimer(window_, kBalloonTimer, 500, nullptr);
  MSG message;
  while (GetMessageW(&message, nullptr, 0, 0) > 0) {
    TranslateMessage(&message);
    DispatchMessageW(&message);
  }
  return int(message.wParam);
}

void WinTray::showState(const TraySnapshot& snapshot) {
  {
    std::lock_guard lock(mutex_);
    pending_snapshot_ = snapshot;
    has_snapshot_ = true;
  }
  PostMessageW(window_, kUpdateMessage, 0, 0);
}

void WinTray::popUp(const TrayAlert& alert) {
  log("pop-up (" + std::string(toString(alert.severity)) + ", " + alert.uuid +
      "): " + alert.message);
  {
    std::lock_guard lock(mutex_);
    pending_balloons_.push_back({popUpTitle(alert, language_), alert.message, alert.severity});
  }
  PostMessageW(window_, kUpdateMessage, 0, 0);
}

void WinTray::notice(const std::string& text) {
  {
    std::lock_guard lock(mutex_);
    pending_balloons_.push_back({"cks-tray", text, AlertSeverity::Info});
  }
  PostMessageW(window_, kUpdateMessage, 0, 0);
}

void WinTray::log(const std::string& line) {
  static std::mutex log_mutex;
  std::lock_guard lock(log_mutex);
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", std::localtime(&now));
  std::fprintf(stderr, "%s cks-tray: %s\n", stamp, line.c_str());
  std::fflush(stderr);
}

LRESULT CALLBACK WinTray::windowProc(HWND window, UINT message, WPARAM w, LPARAM l) {
  if (message == WM_NCCREATE) {
    auto* create = reinterpret_cast<CREATESTRUCTW*>(l);
    SetWindowLongPtrW(window, GWLP_USERDATA, reinterpret_cast<LONG_PTR>(create->lpCreateParams));
  }
  auto* self = reinterpret_cast<WinTray*>(GetWindowLongPtrW(window, GWLP_USERDATA));
  if (self && self->window_ == window) return self->handle(message, w, l);
  return DefWindowProcW(window, message, w, l);
}

LRESULT WinTray::handle(UINT message, WPARAM w, LPARAM l) {
  if (message == taskbar_created_ && taskbar_created_ != 0) {
    addIcon();
    return 0;
  }
  switch (message) {
    case kUpdateMessage:
      drain();
      return 0;
    case kIconMessage:
      if (LOWORD(l) == WM_RBUTTONUP || LOWORD(l) == WM_LBUTTONUP || LOWORD(l) == WM_CONTEXTMENU) {
        showMenu();
      }
      return 0;
    case WM_TIMER:
      if (w == kQuitTimer) {
        log("stopping (--quit-after)");
        PostMessageW(window_, WM_CLOSE, 0, 0);
      } else if (w == kBalloonTimer) {
        showNextBalloon();
      }
      return 0;
    case WM_CLOSE:
      DestroyWindow(window_);
      return 0;
    case WM_DESTROY: {
      NOTIFYICONDATAW data{};
      data.cbSize = sizeof data;
      data.hWnd = window_;
      data.uID = kIconId;
      Shell_NotifyIconW(NIM_DELETE, &data);
      window_ = nullptr;
      PostQuitMessage(0);
      return 0;
    }
    default:
      return DefWindowProcW(window_, message, w, l);
  }
}

void WinTray::drain() {
  std::optional<TraySnapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    if (has_snapshot_) snapshot = std::move(pending_snapshot_);
    has_snapshot_ = false;
    while (!pending_balloons_.empty()) {
      balloons_.push_back(std::move(pending_balloons_.front()));
      pending_balloons_.pop_front();
    }
  }
  if (snapshot) apply(*snapshot);
  showNextBalloon();
}

void WinTray::apply(const TraySnapshot& snapshot) {
  const bool colour_changed = snapshot.colour != current_.colour;
  current_ = snapshot;
  NOTIFYICONDATAW data{};
  data.cbSize = sizeof data;
  data.hWnd = window_;
  data.uID = kIconId;
  data.uFlags = NIF_ICON | NIF_TIP;
  data.hIcon = icons_[int(snapshot.colour)];
  const std::string status = trayStatusLine(snapshot, language_);
  copyField(data.szTip, status);
  Shell_NotifyIconW(NIM_MODIFY, &data);
  if (colour_changed) log("icon " + std::string(toString(snapshot.colour)) + ": " + status);
}

void WinTray::showNextBalloon() {
  if (balloons_.empty()) return;
  const ULONGLONG now = GetTickCount64();
  if (balloon_shown_at_ != 0 && now - balloon_shown_at_ < kBalloonMs) return;
  const Balloon balloon = std::move(balloons_.front());
  balloons_.pop_front();
  NOTIFYICONDATAW data{};
  data.cbSize = sizeof data;
  data.hWnd = window_;
  data.uID = kIconId;
  data.uFlags = NIF_INFO;
  copyField(data.szInfoTitle, balloon.title);
  copyField(data.szInfo, balloon.body);
  data.dwInfoFlags = balloon.severity == AlertSeverity::Critical  ? NIIF_ERROR
                     : balloon.severity == AlertSeverity::Warning ? NIIF_WARNING
                                                                  : NIIF_INFO;
  if (!Shell_NotifyIconW(NIM_MODIFY, &data)) log("Shell_NotifyIconW(NIF_INFO) failed");
  balloon_shown_at_ = now;
}

HMENU WinTray::buildMenu(const std::vector<MenuEntry>& entries) {
  HMENU menu = CreatePopupMenu();
  for (const auto& entry : entries) {
    if (entry.separator) {
      AppendMenuW(menu, MF_SEPARATOR, 0, nullptr);
      continue;
    }
    const std::wstring label = wideFromUtf8(entry.label);
    const UINT grey = entry.enabled ? 0 : MF_GRAYED;
    if (!entry.submenu.empty()) {
      AppendMenuW(menu, MF_POPUP | grey, reinterpret_cast<UINT_PTR>(buildMenu(entry.submenu)),
                  label.c_str());
    } else {
      UINT id = 0;
      if (entry.action != MenuAction::None) {
        commands_.push_back({entry.action, entry.alert_id});
        id = kFirstCommand + UINT(commands_.size() - 1);
      }
      AppendMenuW(menu, MF_STRING | grey, id, label.c_str());
    }
  }
  return menu;
}

void WinTray::showMenu() {
  commands_.clear();
  HMENU menu = buildMenu(trayMenu(current_, language_));
  POINT cursor;
  GetCursorPos(&cursor);
  SetForegroundWindow(window_);  // else the menu does not close when clicking elsewhere
  const UINT chosen = UINT(TrackPopupMenu(menu, TPM_RETURNCMD | TPM_NONOTIFY | TPM_RIGHTBUTTON,
                                          cursor.x, cursor.y, 0, window_, nullptr));
  DestroyMenu(menu);
  if (chosen >= kFirstCommand && chosen - kFirstCommand < commands_.size()) {
    act(commands_[chosen - kFirstCommand]);
  }
}

void WinTray::act(const Command& command) {
  if (command.action == MenuAction::Quit) {
    PostMessageW(window_, WM_CLOSE, 0, 0);
    return;
  }
  postMenuAction(command.action, command.alert_id, current_, actions_, queue_,
                 [this](const std::string& text) { notice(text); });
}

}  // namespace cks::tray
