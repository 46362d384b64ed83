// cks-agent: the background service at each agency. It keeps the inventory of the agency's
// tokens and certificates (scanning through cks-p11probe), and serves it on the local API.
//
//   cks-agent --config FILE          run in the foreground (systemd, or a console)
//   cks-agent --config FILE --once   scan once, record the result, exit
//   cks-agent --version              print the version, exit
// Exit codes: 0 success, 1 runtime failure (store, port), 2 usage or configuration error, or
// the store is in use by another cks-agent.

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/ServerApplication.h>

#include <cstring>
#include <iostream>
#include <string_view>

#include "agent/agent_config.h"
#include "agent/agent_service.h"
#include "agent/log_channels.h"
#include "agent/store_lock.h"
#include "core/version.h"
#include "platform/locations.h"
#include "platform/service.h"

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

class AgentApplication final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "configuration file")
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<AgentApplication>(
                              this, &AgentApplication::setConfig)));
    options.addOption(Poco::Util::Option("once", "", "scan once, record the result and exit")
                          .callback(Poco::Util::OptionCallback<AgentApplication>(
                              this, &AgentApplication::setOnce)));
    options.addOption(Poco::Util::Option("help", "h", "show this help")
                          .callback(Poco::Util::OptionCallback<AgentApplication>(
                              this, &AgentApplication::showHelp)));
  }

  int main(const std::vector<std::string>&) override {
    if (help_) return EXIT_OK;
    auto config = cks::agent::loadAgentConfig(config_path_);
    if (!config) {
      std::cerr << "cks-agent: " << config.error().message << '\n';
      return kExitUsage;
    }
    // One agent per store, before anything opens it or listens: a second agent would write the
    // same store and (with a port shared) answer half of the API's requests.
    auto lock = cks::agent::StoreLock::acquire(config->store_path);
    if (!lock) {
      std::cerr << "cks-agent: " << lock.error().message << '\n';
      return kExitUsage;
    }
    Poco::Logger& log = Poco::Logger::get("cks-agent");
    log.setChannel(cks::agent::makeLogChannel(*config));
    log.setLevel(config->log.level);

    const cks::SystemClock clock;
    const auto notifier = cks::platform::makeServiceNotifier();
    cks::agent::AgentService agent(*config, clock, *notifier, log);
    if (once_) {
      auto summary = agent.scanOnce();
      if (!summary) {
        std::cerr << "cks-agent: " << summary.error().message << '\n';
        return kExitRuntime;
      }
      return EXIT_OK;
    }
    // Before any thread starts: every thread inherits it (platform/service.h).
    cks::platform::holdStopRequestsForMain();
    if (auto started = agent.start(); !started) {
      std::cerr << "cks-agent: " << started.error().message << '\n';
      log.critical(started.error().message);
      return kExitRuntime;
    }
    waitForTerminationRequest();
    agent.stop();
    return EXIT_OK;
  }

 private:
  void setConfig(const std::string&, const std::string& value) { config_path_ = value; }
  void setOnce(const std::string&, const std::string&) { once_ = true; }
  void showHelp(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter formatter(options());
    formatter.setCommand(commandName());
    formatter.setUsage("--config FILE [--once] | --version");
    formatter.setHeader("cks-agent: inventory of PKCS#11 tokens and their certificates.");
    formatter.format(std::cout);
    help_ = true;
    stopOptionsProcessing();
  }

  std::string config_path_ = cks::platform::configFolder() + "/agent.ini";
  bool once_ = false;
  bool help_ = false;
};

// Poco answers a bad option with its own exit code and a log line; checks outside the project
// rely on exit code 2 and one clear line, so the command line is checked here first.
bool commandLineIsValid(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" || arg == "-c") {
      if (++i >= argc) {
        std::cerr << "cks-agent: --config needs a file name\n";
        return false;
      }
      continue;
    }
    if (arg == "--version") continue;
    if (arg.rfind("--config=", 0) == 0 || arg == "--once" || arg == "--help" || arg == "-h" ||
        arg == "--daemon" || arg.rfind("--pidfile=", 0) == 0 || arg.rfind("--umask=", 0) == 0) {
      continue;
    }
    std::cerr << "cks-agent: unknown argument \"" << arg
              << "\" (usage: cks-agent --config FILE [--once] | --version)\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!commandLineIsValid(argc, argv)) return kExitUsage;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--version") {
      std::cout << "cks-agent " << cks::kVersion << '\n';
      return 0;
    }
  }
  cks::platform::ignoreBrokenPipes();
  cks::platform::createOwnerOnlyFromNowOn();
  AgentApplication app;
  return app.run(argc, argv);
}
