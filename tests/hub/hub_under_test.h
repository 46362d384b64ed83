// A real cks-hub process for the hub's tests: its own hub.ini, TLS folder and store in the
// test's directory, a free loopback port, admin commands run as the province would, and agents
// enrolled over real mutual TLS.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/hub/tls_client.h"
#include "tests/support/process.h"

namespace cks::test {

struct HubSetup {
  std::string max_body;   // [server] max_body; empty: the default
  std::string server;     // more [server] lines ("request_deadline = 3s\n")
  std::string extra;      // more INI text appended as is
  std::string store_url;  // [store] url; empty: sqlite:hub.db in the test's folder
};

// What an enrolled agent holds: its key and the certificate the hub issued.
struct EnrolledAgent {
  std::string agent_id;
  std::string agency_code;
  std::string key_pem;
  std::string cert_pem;
};

class HubUnderTest {
 public:
  HubUnderTest(const std::string& dir, HubSetup setup = {});
  ~HubUnderTest();

  [[nodiscard]] const std::string& config() const { return config_; }
  [[nodiscard]] const std::string& log() const { return log_; }
  // The SQLite file when the hub uses the default store.
  [[nodiscard]] std::string store() const { return dir_ + "/hub.db"; }
  // [store] url as a program would open it: the SQLite file's path, or the PostgreSQL URL.
  [[nodiscard]] const std::string& storeUrl() const { return store_url_; }
  [[nodiscard]] std::string tlsDir() const { return dir_ + "/tls"; }
  [[nodiscard]] int port() const { return port_; }
  // The running hub's process id (-1 when stopped).
  [[nodiscard]] int pid() const { return process_ ? process_->pid() : -1; }

  // Starts `cks-hub --config …` and waits until its port accepts connections (throws after
  // 15 s, with the hub's log in the message).
  void start();
  // SIGTERM; returns the exit code (-1 if it needed more than `limit`).
  int stop(std::chrono::milliseconds limit = std::chrono::seconds(5),
           std::chrono::milliseconds* took = nullptr);
  [[nodiscard]] bool running();

  // Creates the store as a province does before its first admin command: by starting the hub
  // once (admin commands never create a store). Nothing when the SQLite file exists already or
  // a hub has run on the store; nothing for a SQLite path other than the default one.
  void createStore();
  // `cks-hub --config … admin ARGS…`; on the default SQLite store, createStore() first.
  CommandResult admin(const std::vector<std::string>& args);
  // The server CA, as `admin server-ca` prints it.
  std::string serverCa();
  // A fresh code from `admin enroll-code` (its last line); throws when the command fails.
  std::string enrollCode(const std::string& agency, const std::string& name,
                         const std::string& ttl = "");

  // Client options: trusting the server CA, presenting `cert_pem` (or nothing).
  ClientOptions client(const std::string& cert_pem = "", const std::string& key_pem = "");
  ClientOptions client(const EnrolledAgent& agent) { return client(agent.cert_pem, agent.key_pem); }

  // Enrols a new agent of `agency` over HTTPS (a self-signed certificate and a fresh code);
  // throws when the hub refuses.
  EnrolledAgent enroll(const std::string& agency, const std::string& name);
  // Enrols a new agent on PC `host` with `code` (from the admin CLI or the console), as
  // `cksctl enroll` does; throws when the hub refuses.
  EnrolledAgent enrollWith(const std::string& code, const std::string& host);

  // POSTs `body` to `path` as `agent`.
  HttpReply post(const EnrolledAgent& agent, const std::string& path, const std::string& body,
                 const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  std::string dir_;
  std::string config_;
  std::string log_;
  std::string store_url_;
  bool default_store_ = true;   // the SQLite file hub.db in the test's folder
  bool store_created_ = false;  // a hub has started on the store (createStore)
  int port_ = 0;
  std::string server_ca_;
  std::unique_ptr<BackgroundProcess> process_;
};

// The hub's binary in the build tree.
std::string hubBinary();

// "… sync protocol JSON …" helpers for tests.
// One outbox entry as JSON text.
std::string entryJson(long seq, const std::string& uuid, const std::string& kind,
                      const std::string& body_json, const std::string& at = "2026-11-22T04:50:38Z");
// A push request with `entries` (JSON texts) in `lane`.
std::string pushJson(const std::vector<std::string>& entries, const std::string& lane = "normal");
// {"token": {…}} for a token.
std::string tokenBody(const std::string& serial, const std::string& label = "Token Văn thư",
                      const std::string& manufacturer = "Viettel-CA");
// {"token": {…}, "certificate": {…}} for a certificate DER on a token.
std::string certificateBody(const std::string& serial, const std::vector<std::uint8_t>& der,
                            const std::string& previous_fingerprint = "");

// An alert as an agent pushes it; empty strings and nullopt are left out of the body.
struct AlertSpec {
  std::string uuid;
  std::string kind = "certificate_expiring";
  std::string severity = "warning";
  std::string state = "open";
  std::string fingerprint;
  std::string token_serial;
  std::string module;
  std::optional<int> threshold_days;
  std::string raised_at = "2026-11-22T04:50:38Z";
  std::string changed_at;  // empty: raised_at
  std::string snoozed_until;
  std::string resolution;
  std::map<std::string, std::string> params;
};
// {"alert": {…}} for `alert`.
std::string alertBody(const AlertSpec& alert);

}  // namespace cks::test
