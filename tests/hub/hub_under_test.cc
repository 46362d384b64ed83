#include "tests/hub/hub_under_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "core/certificate.h"
#include "sync/protocol/inventory_json.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

bool portAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

std::string lastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

}  // namespace

std::string hubBinary() { return buildPath("bin/cks-hub"); }

HubUnderTest::HubUnderTest(const std::string& dir, HubSetup setup)
    : dir_(dir),
      config_(dir + "/hub.ini"),
      log_(dir + "/hub.log"),
      store_url_(setup.store_url.empty() ? dir + "/hub.db" : setup.store_url),
      default_store_(setup.store_url.empty()),
      port_(freePort()) {
  std::string ini =
      "[server]\nport = " + std::to_string(port_) + "\nbind = 127.0.0.1\nthreads = 4\n";
  if (!setup.max_body.empty()) ini += "max_body = " + setup.max_body + "\n";
  ini += setup.server;
  ini +=
      "[tls]\ndir = tls\nserver_names = hub.test.gov.vn\norganization = Sở KH&CN tỉnh Quảng Ngãi\n";
  ini += "[store]\nurl = " + (setup.store_url.empty() ? "sqlite:hub.db" : setup.store_url) +
         "\n[upstream]\ndir = upstream\ntimeout = 10s\n[log]\nlevel = debug\nconsole = true\n";
  writeFile(config_, ini + setup.extra);
}

HubUnderTest::~HubUnderTest() {
  if (process_) process_->terminate(std::chrono::seconds(5));
}

void HubUnderTest::start() {
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{hubBinary(), "--config", config_}, log_);
  const bool up = eventually([&] { return !process_->running() || portAccepts(port_); },
                             std::chrono::seconds(15));
  if (!up || !process_->running()) {
    throw std::runtime_error("cks-hub did not start; its log:\n" + readFile(log_));
  }
}

int HubUnderTest::stop(std::chrono::milliseconds limit, std::chrono::milliseconds* took) {
  if (!process_) return -1;
  const int code = process_->terminate(limit, took);
  process_.reset();
  return code;
}

bool HubUnderTest::running() { return process_ && process_->running(); }

void HubUnderTest::createStore() {
  if (store_created_ || running()) {
    store_created_ = true;
    return;
  }
  // The default SQLite file, or a PostgreSQL database (fresh per test): another SQLite path is
  // a test of what admin does without a store.
  const bool postgres = store_url_.rfind("postgres", 0) == 0;
  if (!postgres && (!default_store_ || std::filesystem::exists(store()))) return;
  start();
  stop();
  store_created_ = true;
}

CommandResult HubUnderTest::admin(const std::vector<std::string>& args) {
  createStore();
  std::vector<std::string> argv = {hubBinary(), "--config", config_, "admin"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

std::string HubUnderTest::serverCa() {
  if (server_ca_.empty()) {
    const auto result = admin({"server-ca"});
    if (result.exit_code != 0) throw std::runtime_error("admin server-ca: " + result.err);
    server_ca_ = result.out;
  }
  return server_ca_;
}

std::string HubUnderTest::enrollCode(const std::string& agency, const std::string& name,
                                     const std::string& ttl) {
  std::vector<std::string> args = {"enroll-code", "--agency", agency, "--name", name};
  if (!ttl.empty()) args.insert(args.end(), {"--ttl", ttl});
  const auto result = admin(args);
  if (result.exit_code != 0) throw std::runtime_error("admin enroll-code: " + result.err);
  return lastLine(result.out);
}

ClientOptions HubUnderTest::client(const std::string& cert_pem, const std::string& key_pem) {
  return {.server_ca_pem = serverCa(), .cert_pem = cert_pem, .key_pem = key_pem};
}

EnrolledAgent HubUnderTest::enroll(const std::string& agency, const std::string& name) {
  return enrollWith(enrollCode(agency, name), "PC-" + agency);
}

EnrolledAgent HubUnderTest::enrollWith(const std::string& code, const std::string& host) {
  EnrolledAgent agent;
  agent.key_pem = makeKeyPem();
  Poco::JSON::Object request;
  request.set("code", code);
  request.set("csr", makeCsrPem(agent.key_pem));
  request.set("host", host);
  request.set("agent_version", "0.2.0");
  const auto reply = cks::test::post(port_, client(makeSelfSignedPem(agent.key_pem), agent.key_pem),
                                     "/v1/enroll", sync::stringify(request));
  if (reply.status != 200) {
    throw std::runtime_error("enroll: " + std::to_string(reply.status) + " " + reply.body +
                             reply.tls_error);
  }
  const auto answer = reply.json();
  agent.agent_id = answer->getValue<std::string>("agent_id");
  agent.agency_code = answer->getObject("agency")->getValue<std::string>("code");
  agent.cert_pem = answer->getValue<std::string>("certificate");
  return agent;
}

HttpReply HubUnderTest::post(const EnrolledAgent& agent, const std::string& path,
                             const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  return cks::test::post(port_, client(agent), path, body, headers);
}

std::string entryJson(long seq, const std::string& uuid, const std::string& kind,
                      const std::string& body_json, const std::string& at) {
  return "{\"seq\": " + std::to_string(seq) + ", \"uuid\": \"" + uuid + "\", \"kind\": \"" + kind +
         "\", \"at\": \"" + at + "\", \"body\": " + body_json + "}";
}

std::string pushJson(const std::vector<std::string>& entries, const std::string& lane) {
  std::string list;
  for (const auto& entry : entries) list += (list.empty() ? "" : ", ") + entry;
  return "{\"lane\": \"" + lane + "\", \"entries\": [" + list +
         "], \"backlog\": 3, \"agent_version\": \"0.2.0\", \"agent_time\": "
         "\"2026-11-22T04:50:40Z\"}";
}

std::string tokenBody(const std::string& serial, const std::string& label,
                      const std::string& manufacturer) {
  return "{\"token\": {\"serial\": \"" + serial + "\", \"manufacturer\": \"" + manufacturer +
         "\", \"label\": \"" + label + "\", \"model\": \"ePass2003\", \"pin_state\": \"ok\"}}";
}

std::string certificateBody(const std::string& serial, const std::vector<std::uint8_t>& der,
                            const std::string& previous_fingerprint) {
  std::string body = tokenBody(serial);
  body.pop_back();  // reopen the object
  body += ", \"certificate\": {\"fingerprint_sha256\": \"" + sha256Hex(der) + "\", \"der\": \"" +
          base64(der) + "\"}";
  if (!previous_fingerprint.empty()) {
    body += ", \"previous_fingerprint\": \"" + previous_fingerprint + "\"";
  }
  return body + "}";
}

std::string alertBody(const AlertSpec& alert) {
  Poco::JSON::Object::Ptr a = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  auto text = [&](const char* key, const std::string& value) {
    if (!value.empty()) a->set(key, value);
  };
  text("uuid", alert.uuid);
  text("kind", alert.kind);
  text("severity", alert.severity);
  text("state", alert.state);
  text("fingerprint_sha256", alert.fingerprint);
  text("token_serial", alert.token_serial);
  text("module", alert.module);
  if (alert.threshold_days) a->set("threshold_days", *alert.threshold_days);
  text("raised_at", alert.raised_at);
  text("changed_at", alert.changed_at.empty() ? alert.raised_at : alert.changed_at);
  text("snoozed_until", alert.snoozed_until);
  text("resolution", alert.resolution);
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : alert.params) params->set(key, value);
  a->set("params", params);
  Poco::JSON::Object body;
  body.set("alert", a);
  return sync::stringify(body);
}

}  // namespace cks::test
