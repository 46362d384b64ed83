// cks-hub: the province's hub. Agents sync with it over mutual TLS; the province runs admin
// commands on its store and PKI.
//
//   cks-hub --config FILE                      run the sync server in the foreground
//   cks-hub --config FILE admin COMMAND …      an admin command (cks-hub admin --help)
//   cks-hub messages [--json]                  the message catalogue (hub/messages_command.h)
//   cks-hub --version                          print the version, exit
// --config FILE (default /etc/cks/hub.ini) and --lang vi|en may stand anywhere on the line.
// Exit codes: 0 success, 1 runtime failure (store, PKI, port), 2 usage or configuration error.

#include <Poco/Util/ServerApplication.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/version.h"
#include "hub/console/console_api.h"
#include "hub/console/console_server.h"
#include "hub/console/session_table.h"
#include "hub/hub_admin.h"
#include "hub/hub_config.h"
#include "hub/hub_messages.h"
#include "hub/hub_pki.h"
#include "hub/messages_command.h"
#include "hub/province/revocation_service.h"
#include "hub/revocation_refresh.h"
#include "hub/store/hub_store.h"
#include "hub/sync_api.h"
#include "hub/sync_server.h"
#include "platform/locations.h"
#include "platform/service.h"

namespace {

using cks::hub::kExitRuntime;
using cks::hub::kExitUsage;

constexpr char kUsage[] =
    "usage: cks-hub [--config FILE] [--lang vi|en]                run the hub\n"
    "       cks-hub [--config FILE] [--lang vi|en] admin COMMAND  (cks-hub admin --help)\n"
    "       cks-hub [--lang vi|en] messages [--json]              the message catalogue\n"
    "       cks-hub --version\n";

class HubApplication final : public Poco::Util::ServerApplication {
 public:
  HubApplication(std::string config_path, cks::Language language)
      : config_path_(std::move(config_path)), language_(language) {}

 protected:
  // Everything happens in main(): initialize() must stay short, or a SIGTERM that arrives before
  // waitForTerminationRequest() kills the process without a clean stop.
  int main(const std::vector<std::string>&) override {
    auto config = cks::hub::loadHubConfig(config_path_, language_);
    if (!config) {
      std::cerr << "cks-hub: " << config.error().message << '\n';
      return kExitUsage;
    }
    Poco::Logger& log = Poco::Logger::get("cks-hub");
    log.setChannel(cks::common::makeLogChannel(config->log));
    log.setLevel(config->log.level);

    const cks::SystemClock clock;
    auto store = cks::hub::openHubStore(config->store);
    if (!store) return runtimeFailure(log, store.error().message);
    auto pki =
        cks::hub::HubPki::open(config->tls_dir, config->server_names, config->organization, clock);
    if (!pki) return runtimeFailure(log, pki.error().message);

    // Before any thread starts: every thread inherits it (platform/service.h).
    cks::platform::holdStopRequestsForMain();

    cks::hub::SyncApi api((*store)->registry(), (*store)->ingest(), (*store)->views(), **pki, clock,
                          log, config->requests, config->province, config->agent_daily_volume);
    auto server = cks::hub::SyncServer::start(
        {config->bind, config->port, config->max_body, config->threads, config->request_deadline,
         config->connections_per_address, config->unenrolled_connections},
        **pki, api, log);
    if (!server) return runtimeFailure(log, server.error().message);
    log.information("cks-hub " CKS_VERSION " listening on " + config->bind + ":" +
                    std::to_string((*server)->port()) + " (store " + config->store.path + ", tls " +
                    config->tls_dir + ")");
    // The staff's console, on its own port when [console] sets one.
    cks::hub::SessionTable sessions(clock, config->console.idle_timeout,
                                    config->console.session_lifetime);
    cks::hub::ConsoleApi console_api(**store, clock, sessions, *config);
    // What a new enrolment code tells the commune: the sync port under the hub's first server
    // name (its certificate names it; localhost when none is set) and the CA to trust.
    std::string host = config->server_names.empty() ? "localhost" : config->server_names.front();
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    console_api.setEnrolmentTarget({"https://" + host + ":" + std::to_string((*server)->port()),
                                    (*pki)->serverCaPem(), (*pki)->serverCaFingerprint()});
    std::unique_ptr<cks::hub::ConsoleServer> console;
    if (config->console.enabled()) {
      auto started = cks::hub::ConsoleServer::start(config->console, **pki, console_api, log);
      if (!started) return runtimeFailure(log, started.error().message);
      console = std::move(*started);
      log.information("console listening on https://" + config->console.bind + ":" +
                      std::to_string(console->port()) + "/");
    }
    // The CAs' revocation lists, kept current in the background when [revocation] is set.
    std::optional<cks::hub::RevocationService> revocation;
    std::unique_ptr<cks::hub::RevocationRefresh> refresh;
    if (config->revocation.enabled()) {
      auto opened = cks::hub::RevocationService::open((*store)->revocations(), *config, clock, log);
      if (!opened) return runtimeFailure(log, opened.error().message);
      revocation.emplace(std::move(*opened));
      refresh = std::make_unique<cks::hub::RevocationRefresh>(*revocation, clock, log);
    }
    waitForTerminationRequest();
    log.information("stopping");
    if (refresh) refresh->stop();
    if (console) console->stop();
    (*server)->stop();
    return EXIT_OK;
  }

 private:
  static int runtimeFailure(Poco::Logger& log, const std::string& message) {
    std::cerr << "cks-hub: " << message << '\n';
    log.critical(message);
    return kExitRuntime;
  }

  std::string config_path_;
  cks::Language language_;
};

struct CommandLine {
  std::string config_path = cks::platform::configFolder() + "/hub.ini";
  cks::Language language = cks::Language::Vietnamese;
  bool admin = false;
  bool messages = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> admin_args;
  std::vector<std::string> messages_args;
  std::vector<std::string> service_args;  // ServerApplication's own (--daemon, --pidfile=…)
};

// Poco answers a bad option with its own exit code and a log line; checks outside the project
// rely on exit code 2 and one clear line, so the command line is read here, not by Poco.
bool parseCommandLine(int argc, char** argv, CommandLine& line) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view option) -> std::optional<std::string> {
      if (arg == option) {
        if (i + 1 < argc) return std::string(argv[++i]);
        std::cerr << "cks-hub: " << option << " needs a value\n";
        return std::nullopt;
      }
      return std::string(arg.substr(option.size() + 1));
    };
    if (arg == "--config" || arg == "-c" || arg.rfind("--config=", 0) == 0) {
      const auto path = value(arg == "-c" ? "-c" : "--config");
      if (!path) return false;
      line.config_path = *path;
    } else if (arg == "--lang" || arg.rfind("--lang=", 0) == 0) {
      const auto language = value("--lang");
      if (!language) return false;
      if (!cks::parseLanguage(*language, line.language)) {
        std::cerr << "cks-hub: "
                  << cks::hub::hubMessage(cks::Language::Vietnamese, "bad_language", {*language})
                  << '\n';
        return false;
      }
    } else if (arg == "--help" || arg == "-h") {
      line.help = true;
    } else if (arg == "--version" && !line.admin) {
      line.version = true;
    } else if (line.admin) {
      line.admin_args.emplace_back(arg);
    } else if (line.messages) {
      line.messages_args.emplace_back(arg);
    } else if (arg == "admin") {
      line.admin = true;
    } else if (arg == "messages") {
      line.messages = true;
    } else if (arg == "--daemon" || arg.rfind("--pidfile=", 0) == 0 ||
               arg.rfind("--umask=", 0) == 0) {
      line.service_args.emplace_back(arg);
    } else {
      std::cerr << "cks-hub: unknown argument \"" << arg << "\"\n" << kUsage;
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine line;
  if (!parseCommandLine(argc, argv, line)) return kExitUsage;
  if (line.version) {
    std::cout << "cks-hub " << cks::kVersion << '\n';
    return 0;
  }
  if (line.help) {
    std::cout << (line.admin      ? cks::hub::hubMessage(line.language, "admin.usage") + "\n"
                  : line.messages ? cks::hub::hubMessage(line.language, "messages.usage") + "\n"
                                  : std::string(kUsage));
    return 0;
  }
  cks::platform::ignoreBrokenPipes();
  if (line.messages) {
    return cks::hub::messagesCommand(line.messages_args, line.language, std::cout, std::cerr);
  }
  if (line.admin) {
    const cks::SystemClock clock;
    return cks::hub::runAdmin(line.config_path, line.admin_args, line.language, clock, std::cout,
                              std::cerr);
  }
  cks::platform::createOwnerOnlyFromNowOn();  // the service only: admin exports are the user's
  std::vector<char*> poco_argv = {argv[0]};
  for (auto& arg : line.service_args) poco_argv.push_back(arg.data());
  HubApplication app(line.config_path, line.language);
  return app.run(int(poco_argv.size()), poco_argv.data());
}
