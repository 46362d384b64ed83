// CPU time of this process, of another process (the hub), of every process of one user (a
// database server) and of the whole machine, read from /proc and getrusage, so a benchmark can
// say who used the two cores during its window.
#pragma once

#include <chrono>

namespace cks::bench {

struct CpuSample {
  std::chrono::steady_clock::time_point at;
  double self_seconds = 0;          // this process, user + system
  double hub_seconds = 0;           // process `pid` (0 when no pid was given or it is gone)
  double user_seconds = 0;          // every process of user `uid` (a database server's)
  double machine_busy_seconds = 0;  // every CPU, all but idle and iowait

  // Takes a sample now; `pid` 0 skips the other process, `uid` -1 the user's processes.
  [[nodiscard]] static CpuSample take(int pid, int uid = -1);
};

}  // namespace cks::bench
