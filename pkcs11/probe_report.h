// What one run of cks-p11probe saw through one PKCS#11 module: its tokens and the certificate
// objects on them, read without login. The report travels from the probe child process to the
// agent as one JSON document; this header owns that wire format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/token.h"

namespace cks::pkcs11 {

struct ProbedCertificate {
  std::string label;              // CKA_LABEL
  std::string id_hex;             // CKA_ID, lowercase hex
  std::vector<std::uint8_t> der;  // CKA_VALUE
};

struct ProbedToken {
  unsigned long slot_id = 0;  // for diagnostics only: the inventory never keys on slots
  std::string slot_description;
  std::string serial;
  std::string label;
  std::string manufacturer;
  std::string model;
  TokenPinFlags pin_flags;
  std::vector<ProbedCertificate> certificates;
  std::string error;  // set when the token's certificates could not be listed
};

enum class ProbeOutcome { Ok, Failed, Timeout };

// "ok" | "failed" | "timeout".
[[nodiscard]] std::string_view toString(ProbeOutcome outcome);
[[nodiscard]] bool parseProbeOutcome(std::string_view text, ProbeOutcome& out);

struct ProbeReport {
  std::string module;  // the module path as configured
  ProbeOutcome outcome = ProbeOutcome::Failed;
  std::string detail;  // what happened, for a module that failed; empty when ok
  std::string library_description;
  std::string library_manufacturer;
  unsigned int slot_count = 0;
  std::vector<ProbedToken> tokens;  // slots without a token are not listed
};

[[nodiscard]] std::string toJson(const ProbeReport& report);
[[nodiscard]] Result<ProbeReport> probeReportFromJson(std::string_view json);

}  // namespace cks::pkcs11
