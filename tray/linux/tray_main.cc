// cks-tray on Linux: an AppIndicator icon whose colour shows the worst open alert, its menu, and
// libnotify pop-ups, in the user's desktop session. The poller thread talks to the agent's
// local API; everything GTK happens on the main thread (g_idle_add). See docs/tray.md.
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libnotify/notify.h>

#include <glib-unix.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/messages.h"
#include "core/version.h"
#include "tray/core/alert_poller.h"
#include "tray/core/proving_connection.h"
#include "tray/core/tray_actions.h"
#include "tray/core/tray_config.h"
#include "tray/core/tray_menu.h"
#include "tray/core/tray_options.h"
#include "tray/core/tray_state.h"
#include "tray/linux/openssl_proof.h"
#include "tray/linux/posix_http_connection.h"

namespace cks::tray {
namespace {

constexpr const char* kDefaultConfig = "/etc/cks/agent.ini";

std::mutex log_mutex;

void logLine(const std::string& line) {
  std::lock_guard lock(log_mutex);
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", std::localtime(&now));
  std::cerr << stamp << " cks-tray: " << line << std::endl;
}

// $XDG_STATE_HOME/cks-tray/state, else ~/.local/state/cks-tray/state.
std::string defaultStateFile() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return std::string(state) + "/cks-tray/state";
  }
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/state/cks-tray/state";
}

// Writes a round icon of each colour as PNG into `dir` (cks-tray-grey.png, …): the indicator
// names them from its icon theme path, so no icon has to be installed system-wide.
bool writeIcons(const std::string& dir) {
  struct Colour {
    IconColour colour;
    guint8 r, g, b;
  };
  const Colour colours[] = {{IconColour::Grey, 0x9e, 0x9e, 0x9e},
                            {IconColour::Green, 0x2e, 0x7d, 0x32},
                            {IconColour::Amber, 0xf9, 0xa8, 0x25},
                            {IconColour::Red, 0xc6, 0x28, 0x28}};
  constexpr int kSize = 64;
  for (const auto& c : colours) {
    GdkPixbuf* pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, TRUE, 8, kSize, kSize);
    if (!pixbuf) return false;
    const int stride = gdk_pixbuf_get_rowstride(pixbuf);
    guint8* pixels = gdk_pixbuf_get_pixels(pixbuf);
    for (int y = 0; y < kSize; ++y) {
      for (int x = 0; x < kSize; ++x) {
        const double d = std::hypot(x + 0.5 - kSize / 2.0, y + 0.5 - kSize / 2.0);
        guint8* p = pixels + y * stride + x * 4;
        const bool rim = d > kSize / 2.0 - 5;
        p[0] = rim ? guint8(c.r * 2 / 3) : c.r;
        p[1] = rim ? guint8(c.g * 2 / 3) : c.g;
        p[2] = rim ? guint8(c.b * 2 / 3) : c.b;
        p[3] = d <= kSize / 2.0 - 1 ? 0xff : 0;
      }
    }
    const std::string path = dir + "/cks-tray-" + std::string(toString(c.colour)) + ".png";
    GError* error = nullptr;
    const bool saved = gdk_pixbuf_save(pixbuf, path.c_str(), "png", &error, nullptr);
    g_object_unref(pixbuf);
    if (!saved) {
      logLine("cannot write " + path + ": " + (error ? error->message : "?"));
      if (error) g_error_free(error);
      return false;
    }
  }
  return true;
}

// The GTK side: receives the poller's results on the poller thread and applies them on the
// main thread.
class GtkTray : public TrayView {
 public:
  GtkTray(Language language, std::string icon_dir, LocalApiConnection& api)
      : language_(language), icon_dir_(std::move(icon_dir)), actions_(api, language) {
    // Icons by absolute path, no icon theme path: libayatana-appindicator 0.5.92 reads past the
    // theme's search path when an icon changes in its GtkStatusIcon fallback with a theme path
    // set (a crash seen under ASan; upstream AyatanaIndicators/libayatana-appindicator#64).
    indicator_ = app_indicator_new("cks-tray", iconPath(IconColour::Grey).c_str(),
                                   APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
    app_indicator_set_title(indicator_, "cks-tray");
    app_indicator_set_status(indicator_, APP_INDICATOR_STATUS_ACTIVE);
    apply(TraySnapshot{});
  }
  ~GtkTray() override { g_object_unref(indicator_); }

  void showState(const TraySnapshot& snapshot) override {
    {
      std::lock_guard lock(mutex_);
      pending_snapshot_ = snapshot;
      has_snapshot_ = true;
    }
    g_idle_add(&GtkTray::onIdle, this);
  }

  void popUp(const TrayAlert& alert) override {
    logLine("pop-up (" + std::string(toString(alert.severity)) + ", " + alert.uuid +
            "): " + alert.message);
    {
      std::lock_guard lock(mutex_);
      pending_popups_.push_back({popUpTitle(alert, language_), alert.message, alert.severity});
    }
    g_idle_add(&GtkTray::onIdle, this);
  }

  void log(const std::string& line) override { logLine(line); }

  // Shows a sentence from a menu action (sync result, a failed acknowledge).
  void notice(const std::string& text) {
    {
      std::lock_guard lock(mutex_);
      pending_popups_.push_back({"cks-tray", text, AlertSeverity::Info});
    }
    g_idle_add(&GtkTray::onIdle, this);
  }

 private:
  struct PopUp {
    std::string title;
    std::string body;
    AlertSeverity severity;
  };
  struct ItemData {
    GtkTray* tray;
    MenuAction action;
    std::int64_t alert_id;
  };

  std::string iconPath(IconColour colour) const {
    return icon_dir_ + "/cks-tray-" + std::string(toString(colour)) + ".png";
  }

  static gboolean onIdle(gpointer self) {
    static_cast<GtkTray*>(self)->drain();
    return G_SOURCE_REMOVE;
  }

  void drain() {
    std::optional<TraySnapshot> snapshot;
    std::deque<PopUp> popups;
    {
      std::lock_guard lock(mutex_);
      if (has_snapshot_) snapshot = std::move(pending_snapshot_);
      has_snapshot_ = false;
      popups.swap(pending_popups_);
    }
    if (snapshot) apply(*snapshot);
    for (const auto& popup : popups) show(popup);
  }

  void apply(const TraySnapshot& snapshot) {
    current_ = snapshot;
    const std::string icon = iconPath(snapshot.colour);
    const std::string status = trayStatusLine(snapshot, language_);
    app_indicator_set_icon_full(indicator_, icon.c_str(), status.c_str());
    if (icon != last_icon_) {
      logLine("icon " + std::string(toString(snapshot.colour)) + ": " + status);
      last_icon_ = icon;
    }
    GtkWidget* menu = build(trayMenu(snapshot, language_));
    app_indicator_set_menu(indicator_, GTK_MENU(menu));
  }

  GtkWidget* build(const std::vector<MenuEntry>& entries) {
    GtkWidget* menu = gtk_menu_new();
    for (const auto& entry : entries) {
      GtkWidget* item = entry.separator ? gtk_separator_menu_item_new()
                                        : gtk_menu_item_new_with_label(entry.label.c_str());
      gtk_widget_set_sensitive(item, entry.enabled);
      if (!entry.submenu.empty()) {
        gtk_menu_item_set_submenu(GTK_MENU_ITEM(item), build(entry.submenu));
      } else if (entry.action != MenuAction::None) {
        auto* data = new ItemData{this, entry.action, entry.alert_id};
        g_object_set_data_full(G_OBJECT(item), "cks-item", data,
                               [](gpointer p) { delete static_cast<ItemData*>(p); });
        g_signal_connect(item, "activate", G_CALLBACK(&GtkTray::onActivate), data);
      }
      gtk_menu_shell_append(GTK_MENU_SHELL(menu), item);
    }
    gtk_widget_show_all(menu);
    return menu;
  }

  static void onActivate(GtkMenuItem*, gpointer data) {
    const auto* item = static_cast<const ItemData*>(data);
    item->tray->act(item->action, item->alert_id);
  }

  void act(MenuAction action, std::int64_t alert_id) {
    if (action == MenuAction::Quit) {
      gtk_main_quit();
      return;
    }
    postMenuAction(action, alert_id, current_, actions_, queue_,
                   [this](const std::string& text) { notice(text); });
  }

  void show(const PopUp& popup) {
    const std::string icon =
        icon_dir_ + "/cks-tray-" +
        std::string(popup.severity == AlertSeverity::Critical ? "red" : "amber") + ".png";
    NotifyNotification* notification =
        notify_notification_new(popup.title.c_str(), popup.body.c_str(), icon.c_str());
    notify_notification_set_urgency(notification, popup.severity == AlertSeverity::Critical
                                                      ? NOTIFY_URGENCY_CRITICAL
                                                      : NOTIFY_URGENCY_NORMAL);
    GError* error = nullptr;
    if (!notify_notification_show(notification, &error)) {
      logLine(std::string("cannot show a notification: ") + (error ? error->message : "?"));
      if (error) g_error_free(error);
    }
    g_object_unref(notification);
  }

  Language language_;
  std::string icon_dir_;
  TrayActions actions_;
  AppIndicator* indicator_ = nullptr;
  TraySnapshot current_;
  std::string last_icon_;

  std::mutex mutex_;
  TraySnapshot pending_snapshot_;
  bool has_snapshot_ = false;
  std::deque<PopUp> pending_popups_;

  ActionQueue queue_;  // last: its thread ends before the members it uses
};

gboolean onQuitSignal(gpointer) {
  logLine("stopping");
  gtk_main_quit();
  return G_SOURCE_CONTINUE;
}

int run(int argc, char** argv) {
  Language language = Language::Vietnamese;
  if (const char* lang = std::getenv("LANG"); lang && !parseLanguage(lang, language)) {
    language = Language::Vietnamese;
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (std::find(args.begin(), args.end(), "--version") != args.end()) {
    std::cout << "cks-tray " << kVersion << "\n";
    return 0;
  }
  auto options = parseTrayOptions(args, kDefaultConfig, language);
  if (!options) {
    std::cerr << options.error().message << "\n" << message(language, "tray.usage") << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << message(options->language.value_or(language), "tray.usage") << "\n";
    return 0;
  }
  auto config = loadTrayConfig(options->config, options->language.value_or(language));
  if (!config) {
    std::cerr << message(language, "cli.config_error", {config.error().message}) << "\n";
    return 2;
  }
  language = options->language.value_or(config->language);
  const std::string endpoint = "127.0.0.1:" + std::to_string(config->port);
  auto secret = readApiSecret(config->secret_file);
  if (!secret) {
    std::cerr << message(language, "cli.agent_unreachable", {endpoint, secret.error().message})
              << "\n";
    return 3;
  }
  // The secret goes only to a listener that proves it knows it (proving_connection.h).
  ProvingConnection api(std::make_unique<PosixHttpConnection>(config->port, ""),
                        std::make_unique<PosixHttpConnection>(config->port, *secret), *secret,
                        opensslProofCrypto());

  if (options->check) {
    TrayActions actions(api, language);
    auto line = actions.check();
    if (!line) {
      std::cerr << message(language, "cli.agent_unreachable", {endpoint, line.error().message})
                << "\n";
      return 3;
    }
    std::cout << *line << "\n";
    return 0;
  }

  if (!gtk_init_check(&argc, &argv)) {
    std::cerr << "cks-tray: cannot open the display (DISPLAY is not set or not reachable)\n";
    return 2;
  }
  notify_init("cks-tray");
  const std::string state_file =
      options->state_file.empty() ? defaultStateFile() : options->state_file;
  TrayState state(state_file);
  if (auto loaded = state.load(); !loaded) {
    logLine(loaded.error().message + " (starting with an empty state)");
  }

  char icon_template[] = "/tmp/cks-tray-icons-XXXXXX";
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string icon_dir;
  if (runtime && *runtime) {
    std::string pattern = std::string(runtime) + "/cks-tray-icons-XXXXXX";
    if (char* made = g_mkdtemp(pattern.data())) icon_dir = made;
  }
  if (icon_dir.empty()) {
    if (char* made = g_mkdtemp(icon_template)) icon_dir = made;
  }
  if (icon_dir.empty() || !writeIcons(icon_dir)) {
    std::cerr << "cks-tray: cannot write the tray icons\n";
    return 1;
  }
  logLine("started: agent at " + endpoint + ", state file " + state_file);

  int status = 0;
  {
    GtkTray tray(language, icon_dir, api);
    PollerOptions poller_options;
    poller_options.language = language == Language::English ? "en" : "vi";
    AlertPoller poller(api, state, tray, poller_options);
    StopSignal stop;
    std::thread polling([&] { poller.run(stop); });

    g_unix_signal_add(SIGTERM, onQuitSignal, nullptr);
    g_unix_signal_add(SIGINT, onQuitSignal, nullptr);
    if (options->quit_after_seconds > 0) {
      g_timeout_add_seconds(guint(options->quit_after_seconds), onQuitSignal, nullptr);
    }
    gtk_main();

    stop.requestStop();
    api.cancel();
    polling.join();
    if (auto saved = state.save(); !saved) {
      logLine(saved.error().message);
      status = 1;
    }
  }
  notify_uninit();
  std::error_code ignored;
  std::filesystem::remove_all(icon_dir, ignored);
  logLine("stopped");
  return status;
}

}  // namespace
}  // namespace cks::tray

int main(int argc, char** argv) {
  try {
    return cks::tray::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "cks-tray: " << e.what() << "\n";
    return 1;
  }
}
