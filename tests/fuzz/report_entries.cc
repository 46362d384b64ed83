// Fuzz target: the officer's figures of the yearly report, "FIELD=VALUE" one a line, as `cksctl
// report set` takes them and POST /v1/reports/{year}/entries carries them ({"set": [...]}) to
// core/report.h's applyReportAssignment. A refused assignment leaves the entries as they were
// (the header's promise); an accepted one, applied again, changes nothing more.
#include <string_view>

#include "core/report.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = cks::fuzz::text(data, size);
  cks::OfficerEntries entries;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    const std::string_view assignment = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    const cks::OfficerEntries before = entries;
    if (const auto refusal = cks::applyReportAssignment(entries, assignment)) {
      require(entries == before, "a refused assignment leaves the entries unchanged");
      require(!refusal->text(cks::Language::English).empty(), "a refusal says why");
      continue;
    }
    const cks::OfficerEntries after = entries;
    require(!cks::applyReportAssignment(entries, assignment), "an accepted assignment is again");
    require(entries == after, "applying an assignment twice is applying it once");
  }
  return 0;
}
