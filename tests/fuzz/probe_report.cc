// Fuzz target: the JSON report the PKCS#11 probe child writes on its stdout (pkcs11/
// probe_report.h, probeReportFromJson: the agent reads whatever a crashing or hostile module
// made the child print). A report that reads is written back the same: read → write → read →
// write gives the same text.
#include <string>

#include "pkcs11/probe_report.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto report = cks::pkcs11::probeReportFromJson(cks::fuzz::text(data, size));
  if (!report) return 0;
  const std::string written = cks::pkcs11::toJson(*report);
  const auto again = cks::pkcs11::probeReportFromJson(written);
  require(again.has_value(), "a report written by toJson reads back");
  require(cks::pkcs11::toJson(*again) == written, "read → write is stable");
  return 0;
}
