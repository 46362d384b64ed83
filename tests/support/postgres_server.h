// A throwaway PostgreSQL 15 server for tests: its own cluster in a fresh folder under /dev/shm
// (else /tmp), a free TCP port on 127.0.0.1 and a private Unix socket folder, stopped and
// deleted with the object. initdb refuses to run as root, so under root every server program
// runs as the `postgres` user (runuser). The cluster is initdb'ed once per machine into a
// template folder and copied for each server (≈0.3 s a server instead of ≈1.6 s).
// Not thread-safe.
#pragma once

#include <string>
#include <vector>

namespace cks::test {

class PostgresServer {
 public:
  // The role the hub connects as: it owns the databases createDatabase() makes, and logs in
  // over TCP with kPassword (scram-sha-256); the Unix socket trusts every local user.
  static constexpr const char* kRole = "cks_hub";
  static constexpr const char* kPassword = "pg-test-s3cret";

  // The folder of initdb, pg_ctl and postgres: $CKS_POSTGRES_BINDIR, else Debian's
  // /usr/lib/postgresql/15/bin.
  static std::string binDir();
  // True when those programs are there (scripts/bootstrap.sh installs postgresql-15).
  static bool installed();
  // True where a missing server must fail the tests rather than skip them: under CI (CI=true).
  static bool required();
  // The one-line reason for a skip or failure when !installed().
  static std::string missingMessage();

  // Starts the server; throws std::runtime_error (with the server's log) when it cannot.
  PostgresServer();
  // Stops the server and deletes its folder.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& socketDir() const { return dir_; }

  // Creates a new, empty UTF8 database owned by kRole and returns its name.
  std::string createDatabase();
  // postgresql://cks_hub:PASSWORD@127.0.0.1:PORT/DATABASE (TCP, password).
  [[nodiscard]] std::string url(const std::string& database) const;
  // postgresql://cks_hub@/DATABASE?host=SOCKET_DIR&port=PORT (Unix socket, no password).
  [[nodiscard]] std::string socketUrl(const std::string& database) const;

  // Stops the server (fast mode: clients are disconnected) / starts it again with the same
  // data, port and socket folder: the database "going away" under a running hub.
  void stop();
  void start();

 private:
  // Runs a server program, as `postgres` under root; throws with its output when it fails.
  void runProgram(const std::vector<std::string>& argv) const;
  // Runs SQL as the superuser over the socket; throws when it fails.
  void superuserSql(const std::string& sql) const;

  std::string dir_;   // the cluster's folder: data/, the log and the socket
  std::string data_;  // dir_/data
  std::string log_;   // dir_/server.log
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace cks::test
