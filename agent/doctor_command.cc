#include "agent/doctor_command.h"

#include <sqlite3.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "agent/agent_config.h"
#include "agent/api_secret.h"
#include "agent/cksctl_command.h"
#include "agent/local_api_client.h"
#include "agent/store_lock.h"
#include "core/time_format.h"
#include "core/version.h"
#include "pkcs11/probe_runner.h"
#include "platform/host.h"
#include "sync/client/enrollment.h"

namespace cks::agent {
namespace {

using Poco::JSON::Object;

// Beyond this the agent warns too (agent status, alerts): expiry is judged on the hub's time.
constexpr long long kClockTolerance = 300;

enum class Verdict { Ok, Problem, Unchecked };

struct Finding {
  std::string check;  // config, module, store, secret, agent, enrolment, hub, clock
  Verdict verdict;
  std::string text;
  std::string fix;  // empty when nothing is to be done
};

std::string userName() { return platform::userName().value_or(platform::userId()); }

std::string octal(unsigned mode) {
  return std::to_string((mode >> 6) & 7) + std::to_string((mode >> 3) & 7) +
         std::to_string(mode & 7);
}

class Doctor {
 public:
  Doctor(const DoctorOptions& options, Language language) : options_(options), lang_(language) {}

  int run() {
    auto config = loadAgentConfig(options_.config_path, FileChecks::Skip, lang_);
    if (!config) {
      add("config", Verdict::Problem, "doctor.config_bad",
          {options_.config_path, config.error().message}, "doctor.config_fix", {});
      return report();
    }
    if (!options_.language) lang_ = config->language;
    // The full checks (module files, password files) say more than the reading alone.
    if (auto full = loadAgentConfig(options_.config_path, FileChecks::Check, lang_); !full) {
      add("config", Verdict::Problem, "doctor.config_bad",
          {options_.config_path, full.error().message}, "doctor.config_fix", {});
    } else {
      add("config", Verdict::Ok, "doctor.config_ok", {options_.config_path});
    }
    checkModules(*config);
    const auto secret = checkSecret(*config);
    const auto status = askStatus(*config, secret);
    checkStore(*config, status != nullptr);
    checkEnrolment(*config, status);
    checkHub(*config, secret, status);
    return report();
  }

 private:
  void add(const std::string& check, Verdict verdict, const std::string& key,
           std::initializer_list<std::string_view> args, const std::string& fix_key = "",
           std::initializer_list<std::string_view> fix_args = {}) {
    findings_.push_back({check, verdict, message(lang_, key, args),
                         fix_key.empty() ? std::string() : message(lang_, fix_key, fix_args)});
  }

  void checkModules(const AgentConfig& config) {
    if (config.modules.empty() && !config.use_p11kit) {
      add("module", Verdict::Problem, "doctor.module_none", {}, "doctor.module_none_fix");
      return;
    }
    const pkcs11::ProbeRunner runner({config.probe_path, config.probe_timeout});
    if (std::error_code error; !std::filesystem::exists(config.probe_path, error)) {
      add("module", Verdict::Problem, "doctor.probe_missing", {config.probe_path},
          "doctor.probe_missing_fix");
      return;
    }
    std::vector<std::string> modules = config.modules;
    if (config.use_p11kit) {
      if (auto registered = runner.registeredModules(nullptr)) {
        modules.insert(modules.end(), registered->begin(), registered->end());
      }
    }
    for (const auto& module : modules) {
      std::error_code error;
      if (module.find('/') != std::string::npos && !std::filesystem::exists(module, error)) {
        add("module", Verdict::Problem, "doctor.module_missing", {module},
            "doctor.module_missing_fix");
        continue;
      }
      const auto probed = runner.probe(module, nullptr);
      if (probed.outcome == pkcs11::ProbeOutcome::Ok) {
        add("module", Verdict::Ok, "doctor.module_ok",
            {module, std::to_string(probed.slot_count), std::to_string(probed.tokens.size())});
      } else {
        add("module", Verdict::Problem, "doctor.module_failed",
            {module, std::string(pkcs11::toString(probed.outcome)), probed.detail},
            "doctor.module_failed_fix");
      }
    }
  }

  // The secret when this user may read it.
  std::optional<std::string> checkSecret(const AgentConfig& config) {
    const std::string& path = config.api_secret_file;
    const std::string& group = config.api_secret_group;
    const platform::FileSharing sharing = platform::fileSharing(path);
    if (sharing.lookup != platform::FileSharing::Lookup::Found) {
      if (sharing.lookup == platform::FileSharing::Lookup::Missing) {
        add("secret", Verdict::Problem, "doctor.secret_missing", {path}, "doctor.start_agent");
      } else {
        add("secret", Verdict::Problem, "doctor.secret_denied", {path, userName()},
            "doctor.secret_denied_fix", {group.empty() ? "cks" : group, userName()});
      }
      return std::nullopt;
    }
    const unsigned mode = sharing.mode;
    if ((mode & 0007) != 0) {
      add("secret", Verdict::Problem, "doctor.secret_public", {path, octal(mode)},
          "doctor.secret_public_fix", {path});
    }
    const auto wanted = group.empty() ? std::nullopt : platform::groupId(group);
    if (!group.empty() && !wanted) {
      add("secret", Verdict::Unchecked, "doctor.group_missing", {group}, "doctor.group_missing_fix",
          {group});
    } else if (wanted && (sharing.group != *wanted || (mode & 0040) == 0)) {
      add("secret", Verdict::Problem, "doctor.secret_wrong_group",
          {path, sharing.group_name, octal(mode), group}, "doctor.secret_wrong_group_fix", {group});
    }
    auto secret = readApiSecret(path);
    if (!secret) {
      if (secret.error().kind == ApiSecretError::Kind::PermissionDenied) {
        add("secret", Verdict::Problem, "doctor.secret_denied", {path, userName()},
            "doctor.secret_denied_fix", {group.empty() ? "cks" : group, userName()});
      } else {
        add("secret", Verdict::Problem, "doctor.secret_unusable", {secret.error().message},
            "doctor.start_agent");
      }
      return std::nullopt;
    }
    add("secret", Verdict::Ok, "doctor.secret_ok",
        {path, octal(mode), sharing.group_name, userName()});
    return *secret;
  }

  // The agent's status, or null (said) when it does not answer or cannot be asked.
  Object::Ptr askStatus(const AgentConfig& config, const std::optional<std::string>& secret) {
    const LocalApiClient client(config.api_port, secret.value_or(""));
    const auto holder = storeLockHolder(config.store_path);
    const std::string pid = holder && *holder > 0 ? std::to_string(*holder) : "?";
    if (!secret) {
      add("agent", Verdict::Unchecked, "doctor.agent_unchecked", {client.endpoint()});
      return nullptr;
    }
    auto answer = client.request("GET", "/v1/status", std::chrono::seconds(10));
    if (!answer) {
      add("agent", Verdict::Problem, "doctor.agent_down",
          {client.endpoint(), answer.error().message}, "doctor.start_agent");
      return nullptr;
    }
    if (answer->http_status != 200) {
      add("agent", Verdict::Problem, "doctor.agent_error",
          {client.endpoint(), std::to_string(answer->http_status), answer->body},
          answer->http_status == 401 ? "doctor.agent_secret_fix" : "doctor.agent_log_fix");
      return nullptr;
    }
    try {
      auto status = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
      add("agent", Verdict::Ok, "doctor.agent_ok",
          {str(status, "agent_version"), pid, client.endpoint()});
      if (str(status, "agent_version") != kVersion) {
        add("agent", Verdict::Problem, "doctor.version_mismatch",
            {str(status, "agent_version"), kVersion}, "doctor.version_mismatch_fix");
      }
      return status;
    } catch (const Poco::Exception& e) {
      add("agent", Verdict::Problem, "doctor.agent_error",
          {client.endpoint(), "200", e.displayText()}, "doctor.agent_log_fix");
      return nullptr;
    }
  }

  void checkStore(const AgentConfig& config, bool agent_answered) {
    const std::string& path = config.store_path;
    if (agent_answered) {  // the agent opened it and checked its integrity at start-up
      add("store", Verdict::Ok, "doctor.store_in_use", {path});
      return;
    }
    if (const auto holder = storeLockHolder(path)) {
      add("store", Verdict::Problem, "doctor.store_locked",
          {path, std::to_string(*holder), std::to_string(config.api_port)}, "doctor.agent_log_fix");
      return;
    }
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      if (error && error != std::errc::no_such_file_or_directory) {
        add("store", Verdict::Unchecked, "doctor.store_unreadable", {path, error.message()});
      } else {
        add("store", Verdict::Problem, "doctor.store_missing", {path}, "doctor.start_agent");
      }
      return;
    }
    // Read-only, so that the doctor never changes what only cks-agent writes.
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::string verdict;
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      sqlite3_stmt* check = nullptr;
      rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &check, nullptr);
      if (rc == SQLITE_OK && sqlite3_step(check) == SQLITE_ROW) {
        verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
      } else {
        rc = sqlite3_errcode(db);
      }
      sqlite3_finalize(check);
    }
    const std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    if (verdict == "ok") {
      add("store", Verdict::Ok, "doctor.store_ok", {path});
    } else if (!verdict.empty()) {
      add("store", Verdict::Problem, "doctor.store_corrupt", {path, verdict},
          "doctor.store_corrupt_fix");
    } else if (rc == SQLITE_CANTOPEN || rc == SQLITE_PERM || rc == SQLITE_READONLY ||
               rc == SQLITE_AUTH) {
      add("store", Verdict::Unchecked, "doctor.store_unreadable", {path, why});
    } else {
      add("store", Verdict::Problem, "doctor.store_corrupt", {path, why},
          "doctor.store_corrupt_fix");
    }
  }

  void checkEnrolment(const AgentConfig& config, const Object::Ptr& status) {
    if (status && status->has("hub")) {
      const auto hub = status->getObject("hub");
      if (!hub->getValue<bool>("enrolled")) {
        add("enrolment", Verdict::Problem, "doctor.not_enrolled", {}, "doctor.not_enrolled_fix");
        return;
      }
      add("enrolment", Verdict::Ok, "doctor.enrolled",
          {str(hub, "url"), str(hub, "agency_name"), str(hub, "agency_code")});
      if (hub->has("refused") && !hub->isNull("refused")) {
        const auto refused = hub->getObject("refused");
        add("enrolment", Verdict::Problem, "doctor.refused",
            {localTime(str(refused, "since")), str(refused, "message")}, "doctor.refused_fix",
            {str(hub, "url")});
      }
      return;
    }
    // Without the agent: the enrolment's certificate, if this user may look.
    const auto certificate = std::filesystem::path(config.hub_dir) / sync::kAgentCertificateFile;
    std::error_code error;
    const bool exists = std::filesystem::exists(certificate, error);
    if (error && error != std::errc::no_such_file_or_directory) {
      add("enrolment", Verdict::Unchecked, "doctor.enrolment_unchecked",
          {certificate.string(), error.message()});
    } else if (exists) {
      add("enrolment", Verdict::Ok, "doctor.enrolment_files", {certificate.string()});
    } else {
      add("enrolment", Verdict::Problem, "doctor.not_enrolled", {}, "doctor.not_enrolled_fix");
    }
  }

  // One sync through the agent: the hub answers (or not), and its time gives the clock offset.
  void checkHub(const AgentConfig& config, const std::optional<std::string>& secret,
                const Object::Ptr& status) {
    if (!status || !status->has("hub") || !status->getObject("hub")->getValue<bool>("enrolled")) {
      add("hub", Verdict::Unchecked, "doctor.hub_unchecked", {});
      return;
    }
    const std::string url = str(status->getObject("hub"), "url");
    const LocalApiClient client(config.api_port, secret.value_or(""));
    auto answer =
        client.request("POST", "/v1/sync", config.hub_timeout * 4 + std::chrono::seconds(30));
    if (!answer || answer->http_status != 200) {
      add("hub", Verdict::Problem, "doctor.agent_down",
          {client.endpoint(), answer ? answer->body : answer.error().message},
          "doctor.agent_log_fix");
      return;
    }
    Object::Ptr sync;
    try {
      sync = Poco::JSON::Parser().parse(answer->body).extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
      add("hub", Verdict::Problem, "doctor.hub_failed", {url, e.displayText()},
          "doctor.agent_log_fix");
      return;
    }
    const std::string outcome = str(sync, "outcome");
    if (outcome == "unreachable") {
      add("hub", Verdict::Problem, "doctor.hub_unreachable", {url, str(sync, "message")},
          "doctor.hub_unreachable_fix");
    } else if (outcome == "refused") {
      add("hub", Verdict::Problem, "doctor.hub_refused", {url, str(sync, "message")},
          "doctor.refused_fix", {url});
    } else if (outcome != "ok") {
      add("hub", Verdict::Problem, "doctor.hub_failed", {url, str(sync, "message")},
          "doctor.agent_log_fix");
    } else {
      add("hub", Verdict::Ok, "doctor.hub_ok", {url});
    }
    if (sync->has("clock_offset_seconds") && !sync->isNull("clock_offset_seconds")) {
      const long long offset = sync->getValue<long long>("clock_offset_seconds");
      if (std::llabs(offset) > kClockTolerance) {
        add("clock", Verdict::Problem, "doctor.clock_off", {std::to_string(offset)},
            "doctor.clock_off_fix");
      } else {
        add("clock", Verdict::Ok, "doctor.clock_ok", {std::to_string(offset)});
      }
    } else if (outcome != "ok") {
      add("clock", Verdict::Unchecked, "doctor.clock_unchecked", {});
    }
  }

  // "2026-11-22T04:50:38Z" as this PC shows it.
  static std::string localTime(const std::string& iso) {
    const auto at = parseIsoUtc(iso);
    if (!at) return iso;
    const time_t seconds = at->time_since_epoch().count();
    const tm local = platform::localTime(seconds);
    char buffer[32];
    strftime(buffer, sizeof buffer, "%d/%m/%Y %H:%M", &local);
    return buffer;
  }

  int report() {
    int problems = 0;
    for (const auto& finding : findings_) problems += finding.verdict == Verdict::Problem;
    if (options_.json) {
      Poco::JSON::Array list;
      for (const auto& finding : findings_) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("check", finding.check);
        o->set("verdict", finding.verdict == Verdict::Ok        ? "ok"
                          : finding.verdict == Verdict::Problem ? "problem"
                                                                : "unchecked");
        o->set("message", finding.text);
        o->set("fix", finding.fix.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(finding.fix));
        list.add(o);
      }
      list.stringify(std::cout);
      std::cout << '\n';
      return problems == 0 ? 0 : 1;
    }
    std::cout << message(lang_, "doctor.title", {kVersion}) << '\n';
    for (const auto& finding : findings_) {
      const char* mark = finding.verdict == Verdict::Ok        ? "doctor.mark_ok"
                         : finding.verdict == Verdict::Problem ? "doctor.mark_problem"
                                                               : "doctor.mark_unchecked";
      std::cout << message(lang_, mark) << ' ' << finding.text << '\n';
      if (!finding.fix.empty()) std::cout << message(lang_, "doctor.fix", {finding.fix}) << '\n';
    }
    std::cout << (problems == 0 ? message(lang_, "doctor.all_well")
                                : message(lang_, "doctor.problems", {std::to_string(problems)}))
              << '\n';
    return problems == 0 ? 0 : 1;
  }

  const DoctorOptions& options_;
  Language lang_;
  std::vector<Finding> findings_;
};

}  // namespace

int doctorCommand(const DoctorOptions& options) {
  return Doctor(options, options.language.value_or(Language::Vietnamese)).run();
}

// doctor reads the configuration itself: a broken one is a finding, not a usage error.
int doctorCommandOf(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  if (!line.arguments.empty()) {
    std::cerr << message(invocation.language, "cli.unknown_command", {line.arguments[0]}) << '\n';
    return kExitUsage;
  }
  return doctorCommand({line.config, line.language, line.json});
}

}  // namespace cks::agent
