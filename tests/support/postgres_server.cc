#include "tests/support/postgres_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

namespace fs = std::filesystem;

// Bump when the template's initdb options change, so that an old template is not reused.
constexpr const char* kTemplateVersion = "v2";

bool asRoot() { return geteuid() == 0; }

// Server programs run as `postgres` under root, from "/" (the test's folder may be closed to
// that user).
std::vector<std::string> asServerUser(const std::vector<std::string>& argv) {
  std::vector<std::string> out = {"env", "-C", "/"};
  if (asRoot()) out = {"runuser", "-u", "postgres", "--", "env", "-C", "/"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void giveToServerUser(const std::string& path) {
  if (!asRoot()) return;
  const passwd* user = getpwnam("postgres");
  if (user == nullptr)
    throw std::runtime_error("postgres: there is no user \"postgres\" to run it");
  if (chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::runtime_error("postgres: chown " + path + " failed");
  }
}

// Clusters live in memory when the machine has /dev/shm: copying the template there takes
// 0.07 s instead of 1 s on disk, and a throwaway server need not survive a reboot. The path is
// short on purpose: a Unix socket path holds at most 107 bytes.
std::string baseDir() {
  static const std::string base = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
  return base;
}

std::string makeTempDir(const std::string& prefix) {
  std::string pattern = baseDir() + "/" + prefix + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
  return pattern;
}

void check(const CommandResult& result, const std::string& what) {
  if (result.exit_code != 0) {
    throw std::runtime_error(what + " failed (exit " + std::to_string(result.exit_code) + "):\n" +
                             result.out + result.err);
  }
}

// A cluster made once per machine (and user) and copied for every server.
std::string templateCluster() {
  const std::string path =
      baseDir() + "/cks-test-postgres15-" + kTemplateVersion + "-" + std::to_string(geteuid());
  // Test processes start in parallel: one makes the template, the others wait for it.
  const int lock = open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    throw std::runtime_error("postgres: cannot lock " + path + ".lock");
  }
  std::unique_ptr<int, void (*)(int*)> unlock(new int(lock), [](int* fd) {
    close(*fd);
    delete fd;
  });
  if (fs::exists(path + "/PG_VERSION")) return path;
  const std::string work = makeTempDir("cks-pginit");
  giveToServerUser(work);
  const auto result = runCommand(
      asServerUser({PostgresServer::binDir() + "/initdb", "-D", work + "/data", "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8",
                    "--locale=C.UTF-8", "--wal-segsize=1", "--no-instructions"}));
  if (result.exit_code != 0) fs::remove_all(work);
  check(result, "initdb");
  std::error_code error;
  fs::remove_all(path, error);
  fs::rename(work + "/data", path);
  fs::remove_all(work);
  return path;
}

}  // namespace

std::string PostgresServer::binDir() {
  const char* configured = std::getenv("CKS_POSTGRES_BINDIR");
  return configured && *configured ? configured : "/usr/lib/postgresql/15/bin";
}

bool PostgresServer::installed() {
  for (const char* program : {"initdb", "pg_ctl", "postgres"}) {
    if (access((binDir() + "/" + program).c_str(), X_OK) != 0) return false;
  }
  return true;
}

bool PostgresServer::required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string PostgresServer::missingMessage() {
  return "PostgreSQL 15 server programs are not in " + binDir() +
         " (install postgresql-15: sudo bash scripts/bootstrap.sh)";
}

PostgresServer::PostgresServer() {
  const std::string source = templateCluster();
  dir_ = makeTempDir("cks-pg");
  giveToServerUser(dir_);
  data_ = dir_ + "/data";
  log_ = dir_ + "/server.log";
  check(runCommand({"cp", "-a", source, data_}), "cp -a " + source);
  // Another process may take the free port between freePort() and the server's bind.
  for (int attempt = 1;; ++attempt) {
    port_ = freePort();
    try {
      start();
      break;
    } catch (const std::runtime_error&) {
      if (attempt == 3) {
        fs::remove_all(dir_);
        throw;
      }
    }
  }
  superuserSql("CREATE ROLE " + std::string(kRole) + " LOGIN PASSWORD '" + kPassword + "'");
}

PostgresServer::~PostgresServer() {
  if (running_) {
    (void)runCommand(asServerUser({binDir() + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"}));
  }
  std::error_code error;
  fs::remove_all(dir_, error);
}

void PostgresServer::start() {
  // fsync off: a throwaway server need not survive a power cut, and tests run faster.
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off"
                              " -c synchronous_commit=off -c full_page_writes=off";
  const auto result = runCommand(asServerUser(
      {binDir() + "/pg_ctl", "-D", data_, "-l", log_, "-w", "-t", "30", "-o", options, "start"}));
  if (result.exit_code != 0) {
    throw std::runtime_error("pg_ctl start failed:\n" + result.out + result.err + readFile(log_));
  }
  running_ = true;
}

void PostgresServer::stop() {
  runProgram({binDir() + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"});
  running_ = false;
}

void PostgresServer::runProgram(const std::vector<std::string>& argv) const {
  check(runCommand(asServerUser(argv)), argv.front());
}

void PostgresServer::superuserSql(const std::string& sql) const {
  const std::string conninfo =
      "host=" + dir_ + " port=" + std::to_string(port_) + " user=postgres dbname=postgres";
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("postgres: connect: " + std::string(PQerrorMessage(conn.get())));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK &&
      PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error("postgres: " + sql + ": " + PQerrorMessage(conn.get()));
  }
}

std::string PostgresServer::createDatabase() {
  const std::string name = "hub_test_" + std::to_string(++databases_);
  superuserSql("CREATE DATABASE " + name + " OWNER " + kRole);
  return name;
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://" + std::string(kRole) + ":" + kPassword +
         "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::socketUrl(const std::string& database) const {
  return "postgresql://" + std::string(kRole) + "@/" + database + "?host=" + dir_ +
         "&port=" + std::to_string(port_);
}

}  // namespace cks::test
