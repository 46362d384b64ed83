// cks-tray on Windows: the notification-area icon, its menu and balloons for the agent's alerts
// (WinTray), the local API over WinHTTP, the poller on its own thread. `--check` asks the agent
// once and prints a line (to the console it was started from). See docs/tray.md.
#include <windows.h>
// After windows.h, which it needs.
#include <shellapi.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/messages.h"
#include "tray/core/alert_poller.h"
#include "tray/core/proving_connection.h"
#include "tray/core/tray_actions.h"
#include "tray/core/tray_config.h"
#include "tray/core/tray_options.h"
#include "tray/core/tray_state.h"
#include "tray/windows/cng_proof.h"
#include "tray/windows/wide_text.h"
#include "tray/windows/win_tray.h"
#include "tray/windows/winhttp_connection.h"

namespace cks::tray {
namespace {

// A GUI program has no console: print to the one it was started from, if any.
void attachConsole() {
  const HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  if (out != nullptr && out != INVALID_HANDLE_VALUE) return;  // redirected (or under wine)
  if (AttachConsole(ATTACH_PARENT_PROCESS)) {
    FILE* ignored = nullptr;
    freopen_s(&ignored, "CONOUT$", "w", stdout);
    freopen_s(&ignored, "CONOUT$", "w", stderr);
  }
}

void print(FILE* stream, const std::string& text) {
  std::fputs(text.c_str(), stream);
  std::fputs("\n", stream);
  std::fflush(stream);
}

// %ProgramData%\cks\agent.ini, where the agent's installer puts it.
std::string defaultConfig() {
  const wchar_t* data = _wgetenv(L"ProgramData");
  return (data ? utf8FromWide(data) : std::string("C:\\ProgramData")) + "\\cks\\agent.ini";
}

// %LOCALAPPDATA%\cks-tray\state.txt: per user, not roaming.
std::string defaultStateFile() {
  const wchar_t* local = _wgetenv(L"LOCALAPPDATA");
  return (local ? utf8FromWide(local) : std::string(".")) + "\\cks-tray\\state.txt";
}

int run(HINSTANCE instance) {
  int argc = 0;
  wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.push_back(utf8FromWide(argv[i]));
  LocalFree(argv);
  attachConsole();

  // Until the configuration says otherwise (an English Windows still gets Vietnamese: the
  // agency's staff read Vietnamese; [agent] language or --lang en switch).
  Language language = Language::Vietnamese;
  auto options = parseTrayOptions(args, defaultConfig(), language);
  if (!options) {
    print(stderr, options.error().message + "\n" + message(language, "tray.usage"));
    return 2;
  }
  if (options->help) {
    print(stdout, message(options->language.value_or(language), "tray.usage"));
    return 0;
  }
  auto config = loadTrayConfig(options->config, options->language.value_or(language));
  if (!config) {
    print(stderr, message(language, "cli.config_error", {config.error().message}));
    return 2;
  }
  language = options->language.value_or(config->language);
  const std::string endpoint = "127.0.0.1:" + std::to_string(config->port);
  auto secret = readApiSecret(config->secret_file);
  if (!secret) {
    print(stderr, message(language, "cli.agent_unreachable", {endpoint, secret.error().message}));
    return 3;
  }
  // The secret goes only to a listener that proves it knows it (proving_connection.h).
  ProvingConnection api(std::make_unique<WinHttpConnection>(config->port, ""),
                        std::make_unique<WinHttpConnection>(config->port, *secret), *secret,
                        cngProofCrypto());

  if (options->check) {
    TrayActions actions(api, language);
    auto line = actions.check();
    if (!line) {
      print(stderr, message(language, "cli.agent_unreachable", {endpoint, line.error().message}));
      return 3;
    }
    print(stdout, *line);
    return 0;
  }

  const std::string state_file =
      options->state_file.empty() ? defaultStateFile() : options->state_file;
  TrayState state(state_file);
  WinTray tray(instance, language, api);
  if (auto loaded = state.load(); !loaded) {
    tray.log(loaded.error().message + " (starting with an empty state)");
  }
  if (!tray.create()) return 1;
  tray.log("started: agent at " + endpoint + ", state file " + state_file);

  PollerOptions poller_options;
  poller_options.language = language == Language::English ? "en" : "vi";
  AlertPoller poller(api, state, tray, poller_options);
  StopSignal stop;
  std::mutex done_mutex;
  std::condition_variable done_changed;
  bool done = false;
  std::thread polling([&] {
    poller.run(stop);
    std::lock_guard lock(done_mutex);
    done = true;
    done_changed.notify_all();
  });

  const int status = tray.run(options->quit_after_seconds);

  stop.requestStop();
  api.cancel();
  {
    std::unique_lock lock(done_mutex);
    if (!done_changed.wait_for(lock, std::chrono::seconds(1), [&] { return done; })) {
      // WinHTTP (wine's in particular) may not abort a synchronous long poll when its handle is
      // closed. Nothing is lost by leaving now: the poller saves the state file after every
      // change, and the UI thread never touches it.
      tray.log("stopped (a long poll was still open)");
      std::fflush(stderr);
      ExitProcess(UINT(status));
    }
  }
  polling.join();
  if (auto saved = state.save(); !saved) tray.log(saved.error().message);
  tray.log("stopped");
  return status;
}

}  // namespace
}  // namespace cks::tray

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE, PWSTR, int) {
  try {
    return cks::tray::run(instance);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cks-tray: %s\n", e.what());
    return 1;
  }
}
