// Fuzz target: an agency's yearly report as JSON (sync/protocol/report_json.h, parseReport): the
// hub reads it from every report_submitted entry, cksctl from the agent and from a file. What
// reads is written back exactly: parseReport(stringify(reportJson(r))) == r.
#include <Poco/JSON/Object.h>

#include <sstream>
#include <string>

#include "sync/protocol/report_json.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto report = cks::sync::parseReport(std::string(cks::fuzz::text(data, size)));
  if (!report) return 0;
  std::ostringstream written;
  cks::sync::reportJson(*report)->stringify(written);
  const auto again = cks::sync::parseReport(written.str());
  require(again.has_value(), "a written report reads back");
  require(*again == *report, "parseReport(stringify(reportJson(r))) == r");
  return 0;
}
