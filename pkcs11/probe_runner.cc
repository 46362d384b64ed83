#include "pkcs11/probe_runner.h"

#include <sstream>

#include "platform/child_process.h"

namespace cks::pkcs11 {
namespace {

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "…" : line;
}

std::string describeEnd(const platform::ChildOutcome& child) {
  if (child.signal != 0) {
    std::string text = "cks-p11probe terminated by signal " + std::to_string(child.signal) + " (" +
                       child.signal_name + ")";
    if (!child.err.empty()) text += ": " + firstLine(child.err);
    return text;
  }
  std::string text = "cks-p11probe exited with code " + std::to_string(child.exit_code);
  if (!child.err.empty()) text += ": " + firstLine(child.err);
  return text;
}

}  // namespace

ProbeReport ProbeRunner::probe(const std::string& module, const std::atomic<bool>* cancel) const {
  ProbeReport failed;
  failed.module = module;
  auto child = platform::runChild({options_.probe_path, module}, options_.timeout, cancel);
  if (!child) {
    failed.detail = child.error().message;
    return failed;
  }
  if (child->timed_out) {
    failed.outcome = ProbeOutcome::Timeout;
    std::ostringstream detail;
    detail << "no answer within " << options_.timeout.count() / 1000.0
           << " s; the probe was killed";
    failed.detail = detail.str();
    return failed;
  }
  if (child->cancelled) {
    failed.detail = "scan cancelled (the agent is stopping)";
    return failed;
  }
  // A probe that ran to the end prints its report even when the module failed to load.
  if (child->signal == 0 && !child->out.empty()) {
    auto report = probeReportFromJson(child->out);
    if (report) {
      report->module = module;
      return *report;
    }
    failed.detail = "unreadable answer from cks-p11probe: " + report.error().message;
    return failed;
  }
  failed.detail = describeEnd(*child);
  return failed;
}

Result<std::vector<std::string>> ProbeRunner::registeredModules(
    const std::atomic<bool>* cancel) const {
  auto child =
      platform::runChild({options_.probe_path, "--registered-modules"}, options_.timeout, cancel);
  if (!child) return tl::unexpected(child.error());
  if (child->timed_out || child->cancelled || child->signal != 0 || child->exit_code != 0) {
    return fail("p11-kit registered modules: ",
                child->timed_out ? "timed out" : describeEnd(*child));
  }
  std::vector<std::string> paths;
  std::istringstream lines(child->out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

}  // namespace cks::pkcs11
