#include "hub/hub_admin.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <optional>

#include "core/agency_code.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/hub_config.h"
#include "hub/hub_messages.h"
#include "hub/hub_pki.h"
#include "hub/hub_store.h"
#include "sync/protocol/inventory_json.h"

namespace cks::hub {
namespace {

constexpr auto kDefaultTtl = std::chrono::hours(72);
constexpr auto kLongestTtl = std::chrono::days(30);

// Display width of UTF-8 text: code points, not counting combining marks (U+0300–U+036F).
size_t displayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xc0) == 0x80) continue;
    if (byte == 0xcc ||
        (byte == 0xcd && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xb0)) {
      continue;
    }
    ++width;
  }
  return width;
}

// The header, a rule, then the rows; columns separated by two spaces.
std::string renderTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text += std::string(widths[i] - displayWidth(row[i]) + 2, ' ');
    }
    out += text + '\n';
  };
  for (size_t r = 0; r < rows.size(); ++r) {
    line(rows[r]);
    if (r == 0) {
      std::vector<std::string> rule;
      for (size_t width : widths) rule.push_back(std::string(width, '-'));
      line(rule);
    }
  }
  return out;
}

struct AdminLine {
  std::string command;
  bool json = false;
  std::optional<std::string> agency;
  std::optional<std::string> name;
  std::optional<std::string> ttl;
  std::optional<std::string> agent;
};

class Admin {
 public:
  Admin(const HubConfig& config, Language language, const Clock& clock, std::ostream& out,
        std::ostream& err)
      : config_(config), language_(language), clock_(clock), out_(out), err_(err) {}

  int run(const AdminLine& line) {
    if (line.command == "server-ca") return serverCa();
    auto store = openHubStore(config_.store);
    if (!store) return runtimeError(store.error());
    store_ = std::move(*store);
    if (line.command == "enroll-code") return enrollCode(line);
    if (line.command == "agents") return agents(line.json);
    if (line.command == "inventory") return inventory(*line.agency, line.json);
    if (line.command == "tokens") return tokens(*line.agency, line.json);
    return revoke(*line.agent);
  }

 private:
  std::string text(std::string_view key, std::initializer_list<std::string_view> args = {}) {
    return hubMessage(language_, key, args);
  }

  int runtimeError(const Error& error) {
    err_ << "cks-hub: " << error.message << '\n';
    return kExitRuntime;
  }

  int usageError(const std::string& message) {
    err_ << "cks-hub: " << message << '\n';
    return kExitUsage;
  }

  int serverCa() {
    auto pki = HubPki::open(config_.tls_dir, config_.server_names, config_.organization, clock_);
    if (!pki) return runtimeError(pki.error());
    out_ << (*pki)->serverCaPem();
    return kExitOk;
  }

  int enrollCode(const AdminLine& line) {
    auto code = AgencyCode::parse(*line.agency);
    if (!code) return usageError(text("bad_agency", {code.error().message}));
    std::chrono::seconds ttl = kDefaultTtl;
    if (line.ttl && (!parseSeconds(*line.ttl, ttl) || ttl.count() < 1 || ttl > kLongestTtl)) {
      return usageError(text("bad_ttl", {*line.ttl}));
    }
    auto existing = store_->agency(code->str());
    if (!existing) return runtimeError(existing.error());
    if (!*existing && (!line.name || line.name->empty())) {
      return usageError(text("name_required", {code->str()}));
    }
    const std::string name = line.name && !line.name->empty() ? *line.name : (*existing)->name;
    const TimePoint now = clock_.now();
    if (auto saved = store_->saveAgency({code->str(), name}, now); !saved) {
      return runtimeError(saved.error());
    }
    const std::string enroll_code = newEnrollCode();
    const TimePoint expires = now + ttl;
    if (auto added = store_->addEnrollCode(enrollCodeHash(enroll_code), code->str(), expires, now);
        !added) {
      return runtimeError(added.error());
    }
    // The code alone on the last line: scripts take it with `tail -n 1`.
    out_ << text("enroll_code.issued", {name, code->str(), formatIsoUtc(expires)}) << '\n'
         << enroll_code << '\n';
    return kExitOk;
  }

  int agents(bool json) {
    auto list = store_->agents();
    if (!list) return runtimeError(list.error());
    if (json) {
      Poco::JSON::Array array;
      for (const auto& a : *list) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("agency_code", a.agency_code);
        o->set("agency_name", a.agency_name);
        o->set("agent_id", a.agent_id);
        o->set("host", a.host);
        o->set("last_contact", a.last_contact ? Poco::Dynamic::Var(formatIsoUtc(*a.last_contact))
                                              : Poco::Dynamic::Var());
        o->set("last_seq", static_cast<Poco::Int64>(a.normal_acked));
        o->set("urgent_acked", static_cast<Poco::Int64>(a.urgent_acked));
        o->set("clock_offset_seconds",
               a.clock_offset_seconds ? Poco::Dynamic::Var(Poco::Int64(*a.clock_offset_seconds))
                                      : Poco::Dynamic::Var());
        o->set("agent_version", a.agent_version);
        o->set("backlog", static_cast<Poco::Int64>(a.backlog));
        o->set("enrolled_at", formatIsoUtc(a.enrolled_at));
        o->set("revoked", a.revoked);
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (list->empty()) {
      out_ << text("agents.none") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("col.agency"), text("col.host"), text("col.agent_id"), text("col.last_contact"),
         text("col.last_seq"), text("col.urgent"), text("col.clock_offset"), text("col.version"),
         text("col.backlog")}};
    for (const auto& a : *list) {
      rows.push_back({a.agency_code + " " + a.agency_name,
                      a.host + (a.revoked ? " (" + text("revoked") + ")" : ""), a.agent_id,
                      a.last_contact ? formatIsoUtc(*a.last_contact) : text("never"),
                      std::to_string(a.normal_acked), std::to_string(a.urgent_acked),
                      a.clock_offset_seconds ? std::to_string(*a.clock_offset_seconds) : "",
                      a.agent_version, std::to_string(a.backlog)});
    }
    out_ << text("agents.title") << '\n'
         << renderTable(rows) << text("agents.count", {std::to_string(list->size())}) << '\n';
    return kExitOk;
  }

  // The agency named on the command line, or exit 2 (bad code) / 1 (unknown here).
  std::optional<Agency> knownAgency(const std::string& text_code, int& exit_code) {
    auto code = AgencyCode::parse(text_code);
    if (!code) {
      exit_code = usageError(text("bad_agency", {code.error().message}));
      return std::nullopt;
    }
    auto agency = store_->agency(code->str());
    if (!agency) {
      exit_code = runtimeError(agency.error());
      return std::nullopt;
    }
    if (!*agency) {
      err_ << "cks-hub: " << text("agency.unknown", {code->str()}) << '\n';
      exit_code = kExitRuntime;
      return std::nullopt;
    }
    return **agency;
  }

  std::map<std::string, std::string> hostsByAgent() {
    std::map<std::string, std::string> hosts;
    if (auto list = store_->agents()) {
      for (const auto& a : *list) hosts[a.agent_id] = a.host;
    }
    return hosts;
  }

  int inventory(const std::string& agency_code, bool json) {
    int exit_code = kExitOk;
    const auto agency = knownAgency(agency_code, exit_code);
    if (!agency) return exit_code;
    auto certificates = store_->certificates({agency->code, ""});
    if (!certificates) return runtimeError(certificates.error());
    const TimePoint now = clock_.now();
    if (json) {
      Poco::JSON::Array array;
      for (const auto& c : *certificates) {
        auto o = sync::certificateJson(c.certificate, now, config_.expiring_days);
        o->set("agent_id", c.agent_id);  // extension: which agent reported it
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (certificates->empty()) {
      out_ << text("certs.none") << '\n';
      return kExitOk;
    }
    const auto hosts = hostsByAgent();
    std::vector<std::vector<std::string>> rows = {
        {text("col.holder"), text("col.kind"), text("col.status"), text("col.days_left"),
         text("col.expires"), text("col.token"), text("col.present"), text("col.host")}};
    for (const auto& hc : *certificates) {
      const auto& ic = hc.certificate;
      const auto& c = ic.certificate;
      const std::string status(toString(c.statusAt(now, config_.expiring_days)));
      const auto host = hosts.find(hc.agent_id);
      rows.push_back({c.common_name.empty() ? c.fingerprint_sha256.substr(0, 16) : c.common_name,
                      text("kind." + std::string(toString(c.kind))), text("certstatus." + status),
                      c.parsed() ? std::to_string(c.daysLeft(now)) : "",
                      c.parsed() ? formatVietnameseDate(c.not_after) : "", ic.token_serial,
                      text(ic.present ? "yes" : "no"),
                      host == hosts.end() ? hc.agent_id : host->second});
    }
    out_ << text("certs.title", {agency->name, agency->code}) << '\n'
         << renderTable(rows) << text("certs.count", {std::to_string(certificates->size())})
         << '\n';
    return kExitOk;
  }

  int tokens(const std::string& agency_code, bool json) {
    int exit_code = kExitOk;
    const auto agency = knownAgency(agency_code, exit_code);
    if (!agency) return exit_code;
    auto tokens = store_->tokens({agency->code, ""});
    if (!tokens) return runtimeError(tokens.error());
    if (json) {
      Poco::JSON::Array array;
      for (const auto& t : *tokens) {
        auto o = sync::tokenJson(t.token);
        o->set("agent_id", t.agent_id);  // extension: which agent reported it
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (tokens->empty()) {
      out_ << text("tokens.none") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("col.label"), text("col.serial"), text("col.manufacturer"), text("col.pin"),
         text("col.present"), text("col.certs"), text("col.host")}};
    for (const auto& ht : *tokens) {
      const auto& t = ht.token;
      rows.push_back({t.token.label, t.token.serial, t.token.manufacturer,
                      text("pin." + std::string(toString(t.token.pin_state))),
                      text(t.present ? "yes" : "no"), std::to_string(t.cert_count), t.last_host});
    }
    out_ << text("tokens.title", {agency->name, agency->code}) << '\n'
         << renderTable(rows) << text("tokens.count", {std::to_string(tokens->size())}) << '\n';
    return kExitOk;
  }

  int revoke(const std::string& agent_id) {
    auto revoked = store_->revokeAgent(agent_id);
    if (!revoked) return runtimeError(revoked.error());
    if (!*revoked) {
      err_ << "cks-hub: " << text("agent.unknown", {agent_id}) << '\n';
      return kExitRuntime;
    }
    out_ << text("agent.revoked", {agent_id}) << '\n';
    return kExitOk;
  }

  const HubConfig& config_;
  const Language language_;
  const Clock& clock_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<HubStore> store_;
};

}  // namespace

int runAdmin(const std::string& config_path, const std::vector<std::string>& args,
             Language language, const Clock& clock, std::ostream& out, std::ostream& err) {
  auto text = [&](std::string_view key, std::initializer_list<std::string_view> a = {}) {
    return hubMessage(language, key, a);
  };
  auto usage = [&](const std::string& problem) {
    err << "cks-hub: " << problem << " (cks-hub admin --help)\n";
    return kExitUsage;
  };
  AdminLine line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::optional<std::string>* target = nullptr;
    std::string option = arg;
    std::optional<std::string> inline_value;
    if (const auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      option = arg.substr(0, equals);
      inline_value = arg.substr(equals + 1);
    }
    if (option == "--agency") target = &line.agency;
    if (option == "--name") target = &line.name;
    if (option == "--ttl") target = &line.ttl;
    if (option == "--agent") target = &line.agent;
    if (target != nullptr) {
      if (inline_value) {
        *target = *inline_value;
      } else if (i + 1 < args.size()) {
        *target = args[++i];
      } else {
        return usage(text("missing_value", {option}));
      }
    } else if (arg == "--json") {
      line.json = true;
    } else if (arg.rfind("-", 0) == 0 || !line.command.empty()) {
      return usage(text("unknown_option", {arg}));
    } else {
      line.command = arg;
    }
  }
  static const std::map<std::string, std::vector<std::string>> kRequired = {
      {"server-ca", {}},           {"enroll-code", {"--agency"}}, {"agents", {}},
      {"inventory", {"--agency"}}, {"tokens", {"--agency"}},      {"revoke", {"--agent"}}};
  const auto command = kRequired.find(line.command);
  if (line.command.empty()) return usage(text("missing_command"));
  if (command == kRequired.end()) return usage(text("unknown_command", {line.command}));
  for (const auto& option : command->second) {
    const bool given = option == "--agency" ? line.agency.has_value() : line.agent.has_value();
    if (!given) return usage(text("missing_option", {line.command, option}));
  }
  auto config = loadHubConfig(config_path);
  if (!config) {
    err << "cks-hub: " << config.error().message << '\n';
    return kExitUsage;
  }
  return Admin(*config, language, clock, out, err).run(line);
}

}  // namespace cks::hub
