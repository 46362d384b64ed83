// A real cks-agent process for integration tests: its own config, store and API secret in
// the test's directory, a free loopback port, and cksctl run against it as a user would.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "tests/support/process.h"

namespace cks::test {

struct AgentSetup {
  std::vector<std::string> modules;
  std::string scan_interval = "1h";  // tests trigger scans themselves unless they test the timer
  std::string probe_timeout = "10s";
  bool slot_events = false;
  std::string host_name = "PC-VANTHU";
  // More INI text appended as is (after [log]: it may go on with that section).
  std::string extra;
  // The [report] section. The yearly report's reminder is off unless a test is about it: it
  // opens on 1 December and would change the alert counts of every other test that month.
  std::string report = "reminder = false\n";
  std::string hub_timeout = "10s";  // [hub] timeout
  // [api] secret_group: none by default, so that the secret is 0600 whatever groups this
  // machine has (a test about the group names one that exists, e.g. nogroup).
  std::string secret_group;
  // start() returns once the first scan is recorded (off for a module that never answers).
  bool wait_for_first_scan = true;
  // [store] path; empty: NAME.db in the test's folder.
  std::string store;
};

class AgentUnderTest {
 public:
  AgentUnderTest(const std::string& dir, const std::string& name, AgentSetup setup);
  ~AgentUnderTest();

  [[nodiscard]] const std::string& config() const { return config_; }
  [[nodiscard]] const std::string& store() const { return store_; }
  [[nodiscard]] const std::string& log() const { return log_; }
  [[nodiscard]] const std::string& secretFile() const { return secret_file_; }
  [[nodiscard]] int apiPort() const { return api_port_; }

  // Starts `cks-agent --config …` and waits until its API answers and, unless the setup says
  // otherwise, its first scan is recorded (throws after 15 s).
  void start();
  // SIGTERM; returns the exit code (-1 if it needed more than `limit`).
  int stop(std::chrono::milliseconds limit = std::chrono::seconds(5),
           std::chrono::milliseconds* took = nullptr);
  [[nodiscard]] bool running();
  [[nodiscard]] pid_t pid() const { return process_ ? process_->pid() : -1; }

  // `cks-agent --config … --once`.
  CommandResult once();
  // `cksctl --config … ARGS…`.
  CommandResult ctl(const std::vector<std::string>& args);
  // `cksctl --config … ARGS… --json`, parsed (throws when it is not JSON).
  Poco::JSON::Array::Ptr ctlArray(const std::vector<std::string>& args);
  Poco::JSON::Object::Ptr ctlObject(const std::vector<std::string>& args);

 private:
  std::string config_;
  std::string store_;
  std::string log_;
  std::string secret_file_;
  int api_port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
  bool wait_for_first_scan_ = true;
};

// The element of `array` whose `key` equals `value`, or null.
Poco::JSON::Object::Ptr findBy(const Poco::JSON::Array::Ptr& array, const std::string& key,
                               const std::string& value);

}  // namespace cks::test
