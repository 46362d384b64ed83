#include "hub/hub_admin.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "core/agency_code.h"
#include "core/alert.h"
#include "core/prefix_match.h"
#include "core/report.h"
#include "core/request.h"
#include "core/text_table.h"
#include "core/time_format.h"
#include "core/working_days.h"
#include "hub/agency_directory.h"
#include "hub/enroll_code.h"
#include "hub/hub_config.h"
#include "hub/hub_messages.h"
#include "hub/hub_pki.h"
#include "hub/hub_store.h"
#include "hub/upstream.h"
#include "platform/host.h"
#include "platform/terminal.h"
#include "print/report_documents.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {
namespace {

constexpr auto kDefaultTtl = std::chrono::hours(72);
constexpr auto kLongestTtl = std::chrono::days(30);
// `report deadline` without --remind-from: the officer is reminded a month ahead.
constexpr int kDefaultReminderDays = 30;
// `expiring --days`: a hundred years covers every certificate there is.
constexpr int kMostExpiringDays = 36500;

// The width `admin` tables fit: COLUMNS when set, else the terminal's, else 80
// (core/text_table.h).
size_t adminTableWidth() { return platform::outputTableWidth(); }

struct AdminLine {
  std::string command;
  bool json = false;
  bool wide = false;  // tables whole, not fitted to the terminal
  std::optional<std::string> agency;
  std::optional<std::string> name;
  std::optional<std::string> ttl;
  std::optional<std::string> agent;
  std::optional<std::string> days;
  std::optional<std::string> state;
  std::optional<std::string> reason;
  std::optional<std::string> reference;
  std::optional<std::string> by;
  std::optional<std::string> into;  // merger publish
  std::optional<std::string> from;
  std::optional<std::string> keep;
  std::optional<std::string> decision;
  std::optional<std::string> year;         // report
  std::optional<std::string> date;         // report deadline
  std::optional<std::string> remind_from;  // report deadline
  std::optional<std::string> output;       // report province -o
  std::optional<std::string> hub;          // upstream enroll
  std::optional<std::string> code;
  std::optional<std::string> hub_ca;
  std::optional<std::string> type;  // enroll-code: the agency's type
  bool force = false;
  bool rename = false;                // enroll-code: the name given replaces the agency's name
  bool yes = false;                   // revoke: no question on a terminal
  std::vector<std::string> operands;  // after the command: `request ACTION ID`, `merger publish`
  bool all = false;
};

// The name the journal gives an admin who did not say --by: the OS user running the command.
std::string osUserName() { return platform::userName().value_or("uid " + platform::userId()); }

// `text` without the spaces around it.
std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// A calendar day as dd/mm/yyyy.
std::string vietnameseDay(Date day) { return formatVietnameseDate(TimePoint(day)); }

// A request is overdue while it is open and the end of its due day has passed.
bool isOverdue(const HubRequest& h, TimePoint now) {
  if (isTerminal(h.request.state) || !h.due_date) return false;
  return Deadline{*h.due_date, vietnamMidnight(*h.due_date + std::chrono::days(1))}.overdue(now);
}

class Admin {
 public:
  Admin(const HubConfig& config, Language language, const Clock& clock, std::ostream& out,
        std::ostream& err, size_t table_width)
      : config_(config),
        language_(language),
        clock_(clock),
        out_(out),
        err_(err),
        table_width_(table_width) {}

  int run(const AdminLine& line) {
    if (line.command == "server-ca") return serverCa();
    if (line.command == "upstream") return upstream(line);
    // The hub creates its store on its first start; an admin command on a path that holds none
    // is a wrong [store] url, and an empty store there would hide it ("no agents").
    const auto exists = hubStoreExists(config_.store);
    if (!exists) return runtimeError(exists.error());
    if (!*exists) {
      return usageError(text("store.missing", {config_.store.path}));
    }
    auto store = openHubStore(config_.store);
    if (!store) return runtimeError(store.error());
    store_ = std::move(*store);
    if (line.command == "enroll-code") return enrollCode(line);
    if (line.command == "agents") return agents(line.json);
    if (line.command == "inventory") return inventory(*line.agency, line.json);
    if (line.command == "tokens") return tokens(*line.agency, line.json);
    if (line.command == "alerts") return alerts(line.agency, line.all, line.json);
    if (line.command == "expiring") return expiring(*line.days, line.agency, line.json);
    if (line.command == "requests") return requests(line);
    if (line.command == "request") return requestStep(line);
    if (line.command == "merger") return publishMerger(line);
    if (line.command == "report") return report(line);
    if (line.command == "agencies") return agencies(line);
    if (line.command == "codes") return codes(line);
    return revoke(*line.agent, line.yes);
  }

 private:
  std::string text(std::string_view key, std::initializer_list<std::string_view> args = {}) {
    return hubMessage(language_, key, args);
  }

  // The header row, a rule, then the rows, fitted to the terminal unless --wide; `flexible`
  // are the columns of long text that wrap first, `fixed` those kept whole (core/text_table.h).
  std::string renderTable(const std::vector<std::vector<std::string>>& rows,
                          std::initializer_list<size_t> flexible = {},
                          std::initializer_list<size_t> fixed = {}) const {
    if (rows.empty()) return {};
    TextTable table(rows.front());
    for (const size_t column : flexible) table.flexible(column);
    for (const size_t column : fixed) table.fixed(column);
    // Dates and times stay whole ("05/12/2026 18:34" is 16 columns).
    for (size_t column = 0; column < rows.front().size(); ++column) {
      bool all_times = rows.size() > 1;
      for (size_t r = 1; r < rows.size() && all_times; ++r) {
        const std::string& cell = column < rows[r].size() ? rows[r][column] : "";
        all_times = cell.empty() || (cell.size() >= 10 && cell[2] == '/' && cell[5] == '/');
      }
      if (all_times) table.fixed(column);
    }
    for (size_t r = 1; r < rows.size(); ++r) table.addRow(rows[r]);
    return table.render(table_width_);
  }

  // An instant as text: "dd/mm/yyyy HH:MM" (or the date alone) in [display] time_zone.
  std::string shownTime(TimePoint at) const {
    return formatLocalDateTime(at, config_.display_zone);
  }
  std::string shownDate(TimePoint at) const { return formatLocalDate(at, config_.display_zone); }
  // A request id as tables show it: its first group (a unique prefix names it), whole with --wide.
  std::string shownId(const std::string& id) const {
    return table_width_ == 0 ? id : id.substr(0, kShortestPrefix);
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
    std::optional<AgencyType> type;
    if (line.type) {
      if (AgencyType parsed{}; parseAgencyType(*line.type, parsed)) {
        type = parsed;
      } else {
        return usageError(text("bad_type", {*line.type}));
      }
    }
    const std::string given = line.name ? trimmed(*line.name) : "";
    if (line.rename && given.empty()) return usageError(text("enroll_code.rename_needs_name"));
    auto existing = store_->agency(code->str());
    if (!existing) return runtimeError(existing.error());
    if (!*existing && given.empty()) return usageError(text("name_required", {code->str()}));
    // A name that differs from the directory's is a rename only when the province says so: a
    // name typed from memory (without diacritics, say) must not replace the agency's own.
    if (*existing && !given.empty() && given != (*existing)->name && !line.rename) {
      return usageError(text("enroll_code.rename_needed", {code->str(), (*existing)->name, given}));
    }
    const std::string name = given.empty() ? (*existing)->name : given;
    const TimePoint now = clock_.now();
    if (auto saved = store_->saveAgency({code->str(), name, type, ""}, now); !saved) {
      return runtimeError(saved.error());
    }
    if (!*existing && !type) {
      err_ << "cks-hub: " << text("enroll_code.type_unknown", {code->str()}) << '\n';
    }
    const std::string enroll_code = newEnrollCode();
    const TimePoint expires = now + ttl;
    if (auto added = store_->addEnrollCode(enrollCodeHash(enroll_code), code->str(), expires, now);
        !added) {
      return runtimeError(added.error());
    }
    // The code alone on the last line: scripts take it with `tail -n 1`.
    out_ << text("enroll_code.issued", {name, code->str(), shownTime(expires)}) << '\n'
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
                      a.last_contact ? shownTime(*a.last_contact) : text("never"),
                      std::to_string(a.normal_acked), std::to_string(a.urgent_acked),
                      a.clock_offset_seconds ? std::to_string(*a.clock_offset_seconds) : "",
                      a.agent_version, std::to_string(a.backlog)});
    }
    out_ << text("agents.title") << '\n'
         << renderTable(rows, {0, 1}) << text("agents.count", {std::to_string(list->size())})
         << '\n';
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
                      c.parsed() ? shownDate(c.not_after) : "", ic.token_serial,
                      text(ic.present ? "yes" : "no"),
                      host == hosts.end() ? hc.agent_id : host->second});
    }
    out_ << text("certs.title", {agency->name, agency->code}) << '\n'
         << renderTable(rows, {0}) << text("certs.count", {std::to_string(certificates->size())})
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
         << renderTable(rows, {0, 2}) << text("tokens.count", {std::to_string(tokens->size())})
         << '\n';
    return kExitOk;
  }

  // A snoozed alert whose day has passed is open again (docs/alerts.md): the agent need not
  // push anything for that, so the hub judges it at its own time.
  static AlertState stateAt(const AlertChange& alert, TimePoint now) {
    if (alert.state == AlertState::Snoozed && alert.snoozed_until && *alert.snoozed_until <= now) {
      return AlertState::Open;
    }
    return alert.state;
  }

  std::string stateText(const AlertChange& alert, TimePoint now) {
    const AlertState state = stateAt(alert, now);
    if (state == AlertState::Snoozed && alert.snoozed_until) {
      return text("alerts.state.snoozed_until", {shownDate(*alert.snoozed_until)});
    }
    // Severities and states read the same at the agency and the province (shared keys).
    std::string shown = message(language_, "alertstate." + std::string(toString(state)));
    if (state == AlertState::Resolved && alert.resolution && !alert.resolution->empty()) {
      // A word only a newer agent knows is shown as it came.
      const bool known = *alert.resolution == "renewed" || *alert.resolution == "superseded" ||
                         *alert.resolution == "cleared" || *alert.resolution == "deadline_passed";
      shown +=
          " (" + (known ? text("alerts.resolution." + *alert.resolution) : *alert.resolution) + ")";
    }
    return shown;
  }

  int alerts(const std::optional<std::string>& agency_code, bool all, bool json) {
    std::optional<Agency> agency;
    if (agency_code) {
      int exit_code = kExitOk;
      agency = knownAgency(*agency_code, exit_code);
      if (!agency) return exit_code;
    }
    auto list = store_->alerts({agency ? agency->code : "", all});
    if (!list) return runtimeError(list.error());
    const TimePoint now = clock_.now();
    auto optional = [](const std::optional<std::string>& value) {
      return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
    };
    if (json) {
      Poco::JSON::Array array;
      for (const auto& h : *list) {
        const AlertChange& a = h.alert;
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("agency", h.agency_code);
        o->set("agency_name", h.agency_name);
        o->set("agent_id", h.agent_id);
        o->set("id", a.uuid);
        o->set("kind", std::string(toString(a.kind)));
        o->set("severity", std::string(toString(a.severity)));
        o->set("fingerprint_sha256", optional(a.fingerprint));
        o->set("token_serial", optional(a.token_serial));
        o->set("module", optional(a.module));
        o->set("threshold_days",
               a.threshold_days ? Poco::Dynamic::Var(*a.threshold_days) : Poco::Dynamic::Var());
        o->set("message", alertMessage(language_, a.text(), now));
        o->set("raised_at", formatIsoUtc(a.raised_at));
        o->set("changed_at", formatIsoUtc(a.changed_at));
        o->set("state", std::string(toString(stateAt(a, now))));
        o->set("snoozed_until", a.snoozed_until && stateAt(a, now) == AlertState::Snoozed
                                    ? Poco::Dynamic::Var(formatIsoUtc(*a.snoozed_until))
                                    : Poco::Dynamic::Var());
        o->set("resolution", optional(a.resolution));
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (list->empty()) {
      out_ << text(all ? "alerts.none_all" : "alerts.none") << '\n';
      return kExitOk;
    }
    const auto hosts = hostsByAgent();
    std::vector<std::vector<std::string>> rows = {{text("alerts.col.severity"), text("col.agency"),
                                                   text("alerts.col.message"), text("col.status"),
                                                   text("alerts.col.raised"), text("col.host")}};
    for (const auto& h : *list) {
      const AlertChange& a = h.alert;
      const auto host = hosts.find(h.agent_id);
      rows.push_back({message(language_, "severity." + std::string(toString(a.severity))),
                      h.agency_code, alertMessage(language_, a.text(), now), stateText(a, now),
                      shownTime(a.raised_at), host == hosts.end() ? h.agent_id : host->second});
    }
    out_ << (agency ? text("alerts.title_agency", {agency->name, agency->code})
                    : text("alerts.title"))
         << '\n'
         << renderTable(rows, {2}) << text("alerts.count", {std::to_string(list->size())}) << '\n';
    return kExitOk;
  }

  // Certificates still valid now with at most `days_text` days left, province-wide or of one
  // agency, soonest first; one line per certificate and agency (two PCs of an agency may both
  // have seen the token: the one it is plugged into, else the latest sighting, is shown).
  int expiring(const std::string& days_text, const std::optional<std::string>& agency_code,
               bool json) {
    int days = -1;
    const auto parsed =
        std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
    if (parsed.ec != std::errc() || parsed.ptr != days_text.data() + days_text.size() || days < 0 ||
        days > kMostExpiringDays) {
      return usageError(text("expiring.bad_days", {days_text, std::to_string(kMostExpiringDays)}));
    }
    std::optional<Agency> agency;
    if (agency_code) {
      int exit_code = kExitOk;
      agency = knownAgency(*agency_code, exit_code);
      if (!agency) return exit_code;
    }
    auto agents = store_->agents();
    if (!agents) return runtimeError(agents.error());
    std::map<std::string, const AgentRecord*> agent_of;
    for (const auto& a : *agents) agent_of[a.agent_id] = &a;
    auto certificates = store_->certificates({agency ? agency->code : "", ""});
    if (!certificates) return runtimeError(certificates.error());
    const TimePoint now = clock_.now();

    struct Expiring {
      const AgentRecord* agent;
      const InventoryCertificate* certificate;
    };
    std::map<std::pair<std::string, std::string>, Expiring> chosen;  // (agency, fingerprint)
    for (const auto& hc : *certificates) {
      const auto& ic = hc.certificate;
      const auto& c = ic.certificate;
      // As the agent's ?expiring=N: valid now, and gone within N days.
      if (!c.parsed() || now < c.not_before || now >= c.not_after || c.daysLeft(now) > days) {
        continue;
      }
      const auto agent = agent_of.find(hc.agent_id);
      if (agent == agent_of.end()) continue;
      const Expiring candidate{agent->second, &ic};
      const auto key = std::make_pair(agent->second->agency_code, c.fingerprint_sha256);
      auto [it, inserted] = chosen.emplace(key, candidate);
      if (!inserted) {
        const auto& held = *it->second.certificate;
        if (std::make_pair(ic.present, ic.last_seen) >
            std::make_pair(held.present, held.last_seen)) {
          it->second = candidate;
        }
      }
    }
    std::vector<Expiring> list;
    for (const auto& [key, e] : chosen) list.push_back(e);
    std::stable_sort(list.begin(), list.end(), [](const Expiring& a, const Expiring& b) {
      const auto& ca = a.certificate->certificate;
      const auto& cb = b.certificate->certificate;
      return std::tie(ca.not_after, a.agent->agency_code, ca.common_name) <
             std::tie(cb.not_after, b.agent->agency_code, cb.common_name);
    });

    if (json) {
      Poco::JSON::Array array;
      for (const auto& e : list) {
        const auto& ic = *e.certificate;
        const auto& c = ic.certificate;
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("agency", e.agent->agency_code);
        o->set("agency_name", e.agent->agency_name);
        o->set("fingerprint_sha256", c.fingerprint_sha256);
        o->set("common_name", c.common_name);
        o->set("organization", c.organization);
        o->set("kind", std::string(toString(c.kind)));
        o->set("not_after", formatIsoUtc(c.not_after));
        o->set("days_left", static_cast<Poco::Int64>(c.daysLeft(now)));
        o->set("token_serial", ic.token_serial);
        o->set("present", ic.present);
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    const std::string within = std::to_string(days);
    if (list.empty()) {
      out_ << text("expiring.none", {within}) << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("col.agency"), text("col.holder"), text("col.kind"), text("col.days_left"),
         text("col.expires"), text("col.token"), text("col.present"), text("col.host")}};
    for (const auto& e : list) {
      const auto& ic = *e.certificate;
      const auto& c = ic.certificate;
      rows.push_back({e.agent->agency_code + " " + e.agent->agency_name,
                      c.common_name.empty() ? c.fingerprint_sha256.substr(0, 16) : c.common_name,
                      text("kind." + std::string(toString(c.kind))),
                      std::to_string(c.daysLeft(now)), shownDate(c.not_after), ic.token_serial,
                      text(ic.present ? "yes" : "no"), e.agent->host});
    }
    out_ << (agency ? text("expiring.title_agency", {within, agency->name, agency->code})
                    : text("expiring.title", {within}))
         << '\n'
         << renderTable(rows, {0, 1}) << text("certs.count", {std::to_string(list.size())}) << '\n';
    return kExitOk;
  }

  std::string label(const std::string& key) { return message(language_, key); }

  // `requests [--state S] [--agency CODE] [--json]`: the province's inbox, soonest due first.
  int requests(const AdminLine& line) {
    std::optional<RequestState> state;
    if (line.state) {
      RequestState parsed{};
      if (!parseRequestState(*line.state, parsed)) {
        std::string known;
        for (const auto s : allRequestStates()) {
          known += (known.empty() ? "" : ", ") + std::string(toString(s));
        }
        return usageError(text("requests.bad_state", {*line.state, known}));
      }
      state = parsed;
    }
    std::optional<Agency> agency;
    if (line.agency) {
      int exit_code = kExitOk;
      agency = knownAgency(*line.agency, exit_code);
      if (!agency) return exit_code;
    }
    auto list = store_->requests({agency ? agency->code : "", state, ""});
    if (!list) return runtimeError(list.error());
    const TimePoint now = clock_.now();
    if (line.json) {
      Poco::JSON::Array array;
      for (const auto& h : *list) array.add(requestJson(h, now));
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (list->empty()) {
      out_ << text("requests.none") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("requests.col.id"), text("col.agency"), text("col.kind"), text("requests.col.form"),
         text("col.status"), text("requests.col.received"), text("requests.col.due"),
         text("requests.col.handled_by")}};
    size_t overdue = 0;
    for (const auto& h : *list) {
      const Request& r = h.request;
      std::string due = h.due_date ? vietnameseDay(*h.due_date) : "";
      if (isOverdue(h, now)) {
        ++overdue;
        due += " " + text("requests.overdue");
      }
      std::string shown_state = label("request.state." + std::string(toString(r.state)));
      if (r.state == RequestState::Rejected && !r.reason.empty()) shown_state += ": " + r.reason;
      rows.push_back({shownId(r.id), h.agency_code,
                      label("request.kind." + std::string(toString(r.kind))),
                      std::string(toString(h.form)), shown_state,
                      r.received_at ? shownDate(*r.received_at) : "", due,
                      label("request.handled_by." + std::string(toString(r.handled_by)))});
    }
    out_ << (agency ? text("requests.title_agency", {agency->name, agency->code})
                    : text("requests.title"))
         << '\n'
         << renderTable(rows, {4}, {0})
         << text("requests.count", {std::to_string(list->size()), std::to_string(overdue)}) << '\n';
    return kExitOk;
  }

  static Poco::JSON::Object::Ptr requestJson(const HubRequest& h, TimePoint now) {
    const Request& r = h.request;
    auto optional = [](const std::string& value) {
      return value.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(value);
    };
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", r.id);
    o->set("agency", h.agency_code);
    o->set("agency_name", h.agency_name);
    o->set("agent_id", h.agent_id);
    o->set("kind", std::string(toString(r.kind)));
    o->set("state", std::string(toString(r.state)));
    o->set("form", std::string(toString(h.form)));
    o->set("subscriber", r.kind == RequestKind::NewCertificate
                             ? Poco::Dynamic::Var(std::string(toString(r.subscriber)))
                             : Poco::Dynamic::Var());
    o->set("fingerprint_sha256", optional(r.fingerprint_sha256));
    o->set("token_serial", optional(r.token_serial));
    o->set("change_case", r.change_case ? Poco::Dynamic::Var(std::string(toString(*r.change_case)))
                                        : Poco::Dynamic::Var());
    o->set("revocation_reason",
           r.revocation_reason ? Poco::Dynamic::Var(std::string(toString(*r.revocation_reason)))
                               : Poco::Dynamic::Var());
    o->set("created_at", formatIsoUtc(r.created_at));
    o->set("received_at",
           r.received_at ? Poco::Dynamic::Var(formatIsoUtc(*r.received_at)) : Poco::Dynamic::Var());
    o->set("due_date",
           h.due_date ? Poco::Dynamic::Var(formatDate(*h.due_date)) : Poco::Dynamic::Var());
    o->set("overdue", isOverdue(h, now));
    o->set("handled_by", std::string(toString(r.handled_by)));
    // The rejection or cancellation reason; for a revocation not (yet) refused, why it is
    // revoked (docs/requests.md).
    std::string reason = r.reason;
    if (reason.empty() && r.revocation_reason) reason = toString(*r.revocation_reason);
    o->set("reason", optional(reason));
    o->set("reference", optional(h.reference));
    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
    for (const auto& [key, value] : r.fields) fields->set(key, value);
    o->set("fields", fields);
    Poco::JSON::Array supersedes;
    for (const auto& id : h.supersedes) supersedes.add(id);
    o->set("supersedes", supersedes);
    Poco::JSON::Array history;
    for (const auto& e : h.history) {
      Poco::JSON::Object::Ptr event = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      event->set("event", e.event);
      event->set("at", formatIsoUtc(e.at));
      event->set("by", e.by);
      event->set("reason", optional(e.reason));
      event->set("reference", optional(e.reference));
      history.add(event);
    }
    o->set("history", history);
    return o;
  }

  // `request accept|forward|complete|reject ID [--reason …] [--reference …] [--by NAME]`.
  int requestStep(const AdminLine& line) {
    static const std::map<std::string, RequestState> kSteps = {
        {"accept", RequestState::InProgress},
        {"forward", RequestState::ForwardedToProvider},
        {"complete", RequestState::Completed},
        {"reject", RequestState::Rejected}};
    if (line.operands.size() != 2) return usageError(text("requests.step_usage"));
    const auto step = kSteps.find(line.operands[0]);
    if (step == kSteps.end()) {
      return usageError(text("requests.bad_action", {line.operands[0]}));
    }
    const std::string reason = line.reason.value_or("");
    if (step->second == RequestState::Rejected &&
        reason.find_first_not_of(" \t") == std::string::npos) {
      return usageError(text("requests.reason_required"));
    }
    const std::string by = line.by && !line.by->empty() ? *line.by : osUserName();
    const TimePoint now = clock_.now();
    // The id whole or a unique prefix of at least 8 characters, as `requests` shows it.
    auto all = store_->requests({"", std::nullopt, ""});
    if (!all) return runtimeError(all.error());
    std::vector<std::string> ids;
    for (const auto& h : *all) ids.push_back(h.request.id);
    const PrefixMatch match = matchRequestId(line.operands[1], ids);
    if (match.outcome == PrefixMatch::Outcome::Ambiguous) {
      std::string candidates;
      for (const auto& id : match.candidates) candidates += "\n  " + id;
      return usageError(text("requests.ambiguous", {line.operands[1], candidates}));
    }
    const std::string id =
        match.outcome == PrefixMatch::Outcome::Found ? match.found : line.operands[1];
    auto outcome =
        store_->transitionRequest({id, step->second, now, by, reason, line.reference.value_or("")});
    if (!outcome) return runtimeError(outcome.error());
    switch (outcome->kind) {
      case TransitionOutcome::Kind::Unknown:
        err_ << "cks-hub: " << text("requests.unknown", {line.operands[1]}) << '\n';
        return kExitRuntime;
      case TransitionOutcome::Kind::Refused:
        err_ << "cks-hub: " << outcome->refusal->text(language_) << '\n';
        return kExitUsage;
      case TransitionOutcome::Kind::Done:
        break;
    }
    out_ << text("requests.moved",
                 {id, label("request.state." + std::string(toString(step->second))), by,
                  shownTime(now)})
         << '\n';
    return kExitOk;
  }

  // `merger publish`: tells the agents of the merged units and of the new unit about the
  // merger (feed item `merger`, docs/requests.md "Merger batches"); each one plans its batch
  // from its own inventory with `cksctl merger plan`. Units' names come from --from
  // CODE=NAME or, when left out, from the agencies the hub knows.
  int publishMerger(const AdminLine& line) {
    if (line.operands.size() != 1 || line.operands[0] != "publish") {
      return usageError(text("merger.usage"));
    }
    Merger merger;
    merger.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    merger.into = {*line.into, *line.name};
    merger.keep = line.keep.value_or("");
    merger.decision = line.decision.value_or("");
    std::vector<std::string> codes;
    std::stringstream list(*line.from);
    for (std::string part; std::getline(list, part, ',');) {
      const auto equals = part.find('=');
      MergerUnit unit{trimmed(part.substr(0, equals)),
                      equals == std::string::npos ? "" : trimmed(part.substr(equals + 1))};
      if (unit.code.empty()) continue;
      if (auto code = AgencyCode::parse(unit.code); !code) {
        return usageError(text("bad_agency", {code.error().message}));
      }
      if (unit.name.empty()) {
        auto known = store_->agency(unit.code);
        if (!known) return runtimeError(known.error());
        if (!*known) return usageError(text("merger.unit_unknown", {unit.code}));
        unit.name = (*known)->name;
      }
      codes.push_back(unit.code);
      merger.from.push_back(unit);
    }
    if (merger.from.empty()) return usageError(text("merger.usage"));
    if (auto code = AgencyCode::parse(merger.into.code); !code) {
      return usageError(text("bad_agency", {code.error().message}));
    }
    if (merger.into.name.find_first_not_of(" \t") == std::string::npos) {
      return usageError(text("merger.usage"));
    }
    if (std::find(codes.begin(), codes.end(), merger.into.code) == codes.end()) {
      codes.push_back(merger.into.code);
    }
    auto told = store_->tellAgencies(codes, "merger", sync::stringify(sync::mergerJson(merger)),
                                     clock_.now());
    if (!told) return runtimeError(told.error());
    if (line.json) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("merger", sync::mergerJson(merger));
      o.set("agents", *told);
      out_ << sync::stringify(o) << '\n';
      return kExitOk;
    }
    std::string from;
    for (const auto& unit : merger.from) from += (from.empty() ? "" : ", ") + unit.name;
    out_ << text("merger.published", {from, merger.into.name, std::to_string(*told)}) << '\n'
         << merger.id << '\n';
    return kExitOk;
  }

  // `report status|province|deadline --year Y …` (docs/hub.md, "Yearly reports").
  int report(const AdminLine& line) {
    if (line.operands.size() != 1) return usageError(text("report.usage"));
    int year = 0;
    const std::string& year_text = *line.year;
    const auto [end, problem] =
        std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
    if (problem != std::errc() || end != year_text.data() + year_text.size() || year < 2000 ||
        year > 2200) {
      return usageError(text("report.bad_year", {year_text}));
    }
    const std::string& action = line.operands[0];
    if (action == "status") return reportStatus(year, line.json);
    if (action == "province") return provinceReport(year, line);
    if (action == "deadline") return reportDeadline(year, line);
    if (action == "nation") return nationReport(year, line.json);
    if (action == "submit") return submitUpward(year);
    return usageError(text("report.usage"));
  }

  // `upstream enroll|sync` (docs/report.md, "Upward to the nation").
  int upstream(const AdminLine& line) {
    const std::string action = line.operands.size() == 1 ? line.operands[0] : "";
    if (action == "enroll" && (!line.hub || !line.code || !line.hub_ca)) {
      return usageError(text("upstream.usage"));
    }
    if (action != "enroll" && action != "sync") return usageError(text("upstream.usage"));
    auto link = Upstream::open(config_.upstream);
    if (!link) return runtimeError(link.error());
    if (action == "sync") {
      auto linked = (*link)->link();
      if (!linked) return runtimeError(linked.error());
      if (!*linked) return runtimeError({text("upstream.not_enrolled")});
      return reportSync(**link, (*linked)->url);
    }
    auto enrolled = (*link)->enroll(*line.hub, *line.code, *line.hub_ca, platform::hostName(),
                                    line.force, clock_);
    if (!enrolled) {
      err_ << "cks-hub: " << text("upstream.enroll_failed", {enrolled.error().message}) << '\n';
      return enrolled.error().kind == sync::EnrollmentError::Kind::Unreachable ? kExitUnreachable
                                                                               : kExitRuntime;
    }
    out_ << text("upstream.enrolled", {enrolled->url, enrolled->province_code,
                                       enrolled->province_name, enrolled->agent_id})
         << '\n';
    return kExitOk;
  }

  // One sync with the national hub, told in one line: 0 everything acknowledged, 4 not
  // reachable (what is queued stays queued), 1 any other failure.
  int reportSync(Upstream& link, const std::string& url) {
    const sync::SyncReport report = link.sync(clock_);
    if (report.outcome == sync::SyncReport::Outcome::Ok) {
      out_ << text("upstream.synced",
                   {url, std::to_string(report.acked), std::to_string(report.remaining)})
           << '\n';
      return kExitOk;
    }
    err_ << "cks-hub: "
         << text("upstream.sync_failed", {sync::outcomeName(report.outcome), report.message})
         << '\n';
    return report.outcome == sync::SyncReport::Outcome::Unreachable ? kExitUnreachable
                                                                    : kExitRuntime;
  }

  // The province's aggregate of `year` as `report province --json` prints it, queued as the
  // next version for the national hub and sent at once; left queued when the national hub is
  // away (exit 4).
  int submitUpward(int year) {
    auto link = Upstream::open(config_.upstream);
    if (!link) return runtimeError(link.error());
    auto linked = (*link)->link();
    if (!linked) return runtimeError(linked.error());
    if (!*linked) return runtimeError({text("upstream.not_enrolled")});
    auto province = aggregate(year);
    if (!province) return runtimeError(province.error());
    const TimePoint now = clock_.now();
    auto version = (*link)->queueProvinceReport(
        year, sync::stringify(sync::provinceReportJson(*province)), now);
    if (!version) return runtimeError(version.error());
    const sync::SyncReport report = (*link)->sync(clock_);
    if (report.outcome != sync::SyncReport::Outcome::Ok) {
      err_ << "cks-hub: "
           << text("report.submit.queued",
                   {std::to_string(year), std::to_string(*version), report.message})
           << '\n';
      return report.outcome == sync::SyncReport::Outcome::Unreachable ? kExitUnreachable
                                                                      : kExitRuntime;
    }
    out_ << text("report.submit.sent",
                 {std::to_string(year), std::to_string(*version),
                  std::to_string(province->agencies_reported),
                  std::to_string(province->agencies_expected), (*linked)->url})
         << '\n';
    return kExitOk;
  }

  // "dd/mm/yyyy hh:mm" in [display] time_zone (Vietnam time by default).
  std::string vietnamTime(TimePoint at) const { return shownTime(at); }

  static Poco::Dynamic::Var timeOrNull(const std::optional<TimePoint>& at) {
    return at ? Poco::Dynamic::Var(formatIsoUtc(*at)) : Poco::Dynamic::Var();
  }

  // Every agency the hub knows and its latest report of `year`: submitted; draft (its officer
  // has saved figures, nothing submitted yet; the draft itself stays on the agent); or missing.
  int reportStatus(int year, bool json) {
    auto agencies = store_->agencies();
    if (!agencies) return runtimeError(agencies.error());
    auto versions = store_->reports({year, "", false});
    if (!versions) return runtimeError(versions.error());
    auto saved_drafts = store_->reportDrafts(year);
    if (!saved_drafts) return runtimeError(saved_drafts.error());
    const std::map<std::string, TimePoint> drafts(saved_drafts->begin(), saved_drafts->end());
    std::map<std::string, const StoredReport*> latest;
    std::map<std::string, int> counts;
    for (const auto& stored : *versions) {
      latest[stored.agency_code] = &stored;  // ordered by version: the last one is the latest
      ++counts[stored.agency_code];
    }
    const TimePoint now = clock_.now();
    if (json) {
      Poco::JSON::Array array;
      for (const auto& agency : *agencies) {
        const auto found = latest.find(agency.code);
        const StoredReport* stored = found == latest.end() ? nullptr : found->second;
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("agency", agency.code);
        o->set("agency_name", agency.name);
        o->set("type", std::string(toString(agency.type.value_or(AgencyType::Other))));
        o->set("year", year);
        const auto draft = drafts.find(agency.code);
        o->set("state", stored ? "submitted" : draft != drafts.end() ? "draft" : "missing");
        o->set("version", stored ? Poco::Dynamic::Var(stored->version) : Poco::Dynamic::Var());
        o->set("versions", stored ? counts[agency.code] : 0);
        o->set("as_of", timeOrNull(stored ? std::optional(stored->report.as_of) : std::nullopt));
        o->set("submitted_at",
               timeOrNull(stored ? std::optional(stored->submitted_at) : std::nullopt));
        o->set("received_at",
               timeOrNull(stored ? std::optional(stored->received_at) : std::nullopt));
        o->set("staleness_days", stored ? Poco::Dynamic::Var(Poco::Int64(
                                              std::max(0L, daysBetween(stored->report.as_of, now))))
                                        : Poco::Dynamic::Var());
        o->set("draft_saved_at",
               timeOrNull(draft != drafts.end() ? std::optional(draft->second) : std::nullopt));
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (agencies->empty()) {
      out_ << text("report.no_agencies") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("col.agency"), text("report.col.state"), text("report.col.version"),
         text("report.col.as_of"), text("report.col.submitted"), text("report.col.staleness")}};
    int submitted = 0;
    for (const auto& agency : *agencies) {
      const auto found = latest.find(agency.code);
      if (found == latest.end()) {
        const auto draft = drafts.find(agency.code);
        rows.push_back({agency.code + " " + agency.name,
                        draft == drafts.end()
                            ? text("report.state.missing")
                            : text("report.state.draft", {vietnamTime(draft->second)}),
                        "", "", "", ""});
        continue;
      }
      ++submitted;
      const StoredReport& stored = *found->second;
      rows.push_back({agency.code + " " + agency.name, text("report.state.submitted"),
                      std::to_string(stored.version), vietnamTime(stored.report.as_of),
                      vietnamTime(stored.submitted_at),
                      std::to_string(std::max(0L, daysBetween(stored.report.as_of, now)))});
    }
    out_ << text("report.status.title", {std::to_string(year)}) << '\n'
         << renderTable(rows, {0})
         << text("report.status.count",
                 {std::to_string(submitted), std::to_string(agencies->size()),
                  std::to_string(agencies->size() - size_t(submitted))})
         << '\n';
    return kExitOk;
  }

  // The province's aggregate of the latest version of every agency's report of `year`; the
  // agencies the hub knows are the ones expected (typed as the directory says).
  Result<ProvinceReport> aggregate(int year) {
    auto agencies = store_->agencies();
    if (!agencies) return tl::unexpected(agencies.error());
    auto latest = store_->reports({year, "", true});
    if (!latest) return tl::unexpected(latest.error());
    return aggregateProvince(year, *agencies, std::move(*latest), clock_.now());
  }

  // The Sở as its report documents name it, from [province] of hub.ini (issue 12, point 4):
  // "UBND THÀNH PHỐ ĐÀ NẴNG" above "SỞ KHOA HỌC VÀ CÔNG NGHỆ", the place in the date lines, the
  // director's title. Without [province] name the heading says the province is not known.
  print::ReportIssuer provinceIssuer() const {
    const AgencyIdentity office = config_.province.office();
    print::ReportIssuer issuer;
    const std::string unknown = message(language_, "identity.unknown_hub.province");
    issuer.parent_body = office.parent_body.empty() ? unknown : office.parent_body;
    issuer.name = office.name;
    // "Sở Khoa học và Công nghệ thành phố Đà Nẵng" under "UBND thành phố Đà Nẵng": the Sở's
    // name without the province it repeats, as Decree 30/2020 heads a document.
    const std::string suffix = " " + office.province;
    if (!office.province.empty() && issuer.name.size() > suffix.size() &&
        issuer.name.ends_with(suffix)) {
      issuer.name.resize(issuer.name.size() - suffix.size());
    }
    issuer.place = office.place.empty() ? unknown : office.place;
    issuer.signer_title = config_.province.signer_title;
    issuer.signer_name = config_.province.signer;
    issuer.full_name = office.department.empty() ? unknown : office.department;
    return issuer;
  }

  // `report province`: the aggregate in words, as JSON, or written to an XLSX or PDF file.
  int provinceReport(int year, const AdminLine& line) {
    enum class Output { None, Xlsx, Pdf } output = Output::None;
    if (line.output) {
      std::string extension = std::filesystem::path(*line.output).extension().string();
      std::transform(extension.begin(), extension.end(), extension.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      if (extension == ".xlsx") {
        output = Output::Xlsx;
      } else if (extension == ".pdf") {
        output = Output::Pdf;
      } else {
        return usageError(text("report.bad_output", {*line.output}));
      }
    }
    auto aggregated = aggregate(year);
    if (!aggregated) return runtimeError(aggregated.error());
    const ProvinceReport& province = *aggregated;
    const TimePoint now = province.generated_at;
    if (output != Output::None) {
      const print::ReportIssuer issuer = provinceIssuer();
      const Status written =
          output == Output::Xlsx
              ? print::writeProvinceReportXlsx(province, language_, *line.output, issuer)
              : print::writeProvinceReportPdf(province, language_, now, *line.output, issuer);
      if (output == Output::Pdf) print::releaseFonts();  // one document per command
      if (!written) return runtimeError(written.error());
      out_ << text("report.province.written", {std::to_string(year), *line.output}) << '\n';
      return kExitOk;
    }
    if (line.json) {
      out_ << sync::stringify(sync::provinceReportJson(province)) << '\n';
      return kExitOk;
    }
    out_ << text("report.province.title",
                 {std::to_string(year), std::to_string(province.agencies_reported),
                  std::to_string(province.agencies_expected)})
         << '\n';
    const ReportTotals& t = province.totals;
    std::vector<std::vector<std::string>> rows = {
        {message(language_, "print.col.figure"), message(language_, "print.col.count")}};
    for (const auto& [name, value] : std::initializer_list<std::pair<const char*, int>>{
             {"certificates_valid", t.certificates_valid},
             {"certificates_expired", t.certificates_expired},
             {"tokens", t.tokens},
             {"tokens_locked", t.tokens_locked},
             {"renewals_due_next_year", t.renewals_due_next_year},
             {"expected_new_certificates", t.expected_new_certificates}}) {
      rows.push_back(
          {message(language_, "print.total." + std::string(name)), std::to_string(value)});
    }
    out_ << renderTable(rows);
    if (!province.missing.empty()) {
      std::string codes;
      for (const auto& agency : province.missing) {
        codes += (codes.empty() ? "" : ", ") + agency.code + " " + agency.name;
      }
      out_ << text("report.province.missing", {std::to_string(province.missing.size()), codes})
           << '\n';
    }
    return kExitOk;
  }

  // At a national hub: the latest aggregate each province hub submitted for `year` and the
  // contract figures summed (docs/report.md, "Upward to the nation").
  int nationReport(int year, bool json) {
    auto provinces = store_->provinceReports({year, "", true});
    if (!provinces) return runtimeError(provinces.error());
    static constexpr const char* kFigures[] = {"certificates_valid", "certificates_expired",
                                               "tokens", "tokens_locked", "renewals_due_next_year"};
    std::map<std::string, Poco::Int64> sums;
    Poco::JSON::Array lines;
    std::vector<std::vector<std::string>> rows = {{text("col.agency"), text("report.col.version"),
                                                   text("report.col.agencies"),
                                                   text("report.col.submitted")}};
    for (const auto& p : *provinces) {
      Poco::JSON::Object::Ptr report;
      try {
        Poco::JSON::Parser parser;
        report = parser.parse(p.report_json).extract<Poco::JSON::Object::Ptr>();
      } catch (const Poco::Exception& e) {
        return runtimeError({"store: province report " + p.province_code + ": " + e.displayText()});
      }
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("province", p.province_code);
      o->set("province_name", p.province_name);
      o->set("version", p.version);
      o->set("submitted_at", formatIsoUtc(p.submitted_at));
      o->set("received_at", formatIsoUtc(p.received_at));
      o->set("generated_at", formatIsoUtc(p.generated_at));
      o->set("agencies_expected", report->get("agencies_expected"));
      o->set("agencies_reported", report->get("agencies_reported"));
      o->set("missing", report->get("missing"));
      Poco::JSON::Object::Ptr totals = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const char* figure : kFigures) {
        const auto value = report->getObject("totals")->getValue<Poco::Int64>(figure);
        totals->set(figure, value);
        sums[figure] += value;
      }
      o->set("totals", totals);
      lines.add(o);
      rows.push_back({p.province_code + " " + p.province_name, std::to_string(p.version),
                      report->get("agencies_reported").toString() + "/" +
                          report->get("agencies_expected").toString(),
                      vietnamTime(p.submitted_at)});
    }
    if (json) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("year", year);
      o.set("provinces_reported", int(provinces->size()));
      Poco::JSON::Object totals(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const char* figure : kFigures) totals.set(figure, sums[figure]);
      o.set("totals", totals);
      o.set("by_province", lines);
      out_ << sync::stringify(o) << '\n';
      return kExitOk;
    }
    if (provinces->empty()) {
      out_ << text("report.nation.none", {std::to_string(year)}) << '\n';
      return kExitOk;
    }
    out_ << text("report.nation.title", {std::to_string(year), std::to_string(provinces->size())})
         << '\n'
         << renderTable(rows);
    return kExitOk;
  }

  // Tells every agent the deadline of `year`'s report (feed item report_deadline); each one
  // reminds its officer from `remind_from` until the report is submitted.
  int reportDeadline(int year, const AdminLine& line) {
    if (!line.date) return usageError(text("missing_option", {"report deadline", "--date"}));
    const auto deadline = parseDate(*line.date);
    if (!deadline) return usageError(text("report.bad_date", {"--date", *line.date}));
    Date remind_from = *deadline - std::chrono::days(kDefaultReminderDays);
    if (line.remind_from) {
      const auto parsed = parseDate(*line.remind_from);
      if (!parsed) {
        return usageError(text("report.bad_date", {"--remind-from", *line.remind_from}));
      }
      remind_from = *parsed;
    }
    if (remind_from > *deadline) {
      return usageError(
          text("report.remind_after_deadline", {formatDate(remind_from), formatDate(*deadline)}));
    }
    auto agencies = store_->agencies();
    if (!agencies) return runtimeError(agencies.error());
    std::vector<std::string> codes;
    for (const auto& agency : *agencies) codes.push_back(agency.code);
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("year", year);
    body.set("deadline", formatDate(*deadline));
    body.set("remind_from", formatDate(remind_from));
    auto told = store_->tellAgencies(
        codes, "report_deadline",
        sync::encodeItem(sync::ReportDeadlineItem{year, *deadline, remind_from}), clock_.now());
    if (!told) return runtimeError(told.error());
    if (line.json) {
      body.set("agents", *told);
      out_ << sync::stringify(body) << '\n';
      return kExitOk;
    }
    out_ << text("report.deadline.sent", {std::to_string(year), vietnameseDay(*deadline),
                                          vietnameseDay(remind_from), std::to_string(*told)})
         << '\n';
    return kExitOk;
  }

  // Revoking cuts a PC off for good (it must enrol again): someone at a terminal confirms it
  // unless --yes; scripts (no terminal on stdin) are not asked.
  int revoke(const std::string& agent_id, bool yes) {
    auto agent = store_->agent(agent_id);
    if (!agent) return runtimeError(agent.error());
    if (!*agent) {
      err_ << "cks-hub: " << text("agent.unknown", {agent_id}) << '\n';
      return kExitRuntime;
    }
    if (!yes && platform::inputIsTerminal()) {
      const AgentRecord& a = **agent;
      out_ << text("revoke.confirm", {a.agent_id, a.host, a.agency_code, a.agency_name})
           << std::flush;
      std::string answer;
      if (!std::getline(std::cin, answer) || !isYes(answer)) {
        err_ << "cks-hub: " << text("revoke.cancelled", {agent_id}) << '\n';
        return kExitRuntime;
      }
    }
    auto revoked = store_->revokeAgent(agent_id);
    if (!revoked) return runtimeError(revoked.error());
    if (!*revoked) {
      err_ << "cks-hub: " << text("agent.unknown", {agent_id}) << '\n';
      return kExitRuntime;
    }
    out_ << text("agent.revoked", {agent_id}) << '\n';
    return kExitOk;
  }

  // "y", "yes", "c", "có" (any case): the answer that confirms.
  static bool isYes(const std::string& answer) {
    std::string word = answer;
    if (!word.empty() && word.back() == '\r') word.pop_back();
    word = trimmed(word);
    if (word == "có" || word == "Có" || word == "CÓ") return true;
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return word == "y" || word == "yes" || word == "c" || word == "co";
  }

  std::string typeLabel(AgencyType type) {
    return message(language_, "report.agency_type." + std::string(toString(type)));
  }

  // `agencies [--json]` lists the directory; `agencies import FILE.csv` creates or updates it
  // from a file, all rows or none (docs/hub.md, "Agency directory").
  int agencies(const AdminLine& line) {
    if (line.operands.size() == 2 && line.operands[0] == "import") {
      return importAgencies(line.operands[1]);
    }
    if (!line.operands.empty()) return usageError(text("agencies.usage"));
    auto list = store_->agencies();
    if (!list) return runtimeError(list.error());
    if (line.json) {
      Poco::JSON::Array array;
      for (const auto& a : *list) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("code", a.code);
        o->set("name", a.name);
        o->set("type", std::string(toString(a.type.value_or(AgencyType::Other))));
        o->set("parent", a.parent.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.parent));
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (list->empty()) {
      out_ << text("agencies.none") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {text("col.code"), text("col.name"), text("col.type"), text("col.parent")}};
    for (const auto& a : *list) {
      rows.push_back({a.code, a.name, typeLabel(a.type.value_or(AgencyType::Other)), a.parent});
    }
    out_ << text("agencies.title") << '\n'
         << renderTable(rows) << text("agencies.count", {std::to_string(list->size())}) << '\n';
    return kExitOk;
  }

  int importAgencies(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream content;
    if (!file || !(content << file.rdbuf())) {
      return usageError(text("agencies.unreadable", {path}));
    }
    const ParsedDirectory parsed = parseAgencyDirectory(content.str());
    if (!parsed.problems.empty()) {
      for (const auto& p : parsed.problems) {
        // Views of p.args themselves (a `?:` with "" would make a temporary std::string).
        auto arg = [&](size_t i) -> std::string_view {
          return i < p.args.size() ? std::string_view(p.args[i]) : std::string_view();
        };
        err_ << "cks-hub: " << path << ':' << p.line << ": "
             << hubMessage(language_, p.key, {arg(0), arg(1)}) << '\n';
      }
      err_ << "cks-hub: " << text("agencies.not_imported", {path}) << '\n';
      return kExitUsage;
    }
    if (parsed.agencies.empty()) return usageError(text("agencies.csv.no_rows", {path}));
    auto imported = store_->importAgencies(parsed.agencies, clock_.now());
    if (!imported) return runtimeError(imported.error());
    out_ << text("agencies.imported",
                 {std::to_string(parsed.agencies.size()), path, std::to_string(imported->added),
                  std::to_string(imported->renamed), std::to_string(imported->updated),
                  std::to_string(imported->unchanged)})
         << '\n';
    return kExitOk;
  }

  // `codes [--json]` lists the enrolment codes (never the code itself: the hub keeps only its
  // hash, shown as an id); `codes revoke CODE|ID` withdraws one not used yet.
  int codes(const AdminLine& line) {
    if (line.operands.size() == 2 && line.operands[0] == "revoke") {
      return revokeCode(line.operands[1]);
    }
    if (!line.operands.empty()) return usageError(text("codes.usage"));
    auto list = store_->enrollCodes();
    if (!list) return runtimeError(list.error());
    const TimePoint now = clock_.now();
    if (line.json) {
      Poco::JSON::Array array;
      for (const auto& c : *list) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", codeId(c.code_hash));
        o->set("agency", c.agency_code);
        o->set("agency_name", c.agency_name);
        o->set("created_at", formatIsoUtc(c.created_at));
        o->set("expires_at", formatIsoUtc(c.expires_at));
        o->set("used", c.used_at.has_value());
        o->set("used_at", timeOrNull(c.used_at));
        o->set("used_by", c.used_by.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.used_by));
        o->set("revoked_at", timeOrNull(c.revoked_at));
        o->set("state", codeState(c, now));
        array.add(o);
      }
      out_ << sync::stringify(array) << '\n';
      return kExitOk;
    }
    if (list->empty()) {
      out_ << text("codes.none") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{text("codes.col.id"), text("col.agency"),
                                                   text("codes.col.created"), text("col.expires"),
                                                   text("col.status")}};
    for (const auto& c : *list) {
      std::string state = text("codes.state." + codeState(c, now));
      if (c.used_at) state += " " + vietnamTime(*c.used_at);
      if (c.revoked_at) state += " " + vietnamTime(*c.revoked_at);
      rows.push_back({codeId(c.code_hash), c.agency_code + " " + c.agency_name,
                      vietnamTime(c.created_at), vietnamTime(c.expires_at), state});
    }
    out_ << text("codes.title") << '\n'
         << renderTable(rows) << text("codes.count", {std::to_string(list->size())}) << '\n';
    return kExitOk;
  }

  // What `codes` shows for a code: the start of its hash.
  static std::string codeId(const std::string& code_hash) { return code_hash.substr(0, 12); }

  // "revoked", "used", "expired" or "active" at `now`.
  static std::string codeState(const EnrollCodeRecord& c, TimePoint now) {
    if (c.revoked_at) return "revoked";
    if (c.used_at) return "used";
    return c.expires_at <= now ? "expired" : "active";
  }

  // `which` is the code as given to the officer, or the id `codes` shows (at least 6 of its
  // first characters).
  int revokeCode(const std::string& which) {
    auto list = store_->enrollCodes();
    if (!list) return runtimeError(list.error());
    const std::string hash = enrollCodeHash(which);
    std::string id = trimmed(which);
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    const bool hex =
        id.size() >= 6 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
    std::vector<const EnrollCodeRecord*> found;
    for (const auto& c : *list) {
      if (c.code_hash == hash) found = {&c};
    }
    if (found.empty() && hex) {
      for (const auto& c : *list) {
        if (c.code_hash.rfind(id, 0) == 0) found.push_back(&c);
      }
    }
    if (found.empty()) {
      err_ << "cks-hub: " << text("codes.unknown", {which}) << '\n';
      return kExitRuntime;
    }
    if (found.size() > 1) return usageError(text("codes.ambiguous", {which}));
    const EnrollCodeRecord& code = *found.front();
    auto revoked = store_->revokeEnrollCode(code.code_hash, clock_.now());
    if (!revoked) return runtimeError(revoked.error());
    switch (*revoked) {
      case CodeRevocation::Revoked:
      case CodeRevocation::AlreadyRevoked:
        out_ << text(
                    *revoked == CodeRevocation::Revoked ? "codes.revoked" : "codes.already_revoked",
                    {codeId(code.code_hash), code.agency_code, code.agency_name})
             << '\n';
        return kExitOk;
      case CodeRevocation::AlreadyUsed:
        err_ << "cks-hub: " << text("codes.already_used", {codeId(code.code_hash), code.used_by})
             << '\n';
        return kExitRuntime;
      case CodeRevocation::Unknown:
        break;
    }
    err_ << "cks-hub: " << text("codes.unknown", {which}) << '\n';
    return kExitRuntime;
  }

  const HubConfig& config_;
  const Language language_;
  const Clock& clock_;
  std::ostream& out_;
  std::ostream& err_;
  const size_t table_width_;  // 0: --wide
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
    if (option == "--days") target = &line.days;
    if (option == "--state") target = &line.state;
    if (option == "--reason") target = &line.reason;
    if (option == "--reference") target = &line.reference;
    if (option == "--by") target = &line.by;
    if (option == "--into") target = &line.into;
    if (option == "--from") target = &line.from;
    if (option == "--keep") target = &line.keep;
    if (option == "--decision") target = &line.decision;
    if (option == "--year") target = &line.year;
    if (option == "--date") target = &line.date;
    if (option == "--remind-from") target = &line.remind_from;
    if (option == "-o" || option == "--output") target = &line.output;
    if (option == "--hub") target = &line.hub;
    if (option == "--code") target = &line.code;
    if (option == "--hub-ca") target = &line.hub_ca;
    if (option == "--type") target = &line.type;
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
    } else if (arg == "--wide") {
      line.wide = true;
    } else if (arg == "--all") {
      line.all = true;
    } else if (arg == "--force") {
      line.force = true;
    } else if (arg == "--rename") {
      line.rename = true;
    } else if (arg == "--yes" || arg == "-y") {
      line.yes = true;
    } else if ((line.command == "request" || line.command == "merger" || line.command == "report" ||
                line.command == "upstream" || line.command == "agencies" ||
                line.command == "codes") &&
               arg.rfind("-", 0) != 0) {
      line.operands.push_back(arg);
    } else if (arg.rfind("-", 0) == 0 || !line.command.empty()) {
      return usage(text("unknown_option", {arg}));
    } else {
      line.command = arg;
    }
  }
  static const std::map<std::string, std::vector<std::string>> kRequired = {
      {"server-ca", {}},
      {"enroll-code", {"--agency"}},
      {"agents", {}},
      {"inventory", {"--agency"}},
      {"tokens", {"--agency"}},
      {"revoke", {"--agent"}},
      {"alerts", {}},
      {"expiring", {"--days"}},
      {"requests", {}},
      {"request", {}},
      {"merger", {"--into", "--name", "--from"}},
      {"report", {"--year"}},
      {"upstream", {}},
      {"agencies", {}},
      {"codes", {}}};
  const auto command = kRequired.find(line.command);
  if (line.command.empty()) return usage(text("missing_command"));
  if (command == kRequired.end()) return usage(text("unknown_command", {line.command}));
  for (const auto& option : command->second) {
    const bool given = option == "--agency" ? line.agency.has_value()
                       : option == "--days" ? line.days.has_value()
                       : option == "--into" ? line.into.has_value()
                       : option == "--name" ? line.name.has_value()
                       : option == "--from" ? line.from.has_value()
                       : option == "--year" ? line.year.has_value()
                                            : line.agent.has_value();
    if (!given) return usage(text("missing_option", {line.command, option}));
  }
  auto config = loadHubConfig(config_path, language);
  if (!config) {
    err << "cks-hub: " << config.error().message << '\n';
    return kExitUsage;
  }
  return Admin(*config, language, clock, out, err, line.wide ? 0 : adminTableWidth()).run(line);
}

}  // namespace cks::hub
