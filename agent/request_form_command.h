// `cksctl request form ID [ID…] -o FILE.pdf`: the official form (Mẫu 01–06) of one or more
// requests, for the head of the agency to sign. cksctl renders it itself (the file belongs to
// the officer, not to the service account); the agent only answers with the requests, the
// certificates they name and the agency's name (local API).
#pragma once

#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/local_api_client.h"
#include "core/clock.h"
#include "core/messages.h"

namespace cks::agent {

// Writes the form and prints where; returns cksctl's exit code: 0 written, 1 a request the
// agent does not know, 2 requests that cannot share one form (the reason on stderr), 3 the
// agent not reachable. The caller frees the font caches (print::releaseFonts) before it exits.
[[nodiscard]] int writeFormCommand(const LocalApiClient& client, const AgentConfig& config,
                                   const std::vector<std::string>& ids, const std::string& output,
                                   Language language, TimePoint now);

}  // namespace cks::agent
