#include "bench/hub_ingest/cpu_time.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cks::bench {
namespace {

double seconds(const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; }

// utime + stime of /proc/PID/stat (fields 14 and 15, after the parenthesised command name).
double processSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

// The "cpu" line of /proc/stat: every tick but idle and iowait.
double machineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string label;
  in >> label;
  long long total = 0, idle = 0;
  for (int i = 0; i < 8; ++i) {
    long long ticks = 0;
    in >> ticks;
    total += ticks;
    if (i == 3 || i == 4) idle += ticks;
  }
  return double(total - idle) / double(sysconf(_SC_CLK_TCK));
}

// Every process of user `uid` (processes that come and go between samples are missed).
double userSeconds(int uid) {
  double total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    struct stat info {};
    if (stat(entry.path().c_str(), &info) != 0 || int(info.st_uid) != uid) continue;
    total += processSeconds(std::stoi(name));
  }
  return total;
}

}  // namespace

CpuSample CpuSample::take(int pid, int uid) {
  CpuSample sample;
  sample.at = std::chrono::steady_clock::now();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  sample.self_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  if (pid > 0) sample.hub_seconds = processSeconds(pid);
  if (uid >= 0) sample.user_seconds = userSeconds(uid);
  sample.machine_busy_seconds = machineBusySeconds();
  return sample;
}

}  // namespace cks::bench
