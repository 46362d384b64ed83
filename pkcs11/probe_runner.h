// Runs cks-p11probe for one module at a time in a child process with a timeout and turns
// whatever happened (a report, a crash, a hang, garbage) into a ProbeReport. This is how the
// agent reaches PKCS#11: never in its own process. Thread-safe (const, no shared state).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "pkcs11/probe_report.h"

namespace cks::pkcs11 {

struct ProbeRunnerOptions {
  std::string probe_path;  // the cks-p11probe executable
  std::chrono::milliseconds timeout{10000};
};

class ProbeRunner {
 public:
  explicit ProbeRunner(ProbeRunnerOptions options) : options_(std::move(options)) {}

  // Probes `module`. Always returns a report: a crash gives outcome Failed with the signal in
  // `detail`, a hang gives Timeout, `*cancel` turning true ends it early as Failed.
  [[nodiscard]] ProbeReport probe(const std::string& module, const std::atomic<bool>* cancel) const;

  // The module paths registered with p11-kit on this machine, asked in a child process too.
  [[nodiscard]] Result<std::vector<std::string>> registeredModules(
      const std::atomic<bool>* cancel) const;

  [[nodiscard]] const ProbeRunnerOptions& options() const { return options_; }

 private:
  ProbeRunnerOptions options_;
};

}  // namespace cks::pkcs11
