// `cks-hub admin …`: the province's commands, run directly on the hub's store and PKI (no
// server needed; SQLite lets them run beside a running hub). Human output is short tables in
// Vietnamese (or English); --json prints the contract shapes (docs/hub.md). Single-threaded.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error_code.h"
#include "core/messages.h"

namespace cks::hub {

// Exit codes from the one mapping of error kinds (core/error_code.h).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = exitCode(ErrorCode::Internal);
inline constexpr int kExitUsage = exitCode(ErrorCode::InvalidArgument);
// The national hub did not answer (upstream).
inline constexpr int kExitUnreachable = exitCode(ErrorCode::Unavailable);

// Runs one admin command: `args` is what follows "admin" (global options already taken out),
// `config_path` the hub.ini to use. Returns the exit code: 0 ok, 1 runtime error (store, PKI,
// unknown agency), 2 usage or configuration error (one line on `err`; also no store at the
// configured SQLite path: admin commands never create one), 4 the national hub not reachable
// (upstream commands). `revoke` reads its confirmation from std::cin when stdin is a terminal.
[[nodiscard]] int runAdmin(const std::string& config_path, const std::vector<std::string>& args,
                           Language language, const Clock& clock, std::ostream& out,
                           std::ostream& err);

}  // namespace cks::hub
