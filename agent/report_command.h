// `cksctl report draft|set|submit|export --year Y` (docs/report.md, "Agent side"): the officer's
// side of the yearly report. The draft is asked of the agent (it knows the inventory and the
// requests) and shown in words, or as the report's JSON; the officer's figures are sent to be
// checked and saved; a submission freezes a version that the agent queues for the province; an
// export prints it to a PDF or an Excel workbook.
#pragma once

#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/local_api_client.h"
#include "core/clock.h"
#include "core/messages.h"

namespace cks::agent {

struct ReportOptions {
  int year = 0;                          // --year Y (2000–2100, checked by the caller)
  std::vector<std::string> assignments;  // set: FIELD=VALUE …
  std::string output;                    // export: -o FILE.pdf | FILE.xlsx
  bool json = false;
  size_t table_width = 0;  // the width tables fit (core/text_table.h); 0 prints them whole
};

// `report draft`: the draft in words (or its JSON with --json). Exit 0, 1 the agent could not
// make it, 3 the agent not reachable.
[[nodiscard]] int reportDraftCommand(const LocalApiClient& client, const ReportOptions& options,
                                     Language language);

// `report set FIELD=VALUE …`: exit 0 every value saved, 2 none given or any refused (nothing
// saved; each refusal on stderr naming the field), 1 the store failed, 3 the agent not reachable.
[[nodiscard]] int reportSetCommand(const LocalApiClient& client, const ReportOptions& options,
                                   Language language);

// `report submit`: freezes the draft as the next version and queues it; prints the version.
// Exit 0, 1 the store failed, 3 the agent not reachable.
[[nodiscard]] int reportSubmitCommand(const LocalApiClient& client, const ReportOptions& options,
                                      Language language);

// `report export -o FILE.pdf|FILE.xlsx`: the latest submitted version (what the province
// received), or the draft as of now when none was submitted, as a document for the agency's own
// records, written whole or not at all. Exit 0, 2 another extension, 1 the agent or the file
// failed, 3 the agent not reachable. The caller frees the font caches (print::releaseFonts).
// The heading names the agency as the agent's status does (its identity, agent/agency_profile.h),
// unknown fields as such with a warning on stderr, and the document ends with the signature block.
[[nodiscard]] int reportExportCommand(const LocalApiClient& client, const AgentConfig& config,
                                      const ReportOptions& options, Language language,
                                      TimePoint now);

}  // namespace cks::agent
