// Lists the tokens of one PKCS#11 module and the certificate objects on them, in this process,
// through libp11 and without logging in. Vendor middleware can crash or hang, so only the
// cks-p11probe child process calls this; the agent talks to it through ProbeRunner.
#pragma once

#include <functional>
#include <string>

#include "pkcs11/probe_report.h"

namespace cks::pkcs11 {

// Loads `module_path`, lists every token and its certificates, and unloads it. A module that
// cannot be loaded or listed gives a report with outcome Failed and the reason in `detail`.
[[nodiscard]] ProbeReport listModule(const std::string& module_path);

// Loads `module_path` and calls `on_event(slot_id)` for every slot event the module reports
// (a token inserted or removed), blocking until the module fails. Returns a description of why
// it stopped: "unsupported" when the module has no C_WaitForSlotEvent.
[[nodiscard]] std::string watchSlotEvents(const std::string& module_path,
                                          const std::function<void(unsigned long)>& on_event);

}  // namespace cks::pkcs11
