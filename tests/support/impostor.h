// A local user's program listening on 127.0.0.1:`port` in the agent's place while the agent is
// down: it records every byte a client sends and answers every request "200 {}", as an
// impostor of the agent would (issue 15, finding 4: neither cksctl nor cks-tray may send it the
// API secret).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace cks::test {

class Impostor {
 public:
  explicit Impostor(int port);
  ~Impostor();
  Impostor(const Impostor&) = delete;
  Impostor& operator=(const Impostor&) = delete;

  // Every byte received, all connections together.
  std::string received();
  int connections() const { return connections_; }

 private:
  void serve();

  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::string received_;
  std::thread thread_;
};

}  // namespace cks::test
