// `cksctl request form ID [ID…] -o FILE.pdf`: the official form (Mẫu 01–06) of one or more
// requests, for the head of the agency to sign. cksctl renders it itself (the file belongs to
// the officer, not to the service account); the agent only answers with the requests, the
// certificates they name and the agency's name (local API).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/local_api_client.h"
#include "core/clock.h"
#include "core/messages.h"
#include "print/request_forms.h"

namespace cks::agent {

// The agency's identity as a form prints it, from the agent's status `agency` object
// (docs/local-api.md): each unknown field replaced by a placeholder that says which setting to
// make ("(chưa rõ tỉnh/thành phố — đặt [agency] province trong agent.ini hoặc đăng ký với Sở)"),
// and the names of those fields.
struct FormIdentity {
  print::FormHeader header;
  // "name", "code", and "province" when what follows from it is unknown (else "parent_body",
  // "place", "department" by themselves)
  std::vector<std::string> missing;
};
[[nodiscard]] FormIdentity formIdentity(const Poco::JSON::Object::Ptr& agency,
                                        const AgentConfig& config, Language language);

// On stderr, one warning naming the unknown fields and where to set them (nothing when none).
void warnOfUnknownIdentity(const std::vector<std::string>& missing, const AgentConfig& config,
                           Language language);

// Writes the form and prints where; returns cksctl's exit code: 0 written, 1 a request the
// agent does not know, 2 requests that cannot share one form (the reason on stderr), 3 the
// agent not reachable. The caller frees the font caches (print::releaseFonts) before it exits.
[[nodiscard]] int writeFormCommand(const LocalApiClient& client, const AgentConfig& config,
                                   const std::vector<std::string>& ids, const std::string& output,
                                   Language language, TimePoint now);

}  // namespace cks::agent
