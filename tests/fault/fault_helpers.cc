#include "tests/fault/fault_helpers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "hub/postgres_url.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

bool portAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

Poco::JSON::Array::Ptr parseArray(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Array::Ptr>();
}

std::string field(const Poco::JSON::Object::Ptr& object, const char* key) {
  if (!object->has(key) || object->isNull(key)) return "∅";
  return object->getValue<std::string>(key);
}

// A read-only connection to an SQLite file, closed at the end of the scope.
class ReadOnlyDatabase {
 public:
  explicit ReadOnlyDatabase(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "out of memory";
    }
  }
  ~ReadOnlyDatabase() { sqlite3_close(db_); }
  ReadOnlyDatabase(const ReadOnlyDatabase&) = delete;
  ReadOnlyDatabase& operator=(const ReadOnlyDatabase&) = delete;

  [[nodiscard]] const std::string& error() const { return error_; }

  // Runs `sql`, calling `row` with each result row; throws std::runtime_error on an error.
  void query(const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
    if (!error_.empty()) throw std::runtime_error(path_ + ": " + error_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(path_ + ": " + sql + ": " + sqlite3_errmsg(db_));
    }
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
      throw std::runtime_error(path_ + ": " + sql + ": " + sqlite3_errmsg(db_));
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::string error_;
};

std::string text(sqlite3_stmt* stmt, int column) {
  const auto* value = sqlite3_column_text(stmt, column);
  return value ? reinterpret_cast<const char*>(value) : "";
}

// Runs `sql` on the hub's store through the hub's own connection code; throws
// std::runtime_error naming the store on an error.
void queryHubStore(const std::string& store, const std::string& sql, const hub::RowHandler& row) {
  // The hub's own migrations: a pool refuses a store of a schema it does not know.
  auto pool = hub::isPostgresUrl(store) ? hub::openPostgresPool(store, hub::postgresMigrations())
                                        : hub::openSqlitePool(store, hub::sqliteMigrations());
  if (!pool) throw std::runtime_error(store + ": " + pool.error().message);
  auto lease = (*pool)->acquire();
  if (!lease) throw std::runtime_error(store + ": " + lease.error().message);
  if (auto ran = (*lease)->run(sql, {}, row); !ran) {
    throw std::runtime_error(store + ": " + sql + ": " + ran.error().message);
  }
}

std::uint64_t fromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoull(value, nullptr, 10);
}

}  // namespace

std::uint64_t faultSeed() { return fromEnvironment("CKS_FAULT_SEED", kDefaultFaultSeed); }

int faultRounds(int fallback) {
  const auto rounds = fromEnvironment("CKS_FAULT_ROUNDS", std::uint64_t(fallback));
  return static_cast<int>(std::clamp<std::uint64_t>(rounds, 1, 1000000));
}

void HubProcess::start() {
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{hubBinary(), "--config", hub_.config()}, hub_.log());
  const bool up = eventually([&] { return !process_->running() || portAccepts(hub_.port()); },
                             std::chrono::seconds(15));
  if (!up || !process_->running()) {
    throw std::runtime_error("cks-hub did not start; its log:\n" + tail(hub_.log()));
  }
}

void HubProcess::kill9() {
  if (process_) process_->kill9();
  process_.reset();
}

int HubProcess::stop() {
  if (!process_) return -1;
  const int code = process_->terminate(std::chrono::seconds(5));
  process_.reset();
  return code;
}

bool HubProcess::running() { return process_ && process_->running(); }

std::multiset<std::string> certificateView(const Poco::JSON::Array::Ptr& certificates) {
  std::multiset<std::string> rows;
  for (size_t i = 0; i < certificates->size(); ++i) {
    const auto c = certificates->getObject(static_cast<unsigned>(i));
    rows.insert(field(c, "fingerprint_sha256") + "|" + field(c, "token_serial") + "|" +
                (c->getValue<bool>("present") ? "present" : "absent") + "|" + field(c, "status"));
  }
  return rows;
}

std::multiset<std::string> tokenView(const Poco::JSON::Array::Ptr& tokens) {
  std::multiset<std::string> rows;
  for (size_t i = 0; i < tokens->size(); ++i) {
    const auto t = tokens->getObject(static_cast<unsigned>(i));
    rows.insert(field(t, "serial") + "|" + field(t, "manufacturer") + "|" +
                (t->getValue<bool>("present") ? "present" : "absent"));
  }
  return rows;
}

std::string integrityCheck(const std::string& path) {
  ReadOnlyDatabase db(path);
  if (!db.error().empty()) return "cannot open " + path + ": " + db.error();
  std::string result;
  try {
    db.query("PRAGMA integrity_check",
             [&](sqlite3_stmt* stmt) { result += (result.empty() ? "" : "\n") + text(stmt, 0); });
  } catch (const std::exception& e) {
    return e.what();
  }
  return result;
}

std::map<std::pair<std::string, std::string>, HubLane> hubLanes(const std::string& store) {
  std::map<std::pair<std::string, std::string>, HubLane> lanes;
  queryHubStore(store,
                "SELECT agent_id, lane, count(*), count(DISTINCT seq), min(seq), max(seq) "
                "FROM entries GROUP BY agent_id, lane",
                [&](const hub::SqlRow& row) {
                  HubLane& lane = lanes[{row.text(0), row.text(1)}];
                  lane.entries = row.integer(2);
                  lane.distinct_seq = row.integer(3);
                  lane.min_seq = row.integer(4);
                  lane.max_seq = row.integer(5);
                });
  queryHubStore(store, "SELECT agent_id, lane, acked FROM lane_state", [&](const hub::SqlRow& row) {
    lanes[{row.text(0), row.text(1)}].acked = row.integer(2);
  });
  return lanes;
}

std::pair<std::int64_t, std::int64_t> hubEntryUuids(const std::string& store) {
  std::pair<std::int64_t, std::int64_t> counts;
  queryHubStore(store, "SELECT count(*), count(DISTINCT uuid) FROM entries",
                [&](const hub::SqlRow& row) {
                  counts = {row.integer(0), row.integer(1)};
                });
  return counts;
}

std::string hubIntegrityCheck(const std::string& store) {
  if (!hub::isPostgresUrl(store)) return integrityCheck(store);
  auto pool = hub::openPostgresPool(store, hub::postgresMigrations());
  if (!pool) return pool.error().message;
  auto lease = (*pool)->acquire();
  if (!lease) return lease.error().message;
  auto checked = (*lease)->integrityCheck();
  return checked ? *checked : checked.error().message;
}

std::string hubEntryKinds(const std::string& store) {
  std::string kinds;
  queryHubStore(store, "SELECT kind, count(*) FROM entries GROUP BY kind ORDER BY kind",
                [&](const hub::SqlRow& row) {
                  kinds += row.text(0) + "=" + std::to_string(row.integer(1)) + " ";
                });
  return kinds;
}

std::map<std::string, std::int64_t> agentLaneSequences(const std::string& agent_db) {
  ReadOnlyDatabase db(agent_db);
  std::map<std::string, std::int64_t> lanes;
  db.query("SELECT lane, last_seq FROM lane_sequences",
           [&](sqlite3_stmt* stmt) { lanes[text(stmt, 0)] = sqlite3_column_int64(stmt, 1); });
  return lanes;
}

std::int64_t agentOutboxSize(const std::string& agent_db) {
  ReadOnlyDatabase db(agent_db);
  std::int64_t size = -1;
  db.query("SELECT count(*) FROM outbox",
           [&](sqlite3_stmt* stmt) { size = sqlite3_column_int64(stmt, 0); });
  return size;
}

std::int64_t agentOutboxFront(const std::string& agent_db, const std::string& lane) {
  ReadOnlyDatabase db(agent_db);
  std::int64_t front = 0;
  db.query("SELECT coalesce(min(seq), 0) FROM outbox WHERE lane = '" + lane + "'",
           [&](sqlite3_stmt* stmt) { front = sqlite3_column_int64(stmt, 0); });
  return front;
}

std::string agentSyncState(const std::string& agent_db, const std::string& key) {
  ReadOnlyDatabase db(agent_db);
  std::string value;
  db.query("SELECT value FROM sync_state WHERE key = '" + key + "'",
           [&](sqlite3_stmt* stmt) { value = text(stmt, 0); });
  return value;
}

int agentBacklog(AgentUnderTest& agent) {
  return agent.ctlObject({"status"})->getObject("hub")->getValue<int>("backlog");
}

std::string tail(const std::string& path, std::size_t bytes) {
  const std::string content = readFile(path);
  if (content.size() <= bytes) return content;
  return "…" + content.substr(content.size() - bytes);
}

FaultTest::FaultTest(HubSetup hub, int rounds)
    : hsm_(dir_.path()),
      hub_(dir_.path(), std::move(hub)),
      hub_process_(hub_),
      seed_(faultSeed()),
      rounds_(faultRounds(rounds)),
      random_(seed_) {}

void FaultTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  note("seed " + std::to_string(seed_) + ", " + std::to_string(rounds_) +
       " rounds (replay: CKS_FAULT_SEED=" + std::to_string(seed_) +
       " CKS_FAULT_ROUNDS=" + std::to_string(rounds_) +
       " fault_tests --gtest_filter=" + info->test_suite_name() + "." + info->name() + ")");
  const std::vector<std::pair<std::string, CertSpec>> holders = {
      {"Văn thư", organizationSpec("UBND XÃ BÌNH CHƯƠNG", now() - 24h * 300, now() + 24h * 800)},
      {"Chủ tịch", individualSpec("Nguyễn Văn An", now() - 24h * 300, vietnamNoonIn(9, now()))},
      {"Kế toán", individualSpec("Trần Thị Bình", now() - 24h * 700, now() - 24h * 2)},
  };
  for (const auto& [label, spec] : holders) {
    hsm_.createToken(label);
    hsm_.writeCertificate(label, ca_.issue(spec), "CTS " + label, "01");
    token_labels_.push_back(label);
    plugged_[label] = true;
  }
  hub_process_.start();
  writeFile(dir_.file("hub-ca.pem"), hub_.serverCa());
}

AgentSetup FaultTest::agentSetup(const std::string& hub_timeout, const std::string& extra) {
  return AgentSetup{.modules = {SoftHsm::kModule}, .extra = extra, .hub_timeout = hub_timeout};
}

CommandResult FaultTest::enroll(AgentUnderTest& agent, int port) {
  const std::string code = hub_.enrollCode("H21.09", "UBND xã Bình Chương");
  return agent.ctl(
      {"enroll", "--hub", url(port), "--code", code, "--hub-ca", dir_.file("hub-ca.pem")});
}

void FaultTest::changeTokens(AgentUnderTest& agent, int flips) {
  std::uniform_int_distribution<std::size_t> pick(0, token_labels_.size() - 1);
  for (int i = 0; i < flips; ++i) {
    const std::string& label = token_labels_[pick(random_)];
    if (plugged_[label]) {
      hsm_.unplug(label);
    } else {
      hsm_.plugIn(label);
    }
    plugged_[label] = !plugged_[label];
  }
  const auto scanned = agent.ctl({"scan"});
  ASSERT_EQ(scanned.exit_code, 0) << scanned.out << scanned.err << tail(agent.log());
}

CommandResult FaultTest::syncUntilOk(AgentUnderTest& agent, int tries,
                                     std::chrono::milliseconds pause) {
  CommandResult result;
  for (int i = 0; i < tries; ++i) {
    result = agent.ctl({"sync"});
    if (result.exit_code == 0) return result;
    std::this_thread::sleep_for(pause);
  }
  ADD_FAILURE() << "cksctl sync never succeeded (" << tries << " tries); last: " << result.out
                << result.err << "\nagent log:\n"
                << tail(agent.log()) << "\nhub log:\n"
                << tail(hub_.log());
  return result;
}

std::int64_t FaultTest::hubAcked() {
  const auto agents = hub_.admin({"agents", "--json"});
  EXPECT_EQ(agents.exit_code, 0) << agents.err;
  const auto list = parseArray(agents.out);
  EXPECT_EQ(list->size(), 1u) << agents.out;
  return list->size() == 1 ? list->getObject(0)->getValue<std::int64_t>("last_seq") : -1;
}

milliseconds FaultTest::killWindow(AgentUnderTest& agent) {
  std::vector<milliseconds> took;
  for (int i = 0; i < 3; ++i) {
    changeTokens(agent, 2);
    const auto start = std::chrono::steady_clock::now();
    const auto sync = agent.ctl({"sync"});
    took.push_back(
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start));
    EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  }
  std::sort(took.begin(), took.end());
  return std::clamp(took[1] * 3 / 2, milliseconds(20), milliseconds(300));
}

std::pair<FaultProxy::Fault, std::string> FaultTest::networkFault(int kind) {
  using Mode = FaultProxy::Mode;
  FaultProxy::Fault fault;
  switch (kind) {
    case 0:
      fault.mode = Mode::Refuse;
      return {fault, "refuse"};
    case 1: {
      static constexpr int kDelays[] = {100, 400, 1000, 2500};
      fault.mode = Mode::Delay;
      fault.delay = milliseconds(kDelays[std::uniform_int_distribution<int>(0, 3)(random_)]);
      return {fault, "delay " + std::to_string(fault.delay.count()) + " ms"};
    }
    case 2:
      fault.mode = Mode::TruncateRequest;
      fault.exchange = std::uniform_int_distribution<int>(1, 3)(random_);
      fault.keep_bytes = std::uniform_int_distribution<std::size_t>(0, 600)(random_);
      return {fault, "cut"};
    default:
      fault.mode = Mode::DropAnswer;
      fault.exchange = std::uniform_int_distribution<int>(1, 3)(random_);
      fault.count = std::uniform_int_distribution<int>(1, 3)(random_);
      return {fault, "answer lost"};
  }
}

void FaultTest::expectSameViews(AgentUnderTest& agent) {
  const auto inventory = hub_.admin({"inventory", "--agency", "H21.09", "--json"});
  ASSERT_EQ(inventory.exit_code, 0) << inventory.err;
  const auto tokens = hub_.admin({"tokens", "--agency", "H21.09", "--json"});
  ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
  EXPECT_EQ(certificateView(parseArray(inventory.out)), certificateView(agent.ctlArray({"certs"})));
  EXPECT_EQ(tokenView(parseArray(tokens.out)), tokenView(agent.ctlArray({"tokens"})));
  EXPECT_EQ(agentBacklog(agent), 0);
}

void FaultTest::expectEachEntryOnce(const std::string& agent_store) {
  const std::string agent_id = agentSyncState(agent_store, "agent_id");
  ASSERT_FALSE(agent_id.empty()) << "the agent is not enrolled";
  const auto [rows, uuids] = hubEntryUuids(hub_.storeUrl());
  EXPECT_EQ(rows, uuids) << "an entry is stored twice at the hub";
  const auto lanes = hubLanes(hub_.storeUrl());
  for (const auto& [key, lane] : lanes) {
    const std::string where = "agent " + key.first + " lane " + key.second;
    EXPECT_EQ(lane.entries, lane.distinct_seq) << where;
    EXPECT_EQ(lane.min_seq, 1) << where;
    EXPECT_EQ(lane.max_seq, lane.entries) << where << ": a gap in seq";
    EXPECT_EQ(lane.acked, lane.max_seq) << where;
  }
  EXPECT_EQ(agentOutboxSize(agent_store), 0);
  for (const auto& [lane, last_seq] : agentLaneSequences(agent_store)) {
    const auto at_hub = lanes.find({agent_id, lane});
    const std::int64_t stored = at_hub == lanes.end() ? 0 : at_hub->second.entries;
    EXPECT_EQ(stored, last_seq) << "lane " << lane
                                << ": the hub must hold each of the agent's entries once";
  }
}

void FaultTest::explainFailure(AgentUnderTest& agent) {
  ADD_FAILURE() << "seed " << seed_ << "\nagent log:\n"
                << tail(agent.log()) << "\nhub log:\n"
                << tail(hub_.log());
}

void FaultTest::expectConsistent(AgentUnderTest& agent) {
  expectSameViews(agent);
  EXPECT_EQ(agent.stop(), 0) << tail(agent.log());
  EXPECT_EQ(hub_process_.stop(), 0) << tail(hub_.log());
  expectEachEntryOnce(agent.store());
  note("hub entries: " + hubEntryKinds(hub_.storeUrl()));
  // 3. Both stores are sound.
  EXPECT_EQ(integrityCheck(agent.store()), "ok");
  EXPECT_EQ(hubIntegrityCheck(hub_.storeUrl()), "ok");
  if (HasFailure()) explainFailure(agent);
}

void FaultTest::expectAgreement(AgentUnderTest& agent) {
  expectSameViews(agent);
  expectEachEntryOnce(agent.store());
  // The agency's requests, each in the same state at both ends: what the agency filed or
  // cancelled went up, what the province decided came down.
  const auto at_hub = hub_.admin({"requests", "--agency", "H21.09", "--json"});
  ASSERT_EQ(at_hub.exit_code, 0) << at_hub.err;
  const auto requestView = [](const Poco::JSON::Array::Ptr& requests) {
    std::set<std::string> rows;
    for (size_t i = 0; i < requests->size(); ++i) {
      const auto r = requests->getObject(static_cast<unsigned>(i));
      rows.insert(field(r, "id") + " " + field(r, "state"));
    }
    return rows;
  };
  EXPECT_EQ(requestView(parseArray(at_hub.out)), requestView(agent.ctlArray({"requests"})));
  EXPECT_EQ(integrityCheck(agent.store()), "ok");
  EXPECT_EQ(hubIntegrityCheck(hub_.storeUrl()), "ok");
  if (HasFailure()) explainFailure(agent);
}

void FaultTest::note(const std::string& text) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::cout << "[fault] " << info->name() << ": " << text << std::endl;
}

}  // namespace cks::test
