// A store found damaged when the agent starts (issue 15, "Disk full and I/O errors"): a disk
// that lost sectors, a copy cut short. The agent must not refuse to start (a commune would be
// left without warnings until someone reads a log): it keeps the damaged file aside untouched,
// starts a new store that its first scan fills again, tells the officer, and after enrolling
// again the province holds each certificate and token once.
#include <filesystem>
#include <fstream>

#include "tests/fault/fault_helpers.h"

namespace cks::test {
namespace {

class DamagedStoreFaultTest : public FaultTest {
 protected:
  // Garbage over every page after the first, as a disk that lost them would leave it: the
  // header still says "SQLite", SQLite's own check finds the rest.
  static void damage(const std::string& path) {
    const auto size = std::filesystem::file_size(path);
    ASSERT_GT(size, 4u * 4096) << path;
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096);
    const std::string garbage(size - 4096, '\x5a');
    file.write(garbage.data(), std::streamsize(garbage.size()));
    ASSERT_TRUE(file.good());
  }

  // The files in the agent's folder whose names start with `prefix`.
  static std::vector<std::string> filesStartingWith(const std::string& prefix) {
    std::vector<std::string> found;
    const std::filesystem::path first(prefix);
    for (const auto& entry : std::filesystem::directory_iterator(first.parent_path())) {
      if (entry.path().string().rfind(prefix, 0) == 0) found.push_back(entry.path().string());
    }
    return found;
  }
};

TEST_F(DamagedStoreFaultTest, ADamagedStoreIsKeptAsideAndANewOneRelearnsWithoutDuplicatesAtTheHub) {
  AgentUnderTest agent(dir_.path(), "agent", agentSetup());
  agent.start();
  const auto enrolled = enroll(agent, hub_.port());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err << tail(agent.log());
  syncUntilOk(agent);
  const auto certificates = certificateView(agent.ctlArray({"certs"}));
  const auto tokens = tokenView(agent.ctlArray({"tokens"}));
  ASSERT_EQ(certificates.size(), 3u);
  ASSERT_EQ(agent.stop(), 0) << tail(agent.log());
  ASSERT_TRUE(filesStartingWith(agent.store() + "-wal").empty()) << "checkpointed at stop";

  damage(agent.store());
  if (HasFatalFailure()) return;
  const std::string damaged = readFile(agent.store());
  ASSERT_NE(integrityCheck(agent.store()), "ok");

  agent.start();  // returns once the first scan of the new store is recorded
  const auto kept = filesStartingWith(agent.store() + ".damaged-");
  ASSERT_EQ(kept.size(), 1u) << tail(agent.log());
  EXPECT_EQ(readFile(kept[0]), damaged) << "the damaged file is kept as it was";
  const std::string log = readFile(agent.log());
  EXPECT_NE(log.find("was damaged"), std::string::npos) << tail(agent.log());
  EXPECT_NE(log.find(kept[0]), std::string::npos) << tail(agent.log());

  // The officer is told, in Vietnamese, where the old store is and what to do.
  const auto alerts = agent.ctlArray({"alerts"});
  bool told = false;
  for (unsigned i = 0; i < alerts->size(); ++i) {
    const auto alert = alerts->getObject(i);
    if (alert->getValue<std::string>("kind") != "store_replaced") continue;
    told = true;
    EXPECT_EQ(alert->getValue<std::string>("severity"), "critical");
    const auto text = alert->getValue<std::string>("message");
    EXPECT_NE(text.find("bị hỏng"), std::string::npos) << text;
    EXPECT_NE(text.find(kept[0]), std::string::npos) << text;
    EXPECT_NE(text.find("cksctl enroll --force"), std::string::npos) << text;
  }
  EXPECT_TRUE(told) << "no store_replaced alert";

  // The new store knows the tokens again from its first scan, and no hub yet.
  EXPECT_EQ(certificateView(agent.ctlArray({"certs"})), certificates);
  EXPECT_EQ(tokenView(agent.ctlArray({"tokens"})), tokens);
  EXPECT_EQ(integrityCheck(agent.store()), "ok");
  const auto unenrolled = agent.ctl({"sync"});
  EXPECT_NE(unenrolled.exit_code, 0) << unenrolled.out;

  // Enrolled again: the province counts each certificate and token once.
  const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
  const auto again = agent.ctl({"enroll", "--force", "--hub", url(hub_.port()), "--code", code,
                                "--hub-ca", dir_.file("hub-ca.pem")});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err << tail(agent.log());
  syncUntilOk(agent);
  expectConsistent(agent);
}

}  // namespace
}  // namespace cks::test
