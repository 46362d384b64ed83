// `enroll-code`, `codes`, `agents`, `revoke`: enrolment and agents (hub/province/
// enrolment_service.h).
#include <algorithm>
#include <cctype>
#include <iostream>

#include "core/report.h"
#include "hub/admin/admin_session.h"
#include "hub/province/enrolment_service.h"
#include "hub/province/view_json.h"
#include "platform/terminal.h"

namespace cks::hub {
namespace {

// `enroll-code --agency CODE [--name NAME] [--rename] [--type TYPE] [--ttl DURATION]`.
int enrollCode(AdminSession& session, const AdminArgs& args) {
  CodeRequest request;
  request.agency_code = *args.value("--agency");
  if (const auto ttl = args.value("--ttl");
      ttl && (!parseSeconds(*ttl, request.ttl) || !EnrolmentService::validTtl(request.ttl))) {
    return session.usageError(session.text("bad_ttl", {*ttl}));
  }
  if (const auto type = args.value("--type")) {
    if (AgencyType parsed{}; parseAgencyType(*type, parsed)) {
      request.type = parsed;
    } else {
      return session.usageError(session.text("bad_type", {*type}));
    }
  }
  request.name = args.value("--name").value_or("");  // the service trims it
  request.rename = args.flag("--rename");
  auto issued = EnrolmentService(session.province()).issueCode(request);
  if (!issued) return session.failed(issued.error());
  if (issued->type_unknown) {
    session.err << "cks-hub: " << session.text("enroll_code.type_unknown", {issued->agency.code})
                << '\n';
  }
  // The code alone on the last line: scripts take it with `tail -n 1`.
  session.out << session.text("enroll_code.issued", {issued->agency.name, issued->agency.code,
                                                     session.shownTime(issued->expires_at)})
              << '\n'
              << issued->code << '\n';
  return 0;
}

int agents(AdminSession& session, const AdminArgs& args) {
  auto list = EnrolmentService(session.province()).agents();
  if (!list) return session.failed(list.error());
  if (args.flag("--json")) return session.printJson(arrayOf(*list, agentJson));
  if (list->empty()) {
    session.out << session.text("agents.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("col.agency"), session.text("col.host"), session.text("col.agent_id"),
       session.text("col.last_contact"), session.text("col.last_seq"), session.text("col.urgent"),
       session.text("col.clock_offset"), session.text("col.version"), session.text("col.backlog")}};
  for (const auto& a : *list) {
    rows.push_back({a.agency_code + " " + a.agency_name,
                    a.host + (a.revoked ? " (" + session.text("revoked") + ")" : ""), a.agent_id,
                    a.last_contact ? session.shownTime(*a.last_contact) : session.text("never"),
                    std::to_string(a.normal_acked), std::to_string(a.urgent_acked),
                    a.clock_offset_seconds ? std::to_string(*a.clock_offset_seconds) : "",
                    a.agent_version, std::to_string(a.backlog)});
  }
  session.out << session.text("agents.title") << '\n'
              << session.renderTable(rows, {0, 1})
              << session.text("agents.count", {std::to_string(list->size())}) << '\n';
  return 0;
}

// "y", "yes", "c", "có" (any case): the answer that confirms.
bool isYes(const std::string& answer) {
  std::string word = answer;
  if (!word.empty() && word.back() == '\r') word.pop_back();
  word = trimmed(word);
  if (word == "có" || word == "Có" || word == "CÓ") return true;
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return word == "y" || word == "yes" || word == "c" || word == "co";
}

// `revoke --agent ID [--yes]`: revoking cuts a PC off for good (it must enrol again), so
// someone at a terminal confirms it unless --yes; scripts (no terminal on stdin) are not asked.
int revoke(AdminSession& session, const AdminArgs& args) {
  const std::string agent_id = *args.value("--agent");
  const EnrolmentService enrolment(session.province());
  auto agent = enrolment.agent(agent_id);
  if (!agent) return session.failed(agent.error());
  if (!args.flag("--yes") && platform::inputIsTerminal()) {
    session.out << session.text("revoke.confirm", {agent->agent_id, agent->host, agent->agency_code,
                                                   agent->agency_name})
                << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || !isYes(answer)) {
      session.err << "cks-hub: " << session.text("revoke.cancelled", {agent_id}) << '\n';
      return exitCode(ErrorCode::Internal);
    }
  }
  if (auto revoked = enrolment.revokeAgent(agent_id); !revoked) {
    return session.failed(revoked.error());
  }
  session.out << session.text("agent.revoked", {agent_id}) << '\n';
  return 0;
}

// `codes revoke CODE|ID`: withdraws a code not used yet.
int revokeCode(AdminSession& session, const std::string& which) {
  auto revoked = EnrolmentService(session.province()).revokeCode(which);
  if (!revoked) return session.failed(revoked.error());
  const CodeLine& code = revoked->code;
  session.out << session.text(revoked->already_revoked ? "codes.already_revoked" : "codes.revoked",
                              {code.id, code.record.agency_code, code.record.agency_name})
              << '\n';
  return 0;
}

// `codes [--json]` lists the enrolment codes (never the code itself: the hub keeps only its
// hash, shown as an id); `codes revoke CODE|ID` withdraws one.
int codes(AdminSession& session, const AdminArgs& args) {
  if (args.operands.size() == 2 && args.operands[0] == "revoke") {
    return revokeCode(session, args.operands[1]);
  }
  if (!args.operands.empty()) return session.usageError(session.text("codes.usage"));
  auto list = EnrolmentService(session.province()).codes();
  if (!list) return session.failed(list.error());
  if (args.flag("--json")) return session.printJson(arrayOf(*list, codeJson));
  if (list->empty()) {
    session.out << session.text("codes.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("codes.col.id"), session.text("col.agency"), session.text("codes.col.created"),
       session.text("col.expires"), session.text("col.status")}};
  for (const auto& line : *list) {
    const EnrollCodeRecord& c = line.record;
    std::string state = session.text("codes.state." + line.state);
    if (c.used_at) state += " " + session.shownTime(*c.used_at);
    if (c.revoked_at) state += " " + session.shownTime(*c.revoked_at);
    rows.push_back({line.id, c.agency_code + " " + c.agency_name, session.shownTime(c.created_at),
                    session.shownTime(c.expires_at), state});
  }
  session.out << session.text("codes.title") << '\n'
              << session.renderTable(rows)
              << session.text("codes.count", {std::to_string(list->size())}) << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> agentCommands() {
  return {{"enroll-code", {"--agency"}, false, true, enrollCode},
          {"agents", {}, false, true, agents},
          {"revoke", {"--agent"}, false, true, revoke},
          {"codes", {}, true, true, codes}};
}

}  // namespace cks::hub
