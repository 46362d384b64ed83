// Enrolment and agents: the single-use codes the province issues to an agency's PC (kept only
// as hashes), the agents they enrolled, and revoking either. Typed in, typed out
// (province_context.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/report.h"
#include "core/result.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

// How long an enrolment code lasts unless the province says otherwise, and at most.
inline constexpr std::chrono::seconds kDefaultCodeTtl = std::chrono::hours(72);
inline constexpr std::chrono::seconds kLongestCodeTtl = std::chrono::days(30);

struct CodeRequest {
  std::string agency_code;
  std::string name;                // empty: the name the directory has; blanks around it ignored
  std::optional<AgencyType> type;  // nullopt: the type the directory has ("other" when new)
  bool rename = false;             // `name` replaces the agency's name
  std::chrono::seconds ttl = kDefaultCodeTtl;
};

struct IssuedCode {
  std::string code;  // the only time it is seen in clear
  Agency agency;
  TimePoint expires_at{};
  bool type_unknown = false;  // a new agency without a type: counted as "other" until told
};

// An enrolment code as the province lists it.
struct CodeLine {
  EnrollCodeRecord record;
  std::string id;     // the start of its hash: what lists show and what revoke accepts
  std::string state;  // "revoked", "used", "expired" or "active"
};

struct RevokedCode {
  CodeLine code;
  bool already_revoked = false;
};

class EnrolmentService {
 public:
  explicit EnrolmentService(ProvinceContext context) : context_(context) {}

  // Whether a code may last `ttl`: from a second to kLongestCodeTtl.
  [[nodiscard]] static bool validTtl(std::chrono::seconds ttl);

  // Creates or updates the agency and issues a code for it. InvalidArgument: a malformed code,
  // a rename without a name, a new agency without a name, or a name that differs from the
  // directory's without `rename` (a name typed from memory must not replace the agency's own).
  [[nodiscard]] Result<IssuedCode> issueCode(const CodeRequest& request) const;
  // Every code, the newest first.
  [[nodiscard]] Result<std::vector<CodeLine>> codes() const;
  // Withdraws the code `which` names: the code as given to the officer, or its id (at least 6
  // of its first hex digits). NotFound: no such code; InvalidArgument: the id names several;
  // FailedPrecondition: it already enrolled an agent.
  [[nodiscard]] Result<RevokedCode> revokeCode(const std::string& which) const;

  // Every enrolled agent.
  [[nodiscard]] Result<std::vector<AgentRecord>> agents() const;
  // The agents of the agency `agency_code` (AgencyService::known's refusals).
  [[nodiscard]] Result<std::vector<AgentRecord>> agentsOf(const std::string& agency_code) const;
  // The agent `agent_id`; NotFound when the hub has none.
  [[nodiscard]] Result<AgentRecord> agent(const std::string& agent_id) const;
  // Cuts the agent off for good (it must enrol again); NotFound when the hub has none.
  [[nodiscard]] Status revokeAgent(const std::string& agent_id) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
