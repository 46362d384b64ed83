#include "tests/support/agent_under_test.h"

#include <Poco/JSON/Parser.h>

#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace cks::test {

AgentUnderTest::AgentUnderTest(const std::string& dir, const std::string& name, AgentSetup setup)
    : config_(dir + "/" + name + ".ini"),
      store_(setup.store.empty() ? dir + "/" + name + ".db" : setup.store),
      log_(dir + "/" + name + ".log"),
      secret_file_(dir + "/" + name + ".secret"),
      api_port_(freePort()),
      wait_for_first_scan_(setup.wait_for_first_scan) {
  std::string modules;
  for (const auto& module : setup.modules) modules += (modules.empty() ? "" : ", ") + module;
  writeFile(config_,
            "; written by the test\n[agent]\nhost_name = " + setup.host_name +
                "\n[pkcs11]\nmodules = " + modules + "\nprobe_timeout = " + setup.probe_timeout +
                "\n[scan]\ninterval = " + setup.scan_interval +
                "\nslot_events = " + (setup.slot_events ? "true" : "false") +
                "\n[store]\npath = " + store_ + "\n[api]\nport = " + std::to_string(api_port_) +
                "\nsecret_file = " + secret_file_ + "\n[hub]\ndir = " + dir + "/" + name +
                "-hub\nproxy =\ntimeout = " + setup.hub_timeout + "\n[report]\n" + setup.report +
                "[log]\nsyslog = false\nlevel = debug\n" + setup.extra);
  // [api] secret_group, with the other [api] keys.
  std::string ini = readFile(config_);
  ini.insert(ini.find("\n[hub]\n") + 1, "secret_group = " + setup.secret_group + "\n");
  writeFile(config_, ini);
}

AgentUnderTest::~AgentUnderTest() {
  if (process_) process_->terminate(std::chrono::seconds(5));
}

void AgentUnderTest::start() {
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{buildPath("bin/cks-agent"), "--config", config_}, log_);
  // Up when the API answers; with wait_for_first_scan, once the first scan is recorded and the
  // alert rules have run on it.
  const bool up = eventually(
      [this] {
        if (!process_->running()) return true;
        const auto status = ctl({"status", "--json"});
        if (status.exit_code != 0) return false;
        if (!wait_for_first_scan_) return true;
        const auto o = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
        return !o->isNull("last_scan") && !o->getObject("alerts")->isNull("evaluated_at");
      },
      std::chrono::seconds(15));
  if (!up || !process_->running()) {
    throw std::runtime_error("cks-agent did not start: " + readFile(log_));
  }
}

int AgentUnderTest::stop(std::chrono::milliseconds limit, std::chrono::milliseconds* took) {
  const int code = process_->terminate(limit, took);
  process_.reset();
  return code;
}

bool AgentUnderTest::running() { return process_ && process_->running(); }

CommandResult AgentUnderTest::once() {
  return runCommand({buildPath("bin/cks-agent"), "--config", config_, "--once"});
}

CommandResult AgentUnderTest::ctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {buildPath("bin/cksctl"), "--config", config_};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

Poco::JSON::Array::Ptr AgentUnderTest::ctlArray(const std::vector<std::string>& args) {
  auto argv = args;
  argv.push_back("--json");
  const auto result = ctl(argv);
  if (result.exit_code != 0) throw std::runtime_error("cksctl failed: " + result.err);
  Poco::JSON::Parser parser;
  return parser.parse(result.out).extract<Poco::JSON::Array::Ptr>();
}

Poco::JSON::Object::Ptr AgentUnderTest::ctlObject(const std::vector<std::string>& args) {
  auto argv = args;
  argv.push_back("--json");
  const auto result = ctl(argv);
  if (result.exit_code != 0) throw std::runtime_error("cksctl failed: " + result.err);
  Poco::JSON::Parser parser;
  return parser.parse(result.out).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr findBy(const Poco::JSON::Array::Ptr& array, const std::string& key,
                               const std::string& value) {
  for (size_t i = 0; i < array->size(); ++i) {
    auto item = array->getObject(static_cast<unsigned>(i));
    if (item->has(key) && item->getValue<std::string>(key) == value) return item;
  }
  return nullptr;
}

}  // namespace cks::test
