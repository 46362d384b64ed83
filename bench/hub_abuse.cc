// A normal agent's sync latency and the hub's memory while others abuse the sync port (issue 15,
// item 5: p99 ≤ 2 s, RSS bounded). A real cks-hub (the build's, or CKS_BUILD_DIR's) on loopback
// with the hub.ini defaults but paths and port; one enrolled agent syncs (a push of one entry
// and a pull, each on a new mutual-TLS connection, as the agent's transport does) back to back,
// first alone, then during the abuse, from 127.0.0.1:
//   idle      800 TCP connections from 127.0.0.2 that send nothing (reopened when closed)
//   slow      40 clients from 127.0.0.3–6 sending a TLS handshake one byte a second
//   headers   20 clients from 127.0.0.7 with self-signed certificates sending headers one
//             byte a second
//   bombs     a second enrolled agent (a compromised PC) posting gzip that inflates to 64 MiB
//             (64 KiB on the wire), back to back
// Prints the latencies (p50, p99, max, failures), the hub's RSS (VmRSS, sampled every 100 ms:
// before, peak, after) and what the abusers saw.
//   CKS_BUILD_DIR=build/release cks-bench-hub-abuse [SECONDS] [--hub PATH_TO_BUILD_DIR]
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/hub/hub_under_test.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace cks::test;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

long rssKib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

struct Latencies {
  std::vector<double> ms;
  int failures = 0;

  void print(const char* phase) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size())))];
    };
    std::printf("%-8s syncs %4zu  failed %3d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", phase,
                ms.size(), failures, at(0.5), at(0.99), ms.empty() ? 0.0 : ms.back());
  }
};

// Syncs as `agent` until `until`: a push of one entry and a pull, each on its own connection.
Latencies syncUntil(HubUnderTest& hub, const EnrolledAgent& agent, long& seq,
                    Clock::time_point until) {
  Latencies out;
  while (Clock::now() < until) {
    const auto start = Clock::now();
    const auto push = hub.post(
        agent, "/v1/push",
        pushJson({entryJson(seq, "u" + std::to_string(seq), "token_inserted", tokenBody("T1"))}));
    const auto pull = hub.post(agent, "/v1/pull", "{\"cursor\": 0}");
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (push.status == 200 && pull.status == 200) {
      out.ms.push_back(ms);
      ++seq;
    } else {
      ++out.failures;
    }
  }
  return out;
}

// Keeps `count` connections open from `source`, reopening the ones the hub closes; each sends
// `trickle` (if any) a byte a second. Counts the connections the hub closed.
void abuser(int port, const std::string& source, int count, const std::string& trickle,
            const std::atomic<bool>& stop, std::atomic<long>& closed) {
  std::vector<int> fds(count, -1);
  std::vector<std::size_t> sent(count, 0);
  auto last = Clock::now() - 1s;
  while (!stop) {
    for (int i = 0; i < count && !stop; ++i) {
      if (fds[i] < 0) {
        fds[i] = connectFrom(port, source);
        sent[i] = 0;
      }
    }
    const bool tick = Clock::now() - last >= 1s;
    if (tick) last = Clock::now();
    for (int i = 0; i < count; ++i) {
      if (fds[i] < 0) continue;
      bool gone = false;
      if (tick && !trickle.empty()) {
        const char byte = trickle[sent[i]++ % trickle.size()];
        gone = ::send(fds[i], &byte, 1, MSG_NOSIGNAL) != 1;
      }
      pollfd wait{fds[i], POLLIN, 0};
      char buffer[512];
      if (!gone && poll(&wait, 1, 0) > 0 &&
          recv(fds[i], buffer, sizeof buffer, MSG_DONTWAIT) <= 0) {
        gone = true;
      }
      if (gone) {
        close(fds[i]);
        fds[i] = -1;
        ++closed;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  for (const int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

// Self-signed TLS clients sending their headers a byte a second.
void headerAbuser(HubUnderTest& hub, int count, const std::atomic<bool>& stop,
                  std::atomic<long>& closed) {
  const std::string key = makeKeyPem();
  auto options = hub.client(makeSelfSignedPem(key), key);
  options.source = "127.0.0.7";
  std::vector<std::unique_ptr<TlsConnection>> clients(count);
  while (!stop) {
    for (auto& client : clients) {
      if (stop) break;
      if (!client) {
        client = std::make_unique<TlsConnection>(hub.port(), options);
        if (client->handshakeDone()) client->send("POST /v1/enroll HTTP/1.1\r\nX-Slow: ");
      }
      if (!client->handshakeDone() || !client->send("a") || client->closedWithin(1ms)) {
        client.reset();
        ++closed;
      }
    }
    std::this_thread::sleep_for(1s);
  }
}

void bomber(HubUnderTest& hub, const EnrolledAgent& agent, const std::atomic<bool>& stop,
            std::atomic<long>& sent, std::atomic<long>& refused) {
  const std::string bomb = gzip(std::string(64 << 20, ' '));
  while (!stop) {
    const auto reply = hub.post(agent, "/v1/push", bomb, {{"Content-Encoding", "gzip"}});
    ++sent;
    if (reply.status == 413) ++refused;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 20;
  TempDir dir;
  HubUnderTest hub(dir.path().string());
  hub.start();
  const int pid = hub.pid();
  const auto agent = hub.enroll("H21.09", "UBND xã Bình Chương");
  const auto compromised = hub.enroll("H21.10", "UBND xã Bình Sơn");
  long seq = 1;
  const long rss_before = rssKib(pid);

  auto alone = syncUntil(hub, agent, seq, Clock::now() + std::chrono::seconds(seconds));
  alone.print("alone");

  std::atomic<bool> stop{false};
  std::atomic<long> idle_closed{0}, slow_closed{0}, headers_closed{0}, bombs{0}, bombs_refused{0};
  long rss_peak = rssKib(pid);
  std::vector<std::thread> threads;
  threads.emplace_back(abuser, hub.port(), "127.0.0.2", 800, "", std::cref(stop),
                       std::ref(idle_closed));
  for (const char* source : {"127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"}) {
    threads.emplace_back(abuser, hub.port(), source, 10, std::string("\x16\x03\x01\x02", 4),
                         std::cref(stop), std::ref(slow_closed));
  }
  threads.emplace_back(headerAbuser, std::ref(hub), 20, std::cref(stop), std::ref(headers_closed));
  threads.emplace_back(bomber, std::ref(hub), std::cref(compromised), std::cref(stop),
                       std::ref(bombs), std::ref(bombs_refused));
  std::thread sampler([&] {
    while (!stop) {
      rss_peak = std::max(rss_peak, rssKib(pid));
      std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(3s);  // the abuse under way
  auto abused = syncUntil(hub, agent, seq, Clock::now() + std::chrono::seconds(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  sampler.join();
  abused.print("abused");
  std::printf(
      "abusers: idle closed by the hub %ld, slow handshakes cut %ld, slow self-signed "
      "headers closed %ld, gzip bombs %ld (413: %ld)\n",
      idle_closed.load(), slow_closed.load(), headers_closed.load(), bombs.load(),
      bombs_refused.load());
  std::this_thread::sleep_for(2s);
  std::printf("hub RSS: before %ld KiB, peak %ld KiB, after %ld KiB\n", rss_before, rss_peak,
              rssKib(pid));
  hub.stop();
  return 0;
}
