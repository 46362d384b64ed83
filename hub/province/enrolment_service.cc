#include "hub/province/enrolment_service.h"

#include <algorithm>
#include <cctype>

#include "core/agency_code.h"
#include "core/text.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/province/agency_service.h"
#include "hub/province/staff_service.h"

namespace cks::hub {
namespace {

// What lists show for a code: the start of its hash.
std::string codeId(const std::string& code_hash) { return code_hash.substr(0, 12); }

// "revoked", "used", "expired" or "active" at `now`.
std::string codeState(const EnrollCodeRecord& c, TimePoint now) {
  if (c.revoked_at) return "revoked";
  if (c.used_at) return "used";
  return c.expires_at <= now ? "expired" : "active";
}

CodeLine codeLine(const EnrollCodeRecord& record, TimePoint now) {
  return {record, codeId(record.code_hash), codeState(record, now)};
}

}  // namespace

bool EnrolmentService::validTtl(std::chrono::seconds ttl) {
  return ttl.count() >= 1 && ttl <= kLongestCodeTtl;
}

Result<IssuedCode> EnrolmentService::issueCode(const CodeRequest& request) const {
  auto code = AgencyCode::parse(request.agency_code);
  if (!code) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "bad_agency", {code.error().message}));
  }
  const std::string given(trim(request.name, " \t"));
  if (request.rename && given.empty()) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "enroll_code.rename_needs_name"));
  }
  auto existing = context_.registry.agency(code->str());
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing && given.empty()) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "name_required", {code->str()}));
  }
  if (*existing && !given.empty() && given != (*existing)->name && !request.rename) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "enroll_code.rename_needed",
                                           {code->str(), (*existing)->name, given}));
  }
  IssuedCode issued;
  issued.agency = {code->str(), given.empty() ? (*existing)->name : given, request.type, ""};
  const TimePoint now = context_.clock.now();
  CKS_TRY(context_.registry.saveAgency(issued.agency, now));
  issued.type_unknown = !*existing && !request.type;
  issued.code = newEnrollCode();
  issued.expires_at = now + request.ttl;
  const std::string hash = enrollCodeHash(issued.code);
  CKS_TRY(context_.registry.addEnrollCode(hash, code->str(), issued.expires_at, now));
  // The code's id as lists show it, never the code.
  CKS_TRY(StaffService(context_).record("code.issue", code->str(), codeId(hash),
                                        "expires " + formatIsoUtc(issued.expires_at)));
  return issued;
}

Result<std::vector<CodeLine>> EnrolmentService::codes() const {
  auto list = context_.registry.enrollCodes();
  if (!list) return tl::unexpected(list.error());
  const TimePoint now = context_.clock.now();
  std::vector<CodeLine> lines;
  for (const auto& record : *list) lines.push_back(codeLine(record, now));
  return lines;
}

Result<RevokedCode> EnrolmentService::revokeCode(const std::string& which) const {
  auto list = context_.registry.enrollCodes();
  if (!list) return tl::unexpected(list.error());
  const std::string hash = enrollCodeHash(which);
  // An id as lists show it, in any case, blanks around it ignored.
  std::string id = which;
  std::erase_if(id, [](char c) { return c == ' ' || c == '\t'; });
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  const bool hex = id.size() >= 6 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
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
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "codes.unknown", {which}));
  }
  if (found.size() > 1) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "codes.ambiguous", {which}));
  }
  const TimePoint now = context_.clock.now();
  const CodeLine code = codeLine(*found.front(), now);
  auto revoked = context_.registry.revokeEnrollCode(code.record.code_hash, now);
  if (!revoked) return tl::unexpected(revoked.error());
  switch (*revoked) {
    case CodeRevocation::Revoked: {
      CKS_TRY(StaffService(context_).record("code.revoke", code.record.agency_code, code.id, ""));
      // The code as it is now.
      CodeLine revoked_now = code;
      revoked_now.record.revoked_at = now;
      revoked_now.state = "revoked";
      return RevokedCode{revoked_now, false};
    }
    case CodeRevocation::AlreadyRevoked:
      return RevokedCode{code, true};
    case CodeRevocation::AlreadyUsed:
      return tl::unexpected(context_.refusal(ErrorCode::FailedPrecondition, "codes.already_used",
                                             {code.id, code.record.used_by}));
    case CodeRevocation::Unknown:
      break;
  }
  return tl::unexpected(context_.refusal(ErrorCode::NotFound, "codes.unknown", {which}));
}

Result<std::vector<AgentRecord>> EnrolmentService::agents() const {
  return context_.registry.agents();
}

Result<std::vector<AgentRecord>> EnrolmentService::agentsOf(const std::string& agency_code) const {
  auto agency = AgencyService(context_).known(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto all = context_.registry.agents();
  if (!all) return tl::unexpected(all.error());
  std::erase_if(*all, [&](const AgentRecord& a) { return a.agency_code != agency->code; });
  return all;
}

Result<AgentRecord> EnrolmentService::agent(const std::string& agent_id) const {
  auto agent = context_.registry.agent(agent_id);
  if (!agent) return tl::unexpected(agent.error());
  if (!*agent) {
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "agent.unknown", {agent_id}));
  }
  return **agent;
}

Status EnrolmentService::revokeAgent(const std::string& agent_id) const {
  auto known = agent(agent_id);
  if (!known) return tl::unexpected(known.error());
  auto revoked = context_.registry.revokeAgent(agent_id);
  if (!revoked) return tl::unexpected(revoked.error());
  if (!*revoked) {
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "agent.unknown", {agent_id}));
  }
  return StaffService(context_).record("agent.revoke", known->agency_code, agent_id, known->host);
}

}  // namespace cks::hub
